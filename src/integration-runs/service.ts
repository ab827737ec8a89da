// Starting a run (seed 003's "trigger an integration"): what it runs is decided and its input validated at the
// request, the run row and its job are written in one transaction (the job table is the outbox), and a run ends
// exactly once, with its event, in the transaction that records how it ended.
import { and, eq, inArray } from 'drizzle-orm';
import type { ConnectorDefinition } from '../connectors/sdk/define.ts';
import { customConnectorInfo } from '../custom-connectors/index.ts';
import { loadIntegration, resolveConnector, type IntegrationRow } from '../integrations/service.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ApiError, notFound } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import { emitEvent } from '../webhooks/index.ts';
import { integrationRuns, type IntegrationRunKind, type IntegrationRunStatus } from './tables.ts';

export type RunRow = typeof integrationRuns.$inferSelect;
export const RUN_JOB = 'integration-runs.execute';
export const FINAL_STATUSES: readonly IntegrationRunStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface SparkActions {
  submit: string;
  state: string;
  log: string;
  cancel: string;
}

/** A Spark run's actions: those of a custom spark connector, or the Livy connector's own. */
export function sparkActionsOf(connector: ConnectorDefinition): SparkActions | null {
  if (customConnectorInfo(connector)?.definition.kind === 'spark') return { submit: 'submit', state: 'state', log: 'log', cancel: 'cancel' };
  if (connector.id === 'livy') return { submit: 'submitBatch', state: 'batchState', log: 'batchLog', cancel: 'cancelBatch' };
  return null;
}

interface Plan {
  kind: IntegrationRunKind;
  action: string;
  input: unknown;
}

function planRun(connector: ConnectorDefinition, body: { action?: string | undefined; input?: unknown }): Plan {
  const spark = sparkActionsOf(connector);
  const name = body.action ?? connector.defaultAction ?? (connector.actions.length === 1 ? connector.actions[0]!.name : undefined);
  if (!name) {
    throw new ApiError('validation_failed', `${connector.title} has no default action; name one in body.action (${connector.actions.map((a) => a.name).join(', ')}).`, {
      details: [{ field: 'body.action', message: 'required for this connector' }],
    });
  }
  const action = connector.actions.find((candidate) => candidate.name === name);
  if (!action) {
    throw new ApiError('validation_failed', `${connector.title} has no action "${name}"; its actions are ${connector.actions.map((a) => a.name).join(', ')}.`, {
      details: [{ field: 'body.action', message: 'unknown action' }],
    });
  }
  const parsed = action.input.safeParse(body.input ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: ['body', 'input', ...issue.path.map(String)].join('.'), message: issue.message }));
    throw new ApiError('validation_failed', `Invalid input for ${action.name}. ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, { details });
  }
  return { kind: spark && name === spark.submit ? 'spark' : 'action', action: name, input: parsed.data };
}

export async function startRun(
  hub: HubContext,
  principal: Principal,
  integrationId: string,
  body: { action?: string | undefined; input?: unknown; poll?: { initialSeconds?: number | undefined; maxSeconds?: number | undefined } | undefined },
): Promise<RunRow> {
  const row = await loadIntegration(hub, principal.workspaceId, integrationId);
  const connector = await resolveConnector(hub, row.workspaceId, row.connectorId, 'connectorId');
  const plan = planRun(connector, body);
  const id = newId();
  const jobId = newId();
  const definition = hub.jobs.definition(RUN_JOB);
  if (!definition) throw new Error(`The job type ${RUN_JOB} is not registered`);
  return hub.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(integrationRuns)
      .values({
        id,
        workspaceId: row.workspaceId,
        integrationId: row.id,
        connectorId: connector.id,
        connectorVersion: customConnectorInfo(connector)?.version ?? null,
        kind: plan.kind,
        action: plan.action,
        status: 'queued',
        jobId,
        input: plan.input ?? null,
        createdByUserId: principal.kind === 'api_key' ? null : principal.userId,
      })
      .returning();
    await hub.jobs.send(definition, { runId: id, ...(body.poll ? { poll: body.poll } : {}) }, { workspaceId: row.workspaceId, tx, id: jobId });
    return run!;
  });
}

export async function loadRun(hub: HubContext, workspaceId: string, integrationId: string, runId: string): Promise<RunRow> {
  const [run] = await hub.db
    .select()
    .from(integrationRuns)
    .where(and(eq(integrationRuns.id, runId), eq(integrationRuns.integrationId, integrationId), eq(integrationRuns.workspaceId, workspaceId)));
  if (!run) throw notFound('Run');
  return run;
}

/**
 * Records how a run ended and emits its event, once: a run already ended (a cancel racing the last poll) is
 * left as it is. Returns whether this call ended it.
 */
export async function finishRun(
  hub: HubContext,
  run: RunRow,
  outcome: { status: 'succeeded' | 'failed' | 'cancelled'; output?: unknown; error?: string; externalState?: string | null; log?: string[] | null },
): Promise<boolean> {
  const finishedAt = new Date();
  return hub.db.transaction(async (tx) => {
    const [ended] = await tx
      .update(integrationRuns)
      .set({
        status: outcome.status,
        finishedAt,
        ...(outcome.output !== undefined ? { output: outcome.output } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.externalState !== undefined ? { externalState: outcome.externalState } : {}),
        ...(outcome.log !== undefined ? { log: outcome.log } : {}),
      })
      .where(and(eq(integrationRuns.id, run.id), inArray(integrationRuns.status, ['queued', 'running'])))
      .returning();
    if (!ended) return false;
    const type = outcome.status === 'succeeded' ? 'run.completed' : outcome.status === 'failed' ? 'run.failed' : 'run.cancelled';
    await emitEvent(hub.jobs, tx, {
      workspaceId: ended.workspaceId,
      type,
      source: 'api',
      integrationId: ended.integrationId,
      connectorId: ended.connectorId,
      payload: {
        runId: ended.id,
        integrationId: ended.integrationId,
        connectorId: ended.connectorId,
        kind: ended.kind,
        action: ended.action,
        durationMs: ended.startedAt ? finishedAt.getTime() - ended.startedAt.getTime() : null,
        externalId: ended.externalId,
        externalState: ended.externalState,
        ...(outcome.status === 'failed' ? { error: outcome.error ?? 'failed' } : {}),
      },
    });
    return true;
  });
}

/**
 * Cancels a run: its job is cancelled (a running Spark run then kills its batch); a run still queued ends here,
 * since its job will never start.
 */
export async function cancelRun(hub: HubContext, principal: Principal, integrationId: string, runId: string): Promise<RunRow> {
  const run = await loadRun(hub, principal.workspaceId, integrationId, runId);
  if (FINAL_STATUSES.includes(run.status)) throw new ApiError('conflict', `The run already ended (${run.status}).`);
  await hub.jobs.cancel(run.jobId, run.workspaceId);
  if (run.status === 'queued') await finishRun(hub, run, { status: 'cancelled' });
  return loadRun(hub, principal.workspaceId, integrationId, runId);
}

export type { IntegrationRow };
