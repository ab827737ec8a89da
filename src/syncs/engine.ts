// One attempt of a sync run: builds the SyncContext over the integration's provider client (the same
// outbound client and rate budget as actions and proxy), runs the connector's sync, and records the
// outcome: completed (with delete detection after a full run), retried on the seed's schedule from the
// last checkpoint, failed at once, or dead-lettered after the last retry. Each attempt is its own job;
// `sync_runs.job_id` names the one job allowed to make it (see README.md).
import { and, eq, inArray } from 'drizzle-orm';
import type { SyncContext, SyncDefinition } from '../connectors/sdk/sync.ts';
import { paginate } from '../connectors/sdk/paginate.ts';
import { invocationTargetFor, markCredentialRefused, type IntegrationRow } from '../integrations/service.ts';
import { createProviderHttp } from '../integrations/runtime/provider-http.ts';
import { integrations } from '../integrations/tables.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import type { JobContext } from '../platform/jobs/define.ts';
import { judgeFailure, RecordSchemaError, retryDelayMs, SyncStoppedError } from './failures.ts';
import { clockNow, emitRunEvent, loadState, queueAttempt, startAttemptValues, type SyncRunRow } from './runs.ts';
import { markRecordsDeleted, markUnseenDeleted, recordMetrics, upsertRecords, type RecordScope } from './store.ts';
import { ACTIVE_RUN_STATUSES, syncRuns, syncStates, type RunAttemptError } from './tables.ts';

// Progress is written at most this often, except when the step changes or the total is reached.
const PROGRESS_WRITE_INTERVAL_MS = 250;

export async function runSyncAttempt(hub: HubContext, runId: string, job: Pick<JobContext, 'jobId' | 'signal'>): Promise<{ outcome: string }> {
  const [run] = await hub.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  // Superseded (a retry or a user's retry pointed the run at another job), cancelled, or already finished.
  if (!run || run.jobId !== job.jobId || !(ACTIVE_RUN_STATUSES as readonly string[]).includes(run.status)) return { outcome: 'skipped' };
  const [row] = await hub.db.select().from(integrations).where(eq(integrations.id, run.integrationId));
  const sync = row ? hub.connectors.get(row.connectorId)?.syncs?.find((candidate) => candidate.name === run.syncName) : undefined;
  const now = clockNow(hub);
  const { resumed, attempt, values } = startAttemptValues(run, now);
  const [started] = await hub.db.transaction(async (tx) => {
    const updated = await tx
      .update(syncRuns)
      .set(values)
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.jobId, job.jobId), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])))
      .returning();
    if (updated[0] && run.attempts === 0 && !resumed) {
      await emitRunEvent(hub, tx, updated[0], 'sync.started', { trigger: run.trigger === 'retry' ? 'manual' : run.trigger });
    }
    return updated;
  });
  if (!started) return { outcome: 'skipped' };
  if (!row || row.deletedAt || row.status === 'disconnected') {
    await finishWithFailure(hub, started, attempt, new SyncStoppedError('The integration was disconnected; the run stopped.'), row ?? null);
    return { outcome: 'failed' };
  }
  if (!sync) {
    await finishWithFailure(hub, started, attempt, new SyncStoppedError(`The connector ${row.connectorId} no longer has a sync named ${run.syncName}.`), row);
    return { outcome: 'failed' };
  }
  try {
    const context = await buildContext(hub, started, row, sync, job.signal);
    await sync.run(context);
    job.signal.throwIfAborted();
    if (started.fullSync) await markUnseenDeleted(hub.db, { ...scopeOf(started, clockNow(hub)), runId: started.id });
    await complete(hub, started.id);
    return { outcome: 'completed' };
  } catch (error) {
    if (job.signal.aborted) {
      // Cancelled: the cancel already recorded it. A shutdown or timeout: the job layer repeats this attempt,
      // which resumes from the checkpoint.
      const [current] = await hub.db.select({ status: syncRuns.status }).from(syncRuns).where(eq(syncRuns.id, run.id));
      if (current?.status === 'cancelled') return { outcome: 'cancelled' };
      throw error;
    }
    return { outcome: await finishWithFailure(hub, started, attempt, error, row) };
  }
}

