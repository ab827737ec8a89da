// Sync runs: starting one (one per integration × sync at a time: a second request gets the running one),
// cancelling, retrying a failed or dead-lettered one, and the state each integration × sync keeps.
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { ConnectorDefinition } from '../connectors/sdk/define.ts';
import type { SyncDefinition } from '../connectors/sdk/sync.ts';
import { integrations } from '../integrations/tables.ts';
import type { IntegrationRow } from '../integrations/service.ts';
import type { Queryable } from '../platform/db/database.ts';
import { ApiError, notFound } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import { emitEvent } from '../webhooks/index.ts';
import { ACTIVE_RUN_STATUSES, syncRuns, syncStates, type RunStatus, type RunTrigger } from './tables.ts';

export type SyncRunRow = typeof syncRuns.$inferSelect;
export type SyncStateRow = typeof syncStates.$inferSelect;

export const RUN_JOB = 'syncs.run';
export const runJobPayload = z.object({ runId: z.uuid() });
export type RunJobPayload = z.infer<typeof runJobPayload>;

export function syncOf(hub: HubContext, row: IntegrationRow, syncName: string): { connector: ConnectorDefinition; sync: SyncDefinition } {
  const connector = hub.connectors.get(row.connectorId);
  const sync = connector?.syncs?.find((candidate) => candidate.name === syncName);
  if (!connector || !sync) {
    const names = connector?.syncs?.map((candidate) => candidate.name) ?? [];
    throw new ApiError('not_found', `${connector?.title ?? row.connectorId} has no sync "${syncName}"${names.length ? `; its syncs are ${names.join(', ')}` : '; it has no syncs'}.`, {
      details: [{ field: 'params.sync', message: 'unknown sync' }],
    });
  }
  return { connector, sync };
}

export function clockNow(hub: HubContext): Date {
  return new Date(hub.jobs.clock.now());
}

export async function loadState(db: Queryable, integrationId: string, syncName: string): Promise<SyncStateRow | null> {
  const [state] = await db.select().from(syncStates).where(and(eq(syncStates.integrationId, integrationId), eq(syncStates.syncName, syncName)));
  return state ?? null;
}

export async function loadRun(hub: HubContext, workspaceId: string, id: string): Promise<SyncRunRow> {
  const [run] = await hub.db.select().from(syncRuns).where(and(eq(syncRuns.id, id), eq(syncRuns.workspaceId, workspaceId)));
  if (!run) throw notFound('Sync run');
  return run;
}

export async function activeRun(db: Queryable, integrationId: string, syncName: string): Promise<SyncRunRow | null> {
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.integrationId, integrationId), eq(syncRuns.syncName, syncName), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])));
  return run ?? null;
}

/** Sends the job for a run's next attempt inside `tx` (the job table is the outbox of the run row). */
export async function queueAttempt(hub: HubContext, tx: Queryable, run: { id: string; workspaceId: string }, jobId: string, startAfter?: Date): Promise<void> {
  const definition = hub.jobs.definition(RUN_JOB);
  if (!definition) throw new Error('The sync run job is not registered');
  await hub.jobs.send(definition, { runId: run.id }, { workspaceId: run.workspaceId, tx, id: jobId, ...(startAfter ? { startAfter } : {}) });
}

/**
 * Starts a run of `sync` for the integration unless one is queued or running: then that one comes back
 * (`created: false`). Integrations that are not connected cannot run.
 */
export async function requestRun(
  hub: HubContext,
  row: IntegrationRow,
  sync: SyncDefinition,
  trigger: RunTrigger,
): Promise<{ run: SyncRunRow; created: boolean }> {
  if (row.status !== 'connected' || row.deletedAt) {
    throw new ApiError('conflict', `The integration is ${row.deletedAt ? 'disconnected' : row.status}${row.statusReason ? ` (${row.statusReason})` : ''}; reconnect it before syncing.`);
  }
  const running = await activeRun(hub.db, row.id, sync.name);
  if (running) return { run: running, created: false };
  const state = await loadState(hub.db, row.id, sync.name);
  const now = clockNow(hub);
  const id = newId();
  const jobId = newId();
  const created = await hub.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(syncRuns)
      .values({
        id,
        workspaceId: row.workspaceId,
        integrationId: row.id,
        connectorId: row.connectorId,
        syncName: sync.name,
        model: sync.model,
        trigger,
        status: 'queued',
        fullSync: !sync.incremental || !state?.lastSuccessAt,
        maxAttempts: hub.config.syncRetries + 1,
        jobId,
        createdAt: now,
        updatedAt: now,
      })
      // The partial unique index on active runs: a concurrent request that won the race keeps its run.
      .onConflictDoNothing()
      .returning();
    if (!inserted) return null;
    await tx
      .insert(syncStates)
      .values({ workspaceId: row.workspaceId, integrationId: row.id, syncName: sync.name, lastRunId: id, lastRunAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [syncStates.integrationId, syncStates.syncName], set: { lastRunId: id, lastRunAt: now, updatedAt: now } });
    await queueAttempt(hub, tx, inserted, jobId);
    return inserted;
  });
  if (created) return { run: created, created: true };
  const winner = await activeRun(hub.db, row.id, sync.name);
  if (!winner) throw new ApiError('conflict', 'Another run of this sync started and ended at the same moment; try again.');
  return { run: winner, created: false };
}

