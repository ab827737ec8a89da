// The sync API's contracts, shared by the server, the tests and the dashboard: runs with their progress,
// the syncs of an integration, records with their history, and KPI series.
import { z } from 'zod';
import { iso, isoDate } from '../platform/http/pagination.ts';
import { CHANGE_KINDS, RUN_STATUSES, RUN_TRIGGERS } from './tables.ts';
import type { syncRuns } from './tables.ts';

export const runView = z.object({
  id: z.string(),
  integrationId: z.string(),
  connectorId: z.string(),
  sync: z.string(),
  model: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  status: z.enum(RUN_STATUSES).describe('queued, running, retrying (waiting for its next attempt), completed, failed (not retryable), dead (retries used up: the dead-letter list), cancelled'),
  fullSync: z.boolean(),
  attempt: z.number().int().describe('Attempts started so far.'),
  maxAttempts: z.number().int(),
  nextAttemptAt: isoDate.nullable(),
  progress: z.object({
    step: z.string().nullable(),
    processed: z.number().int(),
    total: z.number().int().nullable(),
    percentage: z.number().nullable(),
    etaSeconds: z.number().int().nullable(),
  }),
  counts: z.object({ added: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), deleted: z.number().int() }),
  error: z.string().nullable(),
  errors: z.array(z.object({ attempt: z.number().int(), at: isoDate, message: z.string(), status: z.number().int().nullable(), retryable: z.boolean() })),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  durationMs: z.number().int().nullable(),
});
export type RunView = z.infer<typeof runView>;

export function toRunView(row: typeof syncRuns.$inferSelect): RunView {
  const total = row.total ?? null;
  const rate = row.ratePerSecond ?? null;
  const running = row.status === 'running';
  return {
    id: row.id,
    integrationId: row.integrationId,
    connectorId: row.connectorId,
    sync: row.syncName,
    model: row.model,
    trigger: row.trigger,
    status: row.status,
    fullSync: row.fullSync,
    attempt: row.attempts,
    maxAttempts: row.maxAttempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    progress: {
      step: row.step,
      processed: row.processed,
      total,
      percentage: row.status === 'completed' ? 100 : total ? Math.min(100, Math.round((row.processed / total) * 1000) / 10) : null,
      etaSeconds: running && total !== null && rate && rate > 0 ? Math.max(0, Math.round((total - row.processed) / rate)) : null,
    },
    counts: { added: row.added, updated: row.updated, unchanged: row.unchanged, deleted: row.deleted },
    error: row.error,
    errors: row.errors,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}

export const syncView = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  model: z.string(),
  incremental: z.boolean(),
  frequency: z.string().describe('In force: the override, else the connector default.'),
  defaultFrequency: z.string(),
  frequencyOverride: z.string().nullable(),
  paused: z.boolean(),
  status: z.enum(['never_run', 'queued', 'running', 'retrying', 'completed', 'failed', 'dead', 'cancelled']),
  nextRunAt: isoDate.nullable().describe('When the scheduler starts the next run (null while paused or not yet scheduled).'),
  lastRun: runView.nullable(),
  lastSuccessAt: isoDate.nullable(),
  lastError: z.string().nullable(),
  recordsCount: z.number().int(),
});
export type SyncView = z.infer<typeof syncView>;

export const recordView = z.object({
  externalId: z.string(),
  model: z.string(),
  data: z.unknown(),
  contentHash: z.string(),
  lastChange: z.enum(CHANGE_KINDS),
  deleted: z.boolean(),
  deletedAt: isoDate.nullable(),
  firstSeenAt: isoDate,
  modifiedAt: isoDate,
});

export const recordsPage = z.object({
  items: z.array(recordView),
  nextCursor: z.string().nullable(),
  stale: z.boolean().describe('True when the last run of a sync of this model failed or the integration is in error: these are the last good records.'),
  lastSuccessAt: isoDate.nullable(),
  staleReason: z.string().nullable(),
});

export const changeView = z.object({
  id: z.string(),
  kind: z.enum(CHANGE_KINDS),
  contentHash: z.string().nullable(),
  previousHash: z.string().nullable(),
  runId: z.string().nullable(),
  changedAt: isoDate,
});

export const KPI_GROUPS = ['day', 'week', 'month', 'integration', 'dimension'] as const;

export const kpiPoint = z.object({
  metric: z.string(),
  date: z.string().nullable().describe('YYYY-MM-DD: the day, or the first day of the week/month.'),
  integrationId: z.string().nullable(),
  connectorId: z.string().nullable(),
  dimensions: z.record(z.string(), z.string()),
  value: z.number(),
  unit: z.string(),
});
export type KpiPoint = z.infer<typeof kpiPoint>;