function scopeOf(run: SyncRunRow, now: Date): RecordScope {
  return { workspaceId: run.workspaceId, integrationId: run.integrationId, model: run.model, runId: run.id, trackSeen: run.fullSync, now };
}

async function buildContext(hub: HubContext, run: SyncRunRow, row: IntegrationRow, sync: SyncDefinition, signal: AbortSignal): Promise<SyncContext> {
  const target = await invocationTargetFor(hub, row, signal);
  const http = createProviderHttp({ ...target, operation: `sync:${sync.name}` });
  const state = await loadState(hub.db, run.integrationId, run.syncName);
  // A retry resumes from this run's own checkpoint; a new incremental run starts from the last run's.
  let checkpoint: unknown = run.checkpoint ?? (sync.incremental && !run.fullSync ? state?.checkpoint : null) ?? null;
  let lastProgress: { at: number; processed: number; step: string | null; rate: number | null } | null = null;

  return {
    config: row.config,
    credentials: await target.credentials.current(),
    http,
    signal,
    integrationId: row.id,
    workspaceId: row.workspaceId,
    fullSync: run.fullSync,
    lastSuccessAt: state?.lastSuccessAt ?? null,
    checkpoint: {
      get: async <T>() => (checkpoint === null ? undefined : (checkpoint as T)),
      async save(value) {
        signal.throwIfAborted();
        checkpoint = value ?? null;
        const now = clockNow(hub);
        await hub.db.transaction(async (tx) => {
          await tx.update(syncRuns).set({ checkpoint: value ?? null, updatedAt: now }).where(eq(syncRuns.id, run.id));
          if (sync.incremental) {
            await tx
              .update(syncStates)
              .set({ checkpoint: value ?? null, updatedAt: now })
              .where(and(eq(syncStates.integrationId, run.integrationId), eq(syncStates.syncName, run.syncName)));
          }
        });
      },
    },
    records: {
      async upsert(batch) {
        signal.throwIfAborted();
        const stored = batch.map((item, index) => {
          const parsed = sync.schema.safeParse(item);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue ? `${issue.path.map(String).join('.') || 'record'}: ${issue.message}` : 'invalid';
            throw new RecordSchemaError(`Record ${index + 1} of a ${sync.model} batch does not match the sync's schema (${where}).`);
          }
          return { externalId: String(sync.idOf(parsed.data)), data: parsed.data };
        });
        return upsertRecords(hub.db, scopeOf(run, clockNow(hub)), stored);
      },
      async markDeleted(ids) {
        signal.throwIfAborted();
        return markRecordsDeleted(hub.db, scopeOf(run, clockNow(hub)), ids.map(String));
      },
    },
    metrics: {
      async record(points) {
        signal.throwIfAborted();
        await recordMetrics(hub.db, { workspaceId: run.workspaceId, integrationId: run.integrationId, runId: run.id, now: clockNow(hub) }, points);
      },
    },
    async progress(processed, total, step) {
      const at = Date.now();
      const currentStep = step ?? lastProgress?.step ?? null;
      const finished = total !== undefined && processed >= total;
      if (lastProgress && at - lastProgress.at < PROGRESS_WRITE_INTERVAL_MS && currentStep === lastProgress.step && !finished) return;
      let rate = lastProgress?.rate ?? null;
      if (lastProgress && at > lastProgress.at && processed >= lastProgress.processed) {
        const instant = ((processed - lastProgress.processed) * 1000) / (at - lastProgress.at);
        rate = rate === null ? instant : 0.3 * instant + 0.7 * rate;
      }
      lastProgress = { at, processed, step: currentStep, rate };
      await hub.db
        .update(syncRuns)
        .set({ processed, ...(total !== undefined ? { total } : {}), step: currentStep, ratePerSecond: rate, updatedAt: clockNow(hub) })
        .where(eq(syncRuns.id, run.id));
    },
    paginate: (request, rule, options = {}) => paginate(http, request, rule, { ...options, signal }),
  };
}

