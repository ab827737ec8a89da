// Runs of integrations (seed 003's "trigger an integration"): one row per POST /api/v1/integrations/:id/run,
// executed as a job, with its status, output or error, and for Spark the Livy batch, its last state and log.
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../platform/db/schema.ts';
import { integrations } from '../integrations/tables.ts';

export const INTEGRATION_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type IntegrationRunStatus = (typeof INTEGRATION_RUN_STATUSES)[number];
/** action: one connector action (REST, n8n workflows); spark: a Livy batch followed to its end. */
export const INTEGRATION_RUN_KINDS = ['action', 'spark'] as const;
export type IntegrationRunKind = (typeof INTEGRATION_RUN_KINDS)[number];

export const integrationRuns = pgTable(
  'integration_runs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id').notNull(),
    /** The run-time connector's definition version the run used (null for catalogue connectors). */
    connectorVersion: integer('connector_version'),
    kind: text('kind', { enum: INTEGRATION_RUN_KINDS }).notNull(),
    action: text('action').notNull(),
    status: text('status', { enum: INTEGRATION_RUN_STATUSES }).notNull(),
    jobId: uuid('job_id').notNull(),
    /** The validated input (never credentials: those stay in the vault). */
    input: jsonb('input').$type<unknown>(),
    output: jsonb('output').$type<unknown>(),
    error: text('error'),
    /** Spark: the Livy batch id, its last state, and the end of its log. */
    externalId: text('external_id'),
    externalState: text('external_state'),
    log: jsonb('log').$type<string[]>(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('integration_runs_integration_idx').on(t.integrationId, t.id), index('integration_runs_workspace_idx').on(t.workspaceId, t.id)],
);
