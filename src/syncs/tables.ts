// The sync capability's tables: synced records with their change history, per integration × sync state
// (schedule override, pause, checkpoint, last outcome), runs (one row per run across its attempts), the
// ids a full run has seen (for delete detection), and KPI metric values.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../platform/db/schema.ts';

export const CHANGE_KINDS = ['added', 'updated', 'deleted'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One synced object, addressed by workspace + integration + model + the provider's id. */
export const syncRecords = pgTable(
  'sync_records',
  {
    /**
     * Renumbered from the sequence on every change: the records API pages by it, so a record changed while
     * someone pages moves to the end (read again, with its new content) and none is skipped.
     */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    // No foreign key: a disconnected integration is soft-deleted and keeps its records.
    integrationId: uuid('integration_id').notNull(),
    model: text('model').notNull(),
    externalId: text('external_id').notNull(),
    data: jsonb('data').notNull(),
    /** SHA-256 of the canonical JSON of `data`: an upsert with the same hash writes nothing. */
    contentHash: text('content_hash').notNull(),
    /**
     * The hash the last update replaced (null for a record never updated). The upsert sets it from the row it
     * overwrites, so the history row of a change comes from the upsert's own RETURNING, with no lookup first.
     */
    previousHash: text('previous_hash'),
    /** What the last change was: `filter=added|updated|deleted` reads this. */
    lastChange: text('last_change', { enum: CHANGE_KINDS }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the content last changed (or the record was deleted): `modifiedAfter` compares with this. */
    modifiedAt: timestamp('modified_at', { withTimezone: true }).notNull().defaultNow(),
    lastRunId: uuid('last_run_id'),
  },
  // The record's key is the primary key (the upsert's conflict target), and seq is indexed only for paging:
  // one index fewer to write per record than a seq primary key beside a unique key (measured in
  // bench/syncs-records.bench.ts). The sequence alone keeps seq unique.
  (t) => [
    primaryKey({ name: 'sync_records_pkey', columns: [t.workspaceId, t.integrationId, t.model, t.externalId] }),
    index('sync_records_page_idx').on(t.integrationId, t.model, t.seq),
  ],
);

/** Every change of a record: kept SWITCHBOARD_SYNC_HISTORY_RETENTION_DAYS. */
export const syncRecordChanges = pgTable(
  'sync_record_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id').notNull(),
    model: text('model').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: CHANGE_KINDS }).notNull(),
    contentHash: text('content_hash'),
    previousHash: text('previous_hash'),
    runId: uuid('run_id'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // changed_at only serves the retention prune; rows arrive in time order, so a BRIN index (a few pages for
  // the whole table) does that job at a fraction of a B-tree's cost per inserted row.
  (t) => [
    index('sync_record_changes_record_idx').on(t.integrationId, t.model, t.externalId, t.id),
    index('sync_record_changes_changed_idx').using('brin', t.changedAt),
  ],
);

/** Per integration × sync: the schedule, pause, incremental checkpoint and the last outcome. */
export const syncStates = pgTable(
  'sync_states',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id').notNull(),
    syncName: text('sync_name').notNull(),
    /** Replaces the connector's frequency for this integration (cron or `every 1h`); null: the connector's. */
    frequencyOverride: text('frequency_override'),
    paused: boolean('paused').notNull().default(false),
    /** The incremental cursor saved by the last run (incremental syncs only). */
    checkpoint: jsonb('checkpoint'),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastRunId: uuid('last_run_id'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastStatus: text('last_status'),
    /** When the last successful run started: records are current as of then. */
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    lastAdded: integer('last_added').notNull().default(0),
    lastUpdated: integer('last_updated').notNull().default(0),
    lastDeleted: integer('last_deleted').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.syncName] }), index('sync_states_due_idx').on(t.nextRunAt)],
);

export const RUN_STATUSES = ['queued', 'running', 'retrying', 'completed', 'failed', 'dead', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these holds its integration × sync: a second request gets it back. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running', 'retrying'] as const;
export const RUN_TRIGGERS = ['schedule', 'manual', 'retry'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export interface RunAttemptError {
  attempt: number;
  at: string;
  message: string;
  status: number | null;
  retryable: boolean;
}

/** One run of a sync across its attempts; `job_id` names the one job allowed to make the next attempt. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id').notNull(),
    connectorId: text('connector_id').notNull(),
    syncName: text('sync_name').notNull(),
    model: text('model').notNull(),
    trigger: text('trigger', { enum: RUN_TRIGGERS }).notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    /** Reads everything and marks what it did not see as deleted at the end. */
    fullSync: boolean('full_sync').notNull(),
    /** Attempts started so far (a crashed attempt repeated by the job layer counts once). */
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    jobId: uuid('job_id'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** The checkpoint saved by this run: a retry resumes from it. */
    checkpoint: jsonb('checkpoint'),
    step: text('step'),
    processed: integer('processed').notNull().default(0),
    total: integer('total'),
    ratePerSecond: doublePrecision('rate_per_second'),
    added: integer('added').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    error: text('error'),
    errors: jsonb('errors').$type<RunAttemptError[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sync_runs_one_active_idx')
      .on(t.integrationId, t.syncName)
      .where(sql`${t.status} in ('queued', 'running', 'retrying')`),
    index('sync_runs_workspace_idx').on(t.workspaceId, t.id),
    index('sync_runs_integration_idx').on(t.integrationId, t.syncName, t.id),
  ],
);

/** External ids a full run has stored or confirmed, across its attempts; deleted when the run ends. */
export const syncRunSeen = pgTable(
  'sync_run_seen',
  {
    runId: uuid('run_id').notNull(),
    externalId: text('external_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.externalId] })],
);

/** A KPI value (seed 004): one metric on one day, split by dimensions (part of the key; `{}` for a total). */
export const kpiMetrics = pgTable(
  'kpi_metrics',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id').notNull(),
    metric: text('metric').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    dimensions: jsonb('dimensions').$type<Record<string, string>>().notNull().default({}),
    value: doublePrecision('value').notNull(),
    unit: text('unit').notNull(),
    runId: uuid('run_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.integrationId, t.metric, t.date, t.dimensions] }),
    index('kpi_metrics_metric_idx').on(t.workspaceId, t.metric, t.date),
  ],
);
