// Builds the views the routes answer with: an integration's syncs with schedule, state and last run.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { IntegrationRow } from '../integrations/service.ts';
import { rowsOf } from '../platform/db/database.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { toRunView, type SyncView } from './contracts.ts';
import { effectiveFrequency } from './schedule.ts';
import { syncRuns, syncStates } from './tables.ts';

export async function syncViews(hub: HubContext, row: IntegrationRow): Promise<SyncView[]> {
  const syncs = hub.connectors.get(row.connectorId)?.syncs ?? [];
  if (syncs.length === 0) return [];
  const states = await hub.db.select().from(syncStates).where(eq(syncStates.integrationId, row.id));
  const runIds = states.map((state) => state.lastRunId).filter((id): id is string => id !== null);
  const runs = runIds.length ? await hub.db.select().from(syncRuns).where(inArray(syncRuns.id, runIds)) : [];
  const counts = rowsOf<{ model: string; n: number }>(
    await hub.db.execute(sql`select model, count(*)::int as n from sync_records where integration_id = ${row.id}::uuid and deleted_at is null group by model`),
  );
  return syncs.map((sync) => {
    const state = states.find((candidate) => candidate.syncName === sync.name);
    const run = runs.find((candidate) => candidate.id === state?.lastRunId);
    return {
      name: sync.name,
      title: sync.title,
      description: sync.description,
      model: sync.model,
      incremental: sync.incremental,
      frequency: effectiveFrequency(sync, state?.frequencyOverride),
      defaultFrequency: sync.frequency,
      frequencyOverride: state?.frequencyOverride ?? null,
      paused: state?.paused ?? false,
      status: run?.status ?? 'never_run',
      nextRunAt: state?.paused || row.status !== 'connected' ? null : (state?.nextRunAt?.toISOString() ?? null),
      lastRun: run ? toRunView(run) : null,
      lastSuccessAt: state?.lastSuccessAt?.toISOString() ?? null,
      lastError: state?.lastError ?? null,
      recordsCount: Number(counts.find((count) => count.model === sync.model)?.n ?? 0),
    };
  });
}

/** Whether the records of a model are the last good ones rather than current: a failed last run, or an integration in error. */
export async function staleness(hub: HubContext, row: IntegrationRow, model: string | undefined): Promise<{ stale: boolean; lastSuccessAt: string | null; staleReason: string | null }> {
  const syncs = (hub.connectors.get(row.connectorId)?.syncs ?? []).filter((sync) => !model || sync.model === model);
  const states = syncs.length
    ? await hub.db
        .select()
        .from(syncStates)
        .where(and(eq(syncStates.integrationId, row.id), inArray(syncStates.syncName, syncs.map((sync) => sync.name))))
    : [];
  const failed = states.find((state) => state.lastStatus === 'failed' || state.lastStatus === 'dead' || state.lastStatus === 'retrying');
  const successes = states.map((state) => state.lastSuccessAt).filter((at): at is Date => at !== null);
  const lastSuccessAt = successes.length ? new Date(Math.min(...successes.map((at) => at.getTime()))).toISOString() : null;
  if (row.status !== 'connected') {
    return { stale: true, lastSuccessAt, staleReason: `The integration is ${row.status}${row.statusReason ? `: ${row.statusReason}` : ''}.` };
  }
  if (failed) return { stale: true, lastSuccessAt, staleReason: `The last run of ${failed.syncName} is ${failed.lastStatus}: ${failed.lastError ?? 'unknown error'}` };
  return { stale: false, lastSuccessAt, staleReason: null };
}


