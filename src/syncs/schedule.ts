// Scheduled syncs: every minute, each connected integration's syncs that are due (by the connector's
// frequency or the integration's override, unless paused) get a run; runs whose job ended without
// finishing them (a job given up by the job layer) are dead-lettered; and hourly, old history is pruned.
import { and, eq, inArray, isNull, lt, lte, notInArray, sql } from 'drizzle-orm';
import type { SyncDefinition } from '../connectors/sdk/sync.ts';
import { integrations } from '../integrations/tables.ts';
import { rowsOf } from '../platform/db/database.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { nextRunAfter } from './frequency.ts';
import { clockNow, emitRunEvent, requestRun } from './runs.ts';
import { ACTIVE_RUN_STATUSES, syncRunSeen, syncRuns, syncStates } from './tables.ts';

export function effectiveFrequency(sync: SyncDefinition, override: string | null | undefined): string {
  return override ?? sync.frequency;
}

/** Creates missing states (first run due now) and starts a run for every due, unpaused, connected sync. */
export async function scheduleDueSyncs(hub: HubContext): Promise<{ started: number }> {
  const now = clockNow(hub);
  const withSyncs = hub.connectors.list().filter((connector) => (connector.syncs?.length ?? 0) > 0);
  if (withSyncs.length === 0) return { started: 0 };
  const connected = await hub.db
    .select()
    .from(integrations)
    .where(and(isNull(integrations.deletedAt), eq(integrations.status, 'connected'), inArray(integrations.connectorId, withSyncs.map((connector) => connector.id))));
  if (connected.length === 0) return { started: 0 };
  const missing = connected.flatMap((row) =>
    (hub.connectors.get(row.connectorId)?.syncs ?? []).map((sync) => ({ workspaceId: row.workspaceId, integrationId: row.id, syncName: sync.name, nextRunAt: now, updatedAt: now })),
  );
  await hub.db.insert(syncStates).values(missing).onConflictDoNothing();
  const due = await hub.db
    .select()
    .from(syncStates)
    .where(and(inArray(syncStates.integrationId, connected.map((row) => row.id)), eq(syncStates.paused, false), lte(syncStates.nextRunAt, now)))
    .limit(500);
  let started = 0;
  for (const state of due) {
    const row = connected.find((candidate) => candidate.id === state.integrationId)!;
    const sync = hub.connectors.get(row.connectorId)?.syncs?.find((candidate) => candidate.name === state.syncName);
    if (!sync) continue;
    // Claimed by moving next_run_at on: a second scheduler reading the same row loses the update.
    const [claimed] = await hub.db
      .update(syncStates)
      .set({ nextRunAt: nextRunAfter(effectiveFrequency(sync, state.frequencyOverride), now), updatedAt: now })
      .where(and(eq(syncStates.integrationId, state.integrationId), eq(syncStates.syncName, state.syncName), lte(syncStates.nextRunAt, now)))
      .returning();
    if (!claimed) continue;
    try {
      const { created } = await requestRun(hub, row, sync, 'schedule');
      if (created) started += 1;
    } catch (error) {
      // One integration's trouble never stops the others' schedules.
      hub.logger.warn({ integrationId: row.id, sync: sync.name, err: error instanceof Error ? error.message : String(error) }, 'could not start a scheduled sync');
    }
  }
  return { started };
}

/**
 * Runs still marked active whose job has ended or vanished (the job layer gave up on a worker that kept
 * dying, or its row was removed): dead-lettered so the integration × sync can run again.
 */
export async function reapOrphanedRuns(hub: HubContext): Promise<number> {
  const now = clockNow(hub);
  const stale = new Date(now.getTime() - 5 * 60_000);
  const orphans = rowsOf<{ id: string; job_state: string | null }>(
    await hub.db.execute(sql`
      select r.id, j.state as job_state from sync_runs r left join pgboss.job j on j.id = r.job_id
      where r.status in ('queued', 'running', 'retrying') and r.updated_at < ${stale.toISOString()}::timestamptz
        and (j.id is null or j.state in ('completed', 'failed', 'cancelled'))
      limit 100`),
  );
  for (const orphan of orphans) {
    await hub.db.transaction(async (tx) => {
      const message = `The job running this sync ended without finishing it (${orphan.job_state ?? 'job missing'}).`;
      const [run] = await tx
        .update(syncRuns)
        .set({ status: 'dead', error: message, finishedAt: now, updatedAt: now, nextAttemptAt: null })
        .where(and(eq(syncRuns.id, orphan.id), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])))
        .returning();
      if (!run) return;
      await tx
        .update(syncStates)
        .set({ lastStatus: 'dead', lastError: message, lastErrorAt: now, updatedAt: now })
        .where(and(eq(syncStates.integrationId, run.integrationId), eq(syncStates.syncName, run.syncName)));
      await emitRunEvent(hub, tx, run, 'sync.dead', { error: message, attempts: run.attempts });
    });
  }
  return orphans.length;
}

/** Deletes history and finished runs older than SWITCHBOARD_SYNC_HISTORY_RETENTION_DAYS, in slices. */
export async function pruneSyncHistory(hub: HubContext): Promise<{ changes: number; runs: number }> {
  const cutoff = new Date(clockNow(hub).getTime() - hub.config.syncHistoryRetentionDays * 86_400_000);
  let changes = 0;
  let runs = 0;
  for (;;) {
    const result = rowsOf<{ n: number }>(
      await hub.db.execute(sql`with gone as (delete from sync_record_changes where id in (
          select id from sync_record_changes where changed_at < ${cutoff.toISOString()}::timestamptz limit 5000) returning 1)
        select count(*)::int as n from gone`),
    );
    const n = Number(result[0]?.n ?? 0);
    changes += n;
    if (n < 5000) break;
  }
  const finished = await hub.db
    .delete(syncRuns)
    .where(and(notInArray(syncRuns.status, [...ACTIVE_RUN_STATUSES]), lt(syncRuns.updatedAt, cutoff)))
    .returning({ id: syncRuns.id });
  runs += finished.length;
  if (finished.length > 0) await hub.db.delete(syncRunSeen).where(inArray(syncRunSeen.runId, finished.map((run) => run.id)));
  return { changes, runs };
}
