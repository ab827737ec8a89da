// The job that executes a run. An action run calls the action once (never repeated: actions are not assumed
// idempotent). A Spark run submits a Livy batch, polls its state with backoff (progress follows the state), keeps
// the end of its log, and on cancel kills the batch with DELETE /batches/:id. A Spark run whose worker stopped is
// resumed by the retry from the batch id it stored, never submitted twice.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { LIVY_FINAL_STATES } from '../connectors/catalog/livy/index.ts';
import type { BinaryOutput } from '../connectors/sdk/define.ts';
import { customConnectorInfo, type SparkDefinition } from '../custom-connectors/index.ts';
import { runAction, type ActionOutcome } from '../integrations/runtime/invoke.ts';
import { invocationTargetFor, loadIntegration, markCredentialRefused } from '../integrations/service.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { defineJob, type JobContext } from '../platform/jobs/define.ts';
import { finishRun, FINAL_STATUSES, RUN_JOB, sparkActionsOf, type RunRow, type SparkActions } from './service.ts';
import { integrationRuns } from './tables.ts';

const payload = z.object({
  runId: z.uuid(),
  poll: z.object({ initialSeconds: z.number().optional(), maxSeconds: z.number().optional() }).optional(),
});

/** Livy states in the order a batch passes them; the job's progress is the step reached. */
const STAGES: Record<string, number> = { not_started: 0, starting: 1, recovering: 1, idle: 2, running: 2, busy: 2, shutting_down: 3, success: 4, dead: 4, killed: 4, error: 4 };
const STAGE_COUNT = 4;
// Consecutive failed state polls (Livy restarting, a gateway hiccup) before the run is given up.
const MAX_POLL_FAILURES = 5;

export function integrationRunJobs(hubContext: () => HubContext) {
  return [
    defineJob({
      name: RUN_JOB,
      payload,
      // Retries only matter for Spark runs whose worker stopped: they resume from the stored batch id.
      retry: { limit: 3, delaySeconds: 5 },
      // Spark jobs can run for hours; pg-boss allows at most 24 h including the engine's 30 s margin.
      timeoutSeconds: 23 * 3600,
      handler: (input, context) => executeRun(hubContext(), input, context),
    }),
  ];
}

async function executeRun(hub: HubContext, input: z.infer<typeof payload>, context: JobContext): Promise<unknown> {
  const [run] = await hub.db.select().from(integrationRuns).where(and(eq(integrationRuns.id, input.runId), eq(integrationRuns.workspaceId, context.workspaceId ?? '')));
  if (!run || FINAL_STATUSES.includes(run.status)) return { skipped: true };
  if (run.kind === 'action' && run.status === 'running') {
    // A previous attempt may have called the provider already; calling again could repeat its effect.
    await finishRun(hub, run, { status: 'failed', error: 'The worker running this action stopped before it finished; it was not repeated, since the action may already have taken effect.' });
    return { interrupted: true };
  }
  const [started] = await hub.db
    .update(integrationRuns)
    .set({ status: 'running', startedAt: run.startedAt ?? new Date() })
    .where(and(eq(integrationRuns.id, run.id), eq(integrationRuns.status, run.status)))
    .returning();
  if (!started) return { skipped: true };
  const row = await loadIntegration(hub, started.workspaceId, started.integrationId);
  const target = await invocationTargetFor(hub, row, context.signal);
  if (started.kind === 'action') {
    await context.progress({ step: started.action, processed: 0, total: 1 });
    const outcome = await runAction(target, started.action, started.input);
    if (context.signal.aborted && (await wasCancelled(hub, started))) return finishRun(hub, started, { status: 'cancelled' });
    await context.progress({ step: started.action, processed: 1, total: 1 });
    if (outcome.ok) return finishRun(hub, started, { status: 'succeeded', output: storable(outcome.output) });
    if (outcome.status === 401 || outcome.status === 403) await markCredentialRefused(hub, row, outcome.message);
    return finishRun(hub, started, { status: 'failed', error: outcome.message, ...(outcome.providerBody !== undefined ? { output: { providerStatus: outcome.status ?? null, providerBody: outcome.providerBody } } : {}) });
  }
  const actions = sparkActionsOf(target.connector);
  if (!actions) return finishRun(hub, started, { status: 'failed', error: `${target.connector.title} cannot run Spark jobs.` });
  const definition = customConnectorInfo(target.connector)?.definition as SparkDefinition | undefined;
  const poll = { initialSeconds: input.poll?.initialSeconds ?? definition?.poll.initialSeconds ?? 2, maxSeconds: input.poll?.maxSeconds ?? definition?.poll.maxSeconds ?? 30 };
  const call = async (name: string, args: unknown) => {
    const outcome = await runAction(target, name, args);
    // An aborted call comes back as a failed outcome; the abort itself decides what happens next.
    context.signal.throwIfAborted();
    return outcome;
  };
  return runSpark(hub, started, { run: call, context, actions, poll, logLines: definition?.logLines ?? 200, cancelTarget: () => invocationTargetFor(hub, row) });
}