async function complete(hub: HubContext, runId: string): Promise<void> {
  const now = clockNow(hub);
  await hub.db.transaction(async (tx) => {
    const [run] = await tx
      .update(syncRuns)
      .set({ status: 'completed', finishedAt: now, updatedAt: now, nextAttemptAt: null, error: null, step: null })
      .where(and(eq(syncRuns.id, runId), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])))
      .returning();
    if (!run) return;
    await tx
      .update(syncStates)
      .set({
        lastStatus: 'completed',
        lastSuccessAt: run.startedAt ?? now,
        lastError: null,
        lastAdded: run.added,
        lastUpdated: run.updated,
        lastDeleted: run.deleted,
        updatedAt: now,
      })
      .where(and(eq(syncStates.integrationId, run.integrationId), eq(syncStates.syncName, run.syncName)));
    const counts = { added: run.added, updated: run.updated, deleted: run.deleted };
    await emitRunEvent(hub, tx, run, 'sync.completed', { durationMs: now.getTime() - (run.startedAt ?? now).getTime(), ...counts, unchanged: run.unchanged });
    if (run.added + run.updated + run.deleted > 0) {
      await emitRunEvent(hub, tx, run, 'data.synced', { model: run.model, ...counts });
    }
  });
}

/** Records a failed attempt: schedules the next one, or ends the run as failed (not retryable) or dead (retries used up). */
async function finishWithFailure(hub: HubContext, run: SyncRunRow, attempt: number, error: unknown, row: IntegrationRow | null): Promise<string> {
  const verdict = judgeFailure(error);
  if (verdict.credentialRefused && row) await markCredentialRefused(hub, row, verdict.message).catch(() => undefined);
  const now = clockNow(hub);
  const entry: RunAttemptError = { attempt, at: now.toISOString(), message: verdict.message, status: verdict.status, retryable: verdict.retryable };
  const errors = [...run.errors, entry].slice(-50);
  const willRetry = verdict.retryable && attempt < run.maxAttempts;
  const jobId = newId();
  const nextAttemptAt = willRetry ? new Date(now.getTime() + retryDelayMs(attempt, hub.config.syncRetryBaseSeconds, verdict.retryAfterMs)) : null;
  const status = willRetry ? 'retrying' : verdict.retryable ? 'dead' : 'failed';
  await hub.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(syncRuns)
      .set({
        status,
        error: verdict.message,
        errors,
        nextAttemptAt,
        step: null,
        updatedAt: now,
        ...(willRetry ? { jobId } : { finishedAt: now }),
      })
      .where(and(eq(syncRuns.id, run.id), eq(syncRuns.jobId, run.jobId!), inArray(syncRuns.status, [...ACTIVE_RUN_STATUSES])))
      .returning();
    if (!updated) return;
    if (willRetry) await queueAttempt(hub, tx, updated, jobId, nextAttemptAt!);
    await tx
      .update(syncStates)
      .set({ lastStatus: status, lastError: verdict.message, lastErrorAt: now, updatedAt: now })
      .where(and(eq(syncStates.integrationId, run.integrationId), eq(syncStates.syncName, run.syncName)));
    await emitRunEvent(hub, tx, updated, 'sync.failed', { error: verdict.message, attempt, willRetry, ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}) });
    if (status === 'dead') await emitRunEvent(hub, tx, updated, 'sync.dead', { error: verdict.message, attempts: attempt });
  });
  if (!willRetry) hub.logger.warn({ runId: run.id, integrationId: run.integrationId, sync: run.syncName, attempt, status, err: verdict.message }, 'sync run ended without success');
  return status;
}