/** Cancels a queued or running run; an attempt in flight sees its signal abort within about a second. */
export async function cancelRun(hub: HubContext, workspaceId: string, id: string): Promise<SyncRunRow> {
  const run = await loadRun(hub, workspaceId, id);
  if (!(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) {
    throw new ApiError('conflict', `The run has already ended (${run.status}); nothing to cancel.`);
  }
  const now = clockNow(hub);
  const [updated] = await hub.db
    .update(syncRuns)
    .set({ status: 'cancelled', finishedAt: now, updatedAt: now, nextAttemptAt: null, error: 'Cancelled by a user.' })
    .where(and(eq(syncRuns.id, run.id), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])))
    .returning();
  if (!updated) throw new ApiError('conflict', 'The run ended while it was being cancelled.');
  await hub.db
    .update(syncStates)
    .set({ lastStatus: 'cancelled', updatedAt: now })
    .where(and(eq(syncStates.integrationId, run.integrationId), eq(syncStates.syncName, run.syncName)));
  if (run.jobId) await hub.jobs.cancel(run.jobId, workspaceId).catch(() => null);
  return updated;
}

/** Queues a failed or dead-lettered run again, with a fresh set of retries; it resumes from its checkpoint. */
export async function retryRun(hub: HubContext, workspaceId: string, id: string): Promise<SyncRunRow> {
  const run = await loadRun(hub, workspaceId, id);
  const retryable: RunStatus[] = ['failed', 'dead', 'cancelled'];
  if (!retryable.includes(run.status)) {
    throw new ApiError('conflict', `Only failed, dead-lettered or cancelled runs can be retried; this one is ${run.status}.`);
  }
  const [row] = await hub.db.select().from(integrations).where(eq(integrations.id, run.integrationId));
  if (!row || row.deletedAt || row.status !== 'connected') {
    throw new ApiError('conflict', `The integration is ${row?.deletedAt ? 'disconnected' : (row?.status ?? 'gone')}; reconnect it before retrying.`);
  }
  const other = await activeRun(hub.db, run.integrationId, run.syncName);
  if (other) throw new ApiError('conflict', `Run ${other.id} of this sync is ${other.status}; wait for it or cancel it first.`, { details: { runId: other.id } });
  const now = clockNow(hub);
  const jobId = newId();
  return hub.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(syncRuns)
      .set({ status: 'queued', jobId, maxAttempts: run.attempts + hub.config.syncRetries + 1, nextAttemptAt: null, finishedAt: null, error: null, updatedAt: now })
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.status, run.status)))
      .returning();
    if (!updated) throw new ApiError('conflict', 'The run changed while it was being retried; look at it again.');
    await queueAttempt(hub, tx, updated, jobId);
    return updated;
  });
}

/** Emits an event of a run (in the caller's transaction). */
export async function emitRunEvent(hub: HubContext, tx: Queryable, run: SyncRunRow, type: string, payload: Record<string, unknown>): Promise<void> {
  await emitEvent(hub.jobs, tx, {
    workspaceId: run.workspaceId,
    type,
    source: 'sync',
    integrationId: run.integrationId,
    connectorId: run.connectorId,
    payload: { runId: run.id, integrationId: run.integrationId, connectorId: run.connectorId, sync: run.syncName, ...payload },
  });
}

/** Marks a run as running for a new attempt (or keeps it, when the job layer repeats a crashed one). */
export function startAttemptValues(run: SyncRunRow, now: Date): { resumed: boolean; attempt: number; values: Partial<SyncRunRow> } {
  const resumed = run.status === 'running';
  const attempt = resumed ? Math.max(1, run.attempts) : run.attempts + 1;
  return { resumed, attempt, values: { status: 'running', attempts: attempt, startedAt: run.startedAt ?? now, nextAttemptAt: null, updatedAt: now } };
}