async function wasCancelled(hub: HubContext, run: RunRow): Promise<boolean> {
  return (await hub.jobs.get(run.jobId, run.workspaceId))?.state === 'cancelled';
}

/** Bytes are not kept in the run history: their type and size are. */
function storable(output: unknown): unknown {
  if (output && typeof output === 'object' && (output as BinaryOutput).data instanceof Uint8Array) {
    const binary = output as BinaryOutput;
    return { contentType: binary.contentType, bytes: binary.data.byteLength, ...(binary.fileName ? { fileName: binary.fileName } : {}) };
  }
  return output;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface SparkRunner {
  run(action: string, input: unknown): Promise<ActionOutcome>;
  context: JobContext;
  actions: SparkActions;
  poll: { initialSeconds: number; maxSeconds: number };
  logLines: number;
  /** A target whose signal is not the job's (already aborted when a cancel has to kill the batch). */
  cancelTarget(): ReturnType<typeof invocationTargetFor>;
}

async function runSpark(hub: HubContext, run: RunRow, spark: SparkRunner): Promise<unknown> {
  const { context, actions } = spark;
  let batchId = run.externalId !== null ? Number(run.externalId) : null;
  let state = run.externalState ?? 'not_started';
  try {
    if (batchId === null) {
      await context.progress({ step: 'submitting', processed: 0, total: STAGE_COUNT });
      const submitted = await spark.run(actions.submit, run.input);
      if (!submitted.ok) return await finishRun(hub, run, { status: 'failed', error: submitted.message });
      const batch = submitted.output as { id: number; state: string };
      batchId = batch.id;
      state = batch.state;
      await hub.db.update(integrationRuns).set({ externalId: String(batchId), externalState: state }).where(eq(integrationRuns.id, run.id));
      run = { ...run, externalId: String(batchId), externalState: state };
    }
    await context.progress({ step: state, processed: STAGES[state] ?? 1, total: STAGE_COUNT });
    let delayMs = spark.poll.initialSeconds * 1000;
    let failures = 0;
    while (!LIVY_FINAL_STATES.includes(state as never)) {
      await sleep(delayMs, context.signal);
      delayMs = Math.min(delayMs * 2, spark.poll.maxSeconds * 1000);
      const answer = await spark.run(actions.state, { id: batchId });
      if (!answer.ok) {
        // Gone from Livy (deleted elsewhere, or Livy restarted without recovery): nothing left to follow.
        if (answer.status === 404) return await finishRun(hub, run, { status: 'failed', error: `Livy no longer knows batch ${batchId}: ${answer.message}` });
        failures += 1;
        if (failures >= MAX_POLL_FAILURES) return await finishRun(hub, run, { status: 'failed', error: `Livy did not answer for the batch state ${failures} times in a row: ${answer.message}` });
        continue;
      }
      failures = 0;
      const next = (answer.output as { state: string }).state;
      if (next !== state) {
        state = next;
        await hub.db.update(integrationRuns).set({ externalState: state }).where(eq(integrationRuns.id, run.id));
        run = { ...run, externalState: state };
      }
      await context.progress({ step: state, processed: STAGES[state] ?? 1, total: STAGE_COUNT });
    }
    const log = await logTail(spark, batchId);
    if (state === 'success') return await finishRun(hub, run, { status: 'succeeded', output: { batchId, state }, externalState: state, log });
    return await finishRun(hub, run, { status: 'failed', error: `Spark batch ${batchId} ended ${state}${log.length ? `: ${log.at(-1)}` : ''}`, externalState: state, log });
  } catch (error) {
    if (!context.signal.aborted) throw error;
    // A cancel kills the batch; a worker shutting down leaves it running for the retry to follow.
    if (!(await wasCancelled(hub, run))) throw error;
    if (batchId !== null) {
      const target = await spark.cancelTarget();
      const killed = await runAction(target, actions.cancel, { id: batchId });
      if (!killed.ok && killed.status !== 404) hub.logger.warn({ runId: run.id, batchId, err: killed.message }, 'could not kill the Spark batch of a cancelled run');
    }
    return finishRun(hub, run, { status: 'cancelled', externalState: batchId !== null ? 'killed' : null });
  }
}

/** The last `logLines` lines of a batch's log (one call to learn its length when Livy reports it, one to read). */
async function logTail(spark: SparkRunner, batchId: number): Promise<string[]> {
  if (spark.logLines === 0) return [];
  const head = await spark.run(spark.actions.log, { id: batchId, from: 0, size: spark.logLines });
  if (!head.ok) return [`(the log could not be read: ${head.message})`];
  const first = head.output as { total: number | null; log: string[] };
  if (first.total === null || first.total <= spark.logLines) return first.log;
  const tail = await spark.run(spark.actions.log, { id: batchId, from: first.total - spark.logLines, size: spark.logLines });
  return tail.ok ? (tail.output as { log: string[] }).log : first.log;
}
