// The usage ledger's writer: prices each attempt from the versioned table, then queues the row and inserts
// queued rows in batches shortly after, so a response never waits for more than putting a row in memory.
// An unpriced model is counted in a metric and logged, and its cost stays null.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/database.ts';
import type { Metrics } from '../../platform/observability/metrics.ts';
import { newId } from '../../platform/ids.ts';
import type { FailureClass, Usage } from '../providers/sdk.ts';
import { aiUsage } from '../tables.ts';
import { costOf, findPrice, priceVersionAt, type Cost } from './prices.ts';

export interface LedgerEntry {
  workspaceId: string;
  requestId: string;
  attempt: number;
  route: string;
  taskType: string;
  kind: 'chat' | 'embeddings' | 'images';
  provider: string;
  model: string;
  integrationId: string | null;
  streamed: boolean;
  usage: Usage;
  images?: number;
  latencyMs: number;
  firstTokenMs?: number | null;
  success: boolean;
  incomplete?: boolean;
  estimated?: boolean;
  errorClass?: FailureClass | 'cancelled' | null;
  errorMessage?: string | null;
  fallbackReason?: string | null;
  at: Date;
}

export interface Ledger {
  /** Queues the row; returns its cost (undefined when the model has no price). */
  record(entry: LedgerEntry): Cost | undefined;
  /** Waits until every row queued so far is stored (reads of the ledger call it first). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const BATCH_SIZE = 1000;
// Rows wait this long for company; a flush is one statement. On the embedded database every statement runs
// on the request thread, so fewer, larger flushes delay fewer answers.
const FLUSH_DELAY_MS = 100;
// One log line per unpriced model per hour is enough to be noticed without flooding the log.
const MISSING_PRICE_LOG_INTERVAL_MS = 3_600_000;

export function createLedger(options: { db: Db; logger: Logger; metrics: Metrics }): Ledger {
  const { db, logger, metrics } = options;
  const missingPrice = metrics.counter('switchboard_ai_missing_price_total', 'AI attempts whose model has no price in the price table (their cost is null).', ['provider', 'model']);
  const attemptsTotal = metrics.counter('switchboard_ai_attempts_total', 'AI provider attempts by provider, model and outcome (ok or the failure class).', ['provider', 'model', 'outcome']);
  const lastMissingLog = new Map<string, number>();
  let queue: Record<string, unknown>[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  // The batch travels as one JSON parameter, expanded by PostgreSQL itself: far cheaper to build and to
  // bind than a VALUES list with thirty parameters per row.
  const write = (rows: Record<string, unknown>[]) => {
    writing = writing.then(async () => {
      for (let start = 0; start < rows.length; start += BATCH_SIZE) {
        const batch = JSON.stringify(rows.slice(start, start + BATCH_SIZE));
        await db
          .execute(sql`insert into ${aiUsage} select * from json_populate_recordset(null::ai_usage, ${batch}::json)`)
          .catch((error: unknown) => logger.error({ err: error, rows: rows.length }, 'could not write AI usage rows'));
      }
    });
    return writing;
  };

  const drain = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return writing;
    const rows = queue;
    queue = [];
    return write(rows);
  };

  return {
    record(entry) {
      const version = priceVersionAt(entry.at);
      const price = findPrice(version, entry.provider, entry.model);
      const cost = costOf(price, version, entry.usage, entry.images ?? 0);
      if (!price) {
        missingPrice.inc({ provider: entry.provider, model: entry.model });
        const key = `${entry.provider}/${entry.model}`;
        if (Date.now() - (lastMissingLog.get(key) ?? 0) > MISSING_PRICE_LOG_INTERVAL_MS) {
          lastMissingLog.set(key, Date.now());
          logger.warn({ provider: entry.provider, model: entry.model, priceVersion: version.version }, 'AI model has no price in the price table; its cost is recorded as unknown');
        }
      }
      attemptsTotal.inc({ provider: entry.provider, model: entry.model, outcome: entry.success ? 'ok' : (entry.errorClass ?? 'failed') });
      queue.push({
        id: newId(),
        workspace_id: entry.workspaceId,
        request_id: entry.requestId,
        attempt: entry.attempt,
        route: entry.route,
        task_type: entry.taskType,
        kind: entry.kind,
        provider: entry.provider,
        model: entry.model,
        integration_id: entry.integrationId,
        streamed: entry.streamed,
        input_tokens: entry.usage.inputTokens,
        output_tokens: entry.usage.outputTokens,
        cached_tokens: entry.usage.cachedTokens,
        reasoning_tokens: entry.usage.reasoningTokens,
        images: entry.images ?? 0,
        cost: cost?.amount ?? null,
        currency: cost?.currency ?? null,
        cost_usd: cost?.usd ?? null,
        price_version: version.version,
        latency_ms: Math.round(entry.latencyMs),
        first_token_ms: entry.firstTokenMs === undefined || entry.firstTokenMs === null ? null : Math.round(entry.firstTokenMs),
        success: entry.success,
        incomplete: entry.incomplete ?? false,
        estimated: entry.estimated ?? false,
        error_class: entry.errorClass ?? null,
        error_message: entry.errorMessage ? entry.errorMessage.slice(0, 1000) : null,
        fallback_reason: entry.fallbackReason ?? null,
        created_at: entry.at.toISOString(),
      });
      if (queue.length >= BATCH_SIZE) void drain();
      else timer ??= setTimeout(() => void drain(), FLUSH_DELAY_MS);
      return cost;
    },
    flush: () => drain(),
    close: () => drain(),
  };
}
