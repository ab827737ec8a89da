// How a connector declares a data sync: which model it fills, how often, and the run function. The engine
// (src/syncs/) supplies the context: the integration's authenticated client (same outbound client, so the
// same rate budget as actions and proxy), checkpoints for incremental cursors, the records store, KPI
// metric points, progress, and the job's AbortSignal.
import type { z } from 'zod';
import type { ConnectorContext } from './define.ts';
import type { PaginateOptions, PaginationRule, Page } from './paginate.ts';
import type { ProviderRequest } from './provider-http.ts';

export interface UpsertCounts {
  added: number;
  updated: number;
  /** Records whose content hash did not change: not rewritten, no history row. */
  unchanged: number;
}

/** One KPI value (seed 004): a metric on a day, optionally split by dimensions (source/medium, campaign). */
export interface MetricPoint {
  /** snake_case metric name, e.g. `sessions`, `spend`, `roas`, `bounce_rate`. */
  metric: string;
  /** The day the value belongs to, YYYY-MM-DD in the provider's reporting time zone. */
  date: string;
  /** Empty for a total; e.g. `{ sourceMedium: 'google / cpc' }` or `{ campaignId: '123' }`. */
  dimensions?: Record<string, string>;
  value: number;
  /** `count`, `ratio`, or an ISO 4217 currency code for money. */
  unit: string;
}

export interface SyncContext<Config = any, Record = any> extends ConnectorContext<Config> {
  /** True when this run reads everything (the first run, or incremental: false); records not seen are then marked deleted at the end. */
  fullSync: boolean;
  /** When the last successful run of this sync started; null before the first. */
  lastSuccessAt: Date | null;
  checkpoint: {
    /** The value saved by the last `save` of this integration × sync (kept across attempts and runs). */
    get<T = unknown>(): Promise<T | undefined>;
    /** Saved together with the records upserted so far, so a retry resumes after it. */
    save(value: unknown): Promise<void>;
  };
  records: {
    /** Validated against the sync's schema; ids come from `idOf`. Unchanged records are skipped. */
    upsert(batch: Record[]): Promise<UpsertCounts>;
    /** Marks records deleted by the provider (incremental syncs that learn about deletions). */
    markDeleted(ids: string[]): Promise<number>;
  };
  metrics: {
    /** Writes or replaces KPI values (same integration, metric, date and dimensions → replaced). */
    record(points: MetricPoint[]): Promise<void>;
  };
  /** Reports progress; `total` when known, `step` a short word (`customers`, `orders page 3`). */
  progress(processed: number, total?: number, step?: string): Promise<void>;
  /** The SDK paginator bound to this integration's client and the run's signal. */
  paginate<T = unknown>(request: ProviderRequest, rule: PaginationRule, options?: Omit<PaginateOptions, 'signal'>): AsyncGenerator<Page<T>>;
}

export interface SyncDefinition<Config = any, Record = any> {
  /** camelCase, stable: part of URLs (`/syncs/:name/run`) and the records' key. */
  name: string;
  title: string;
  description: string;
  /** The records' model name, e.g. `Order`, `Playlist`, `CampaignInsight`. */
  model: string;
  /** Each record is validated against it before it is stored. */
  schema: z.ZodType<Record>;
  /** The provider's stable id of a record. */
  idOf(record: Record): string;
  /** Cron expression (`0 * * * *`) or `every 15m` / `every 1h` / `every 1d`; integrations may override it. */
  frequency: string;
  /** True when runs continue from the saved checkpoint (only changes are read). */
  incremental: boolean;
  run(ctx: SyncContext<Config, Record>): Promise<void>;
}

const SYNC_NAME = /^[a-z][A-Za-z0-9]{1,60}$/;
const FREQUENCY = /^(every \d+(m|h|d)|(\S+\s+){4}\S+)$/;

export function defineSync<Config, Record>(sync: SyncDefinition<Config, Record>): SyncDefinition<Config, Record> {
  if (!SYNC_NAME.test(sync.name)) throw new Error(`Sync name "${sync.name}" must be camelCase (${SYNC_NAME})`);
  if (!FREQUENCY.test(sync.frequency)) throw new Error(`Sync ${sync.name}: frequency "${sync.frequency}" must be a 5-field cron expression or "every <n>m|h|d"`);
  return sync;
}
