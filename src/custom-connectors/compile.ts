// Turns a stored run-time definition into a ConnectorDefinition, so the catalogue, the connect wizard, actions,
// the proxy and runs treat it like a connector written in code. REST definitions call their API through the
// integration's own provider client (same outbound client: timeouts, retries, rate budget, SSRF guard, operation
// log); n8n-workflow and Spark definitions call through the n8n or Livy integration they name, in the same workspace.
import { z } from 'zod';
import { defineAction, defineConnector, type ActionDefinition, type AuthSpec, type CheckResult, type ConnectorContext, type ConnectorDefinition } from '../connectors/sdk/define.ts';
import { paginate, readPath, type PaginationRule } from '../connectors/sdk/paginate.ts';
import { ProviderError, type ProviderRequest } from '../connectors/sdk/provider-http.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { ApiError } from '../platform/errors.ts';
import { runAction } from '../integrations/runtime/invoke.ts';
import { invocationTargetFor, loadIntegration, type IntegrationRow } from '../integrations/service.ts';
import { CUSTOM_PREFIX, type CustomDefinition, type N8nWorkflowDefinition, type RequestTemplate, type RestDefinition, type SparkDefinition } from './definition.ts';
import { renderBaseUrl, renderJson, renderPath, renderText, TemplateError, type TemplateValues } from './template.ts';

/** What the runs capability needs to know about a compiled run-time connector. */
export interface CustomConnectorInfo {
  /** The custom connector's own id (uuid), not the connector id. */
  customId: string;
  version: number;
  definition: CustomDefinition;
}

const infos = new WeakMap<ConnectorDefinition, CustomConnectorInfo>();

/** Set for connectors compiled from a run-time definition; undefined for catalogue connectors. */
export function customConnectorInfo(connector: ConnectorDefinition): CustomConnectorInfo | undefined {
  return infos.get(connector);
}

export const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#475569"/><path d="M9 5h3a2 2 0 0 1 4 0h3v5a2 2 0 0 1 0 4v5h-5a2 2 0 0 0-4 0H5v-5a2 2 0 0 0 0-4V5z" fill="#fff"/></svg>';

export function compileDefinition(hub: HubContext, info: CustomConnectorInfo): ConnectorDefinition {
  const { definition } = info;
  const connector =
    definition.kind === 'rest' ? compileRest(definition) : definition.kind === 'n8n-workflow' ? compileN8nWorkflow(hub, definition) : compileSpark(hub, definition);
  infos.set(connector, info);
  return connector;
}

/** Converts a TemplateError met while rendering into the provider-call failure the action runner reports. */
function rendered<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TemplateError) throw new ProviderError({ code: 'invalid_response', message: `The request could not be built: ${error.message}` });
    throw error;
  }
}

// ---- rest ------------------------------------------------------------------------------------------------

function authSpec(auth: RestDefinition['auth']): AuthSpec {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return { kind: 'basic', ...(auth.usernameLabel ? { usernameLabel: auth.usernameLabel } : {}), ...(auth.passwordLabel ? { passwordLabel: auth.passwordLabel } : {}) };
    case 'bearer':
      return { kind: 'apiKey', fields: { token: { label: auth.label ?? 'Token', placement: 'header', name: 'authorization', prefix: 'Bearer ' } } };
    case 'apiKey':
      return { kind: 'apiKey', fields: { apiKey: { label: auth.label ?? 'API key', placement: auth.in, name: auth.name, ...(auth.prefix ? { prefix: auth.prefix } : {}) } } };
  }
}

export function renderRequest(template: RequestTemplate, values: TemplateValues): ProviderRequest {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.query ?? {})) {
    const text = renderText(value, values, 'query');
    if (text !== undefined) query[name] = text;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    const text = renderText(value, values, 'header');
    if (text !== undefined) headers[name] = text;
  }
  const body = template.body === undefined ? undefined : renderJson(template.body, values);
  return {
    method: template.method,
    // Made relative so a rendered path can never be read as an absolute URL; values are already segment-encoded.
    path: renderPath(template.path, values).replace(/^\/+/, ''),
    query,
    headers,
    ...(body !== undefined ? { json: body } : {}),
  };
}

function configSchema(schema: Record<string, unknown> | undefined): z.ZodType<Record<string, unknown>> {
  return (schema ? z.fromJSONSchema(schema as never) : z.object({})) as z.ZodType<Record<string, unknown>>;
}

function compileRest(definition: RestDefinition): ConnectorDefinition {
  type Config = Record<string, unknown>;
  const actions: ActionDefinition<Config>[] = definition.actions.map((action) =>
    defineAction<Config, Record<string, unknown>, unknown>({
      name: action.name,
      title: action.title,
      description: action.description,
      input: z.fromJSONSchema(action.input as never) as z.ZodType<Record<string, unknown>>,
      output: z.unknown(),
      async run(ctx, input) {
        const request = rendered(() => renderRequest(action.request, { input, config: ctx.config }));
        if (!action.paginate) {
          const answer = await ctx.http.request(request);
          return action.output?.path ? readPath(answer.data, action.output.path) : answer.data;
        }
        const { maxPages, ...rule } = action.paginate;
        const items: unknown[] = [];
        let next: string | null = null;
        for await (const page of paginate(ctx.http, request, rule as PaginationRule, { maxPages, signal: ctx.signal })) {
          items.push(...page.items);
          next = page.next;
        }
        return { items, next };
      },
    }),
  );
  return defineConnector<Config>({
    id: `${CUSTOM_PREFIX}${definition.slug}`,
    title: definition.title,
    category: definition.category,
    description: definition.description,
    logo: LOGO,
    docsUrl: definition.docsUrl ?? '',
    baseUrl: (config) => rendered(() => renderBaseUrl(definition.baseUrl, { config })),
    auth: authSpec(definition.auth),
    config: configSchema(definition.config),
    actions,
    ...(definition.defaultAction ? { defaultAction: definition.defaultAction } : {}),
    async checkConnection(ctx) {
      let answer;
      try {
        answer = await ctx.http.request(renderRequest(definition.check.request, { config: ctx.config }));
      } catch (error) {
        if (error instanceof TemplateError) return { ok: false, reason: 'config', message: error.message };
        throw error;
      }
      const success = definition.check.success;
      if (success) {
        const value = readPath(answer.data, success.path);
        const holds = success.equals === undefined ? value !== undefined && value !== null : JSON.stringify(value) === JSON.stringify(success.equals);
        if (!holds) {
          const expected = success.equals === undefined ? 'a value' : JSON.stringify(success.equals);
          return { ok: false, reason: 'auth', message: `The check answered ${answer.status}, but ${success.path} is ${JSON.stringify(value) ?? 'missing'} where ${expected} was expected.` };
        }
      }
      const host = new URL(rendered(() => renderBaseUrl(definition.baseUrl, { config: ctx.config }))).host;
      const accountName = definition.check.accountName ? readPath(answer.data, definition.check.accountName) : undefined;
      const name = typeof accountName === 'string' || typeof accountName === 'number' ? String(accountName) : host;
      return { ok: true, account: { id: host, name, details: { status: answer.status } } };
    },
  });
}

// ---- delegation (n8n-workflow, spark) --------------------------------------------------------------------------

/** The n8n or Livy integration a definition names, from the caller's workspace only. */
async function referencedIntegration(hub: HubContext, workspaceId: string, integrationId: string, connectorId: string, title: string): Promise<IntegrationRow> {
  let row: IntegrationRow;
  try {
    row = await loadIntegration(hub, workspaceId, integrationId);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') {
      throw new ProviderError({ code: 'invalid_response', message: `The ${title} integration ${integrationId} this connector runs through no longer exists in this workspace.` });
    }
    throw error;
  }
  if (row.connectorId !== connectorId) throw new ProviderError({ code: 'invalid_response', message: `Integration ${row.name} is a ${row.connectorId} integration, not ${title}.` });
  return row;
}

/** Runs an action of another integration of the same workspace; its failures come back as ProviderErrors. */
export async function delegate(hub: HubContext, ctx: ConnectorContext<unknown>, ref: { integrationId: string; connectorId: string; title: string }, action: string, input: unknown): Promise<unknown> {
  const row = await referencedIntegration(hub, ctx.workspaceId, ref.integrationId, ref.connectorId, ref.title);
  const outcome = await runAction(await invocationTargetFor(hub, row, ctx.signal), action, input);
  if (outcome.ok) return outcome.output;
  const detail = outcome.issues?.length ? ` (${outcome.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')})` : '';
  throw new ProviderError({
    code: outcome.kind === 'provider_error' ? 'http_error' : 'invalid_response',
    message: `${outcome.message}${detail}`,
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.providerBody !== undefined ? { body: outcome.providerBody } : {}),
    ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
  });
}

async function delegatedCheck(hub: HubContext, ctx: ConnectorContext<unknown>, ref: { integrationId: string; connectorId: string; title: string }, probe?: () => Promise<string>): Promise<CheckResult> {
  try {
    const row = await referencedIntegration(hub, ctx.workspaceId, ref.integrationId, ref.connectorId, ref.title);
    if (row.status !== 'connected') return { ok: false, reason: 'config', message: `The ${ref.title} integration "${row.name}" is ${row.status}${row.statusReason ? ` (${row.statusReason})` : ''}; re-check it first.` };
    const what = probe ? await probe() : row.name;
    return { ok: true, account: { id: row.id, name: what, details: { integration: row.name } } };
  } catch (error) {
    if (error instanceof ProviderError) return { ok: false, reason: error.status && error.status >= 500 ? 'unavailable' : 'config', message: error.message };
    throw error;
  }
}

/**
 * What every delegating connector (n8n workflow, Spark) shares: its identity from the definition, and no calls
 * of its own — no auth, no settings, and a base URL that is never used (the proxy answers 502 for them).
 */
function delegatingBase(definition: N8nWorkflowDefinition | SparkDefinition, defaultDocsUrl: string) {
  return {
    id: `${CUSTOM_PREFIX}${definition.slug}`,
    title: definition.title,
    category: definition.category,
    description: definition.description,
    logo: LOGO,
    docsUrl: definition.docsUrl ?? defaultDocsUrl,
    baseUrl: 'https://delegated.invalid/',
    auth: { kind: 'none' as const },
    config: z.object({}) as z.ZodType<Record<string, never>>,
  };
}

// ---- n8n-workflow --------------------------------------------------------------------------------------------

const N8N = { connectorId: 'n8n', title: 'n8n' };

/** The path of the workflow's first Webhook node, from its definition in n8n. */
async function webhookPathOf(hub: HubContext, ctx: ConnectorContext<unknown>, definition: N8nWorkflowDefinition): Promise<string> {
  if (definition.workflow.webhookPath) return definition.workflow.webhookPath;
  const workflow = (await delegate(hub, ctx, { ...N8N, integrationId: definition.integrationId }, 'getWorkflow', { id: definition.workflow.workflowId })) as {
    nodes?: { type: string; parameters?: Record<string, unknown> }[];
  };
  const node = workflow.nodes?.find((candidate) => candidate.type === 'n8n-nodes-base.webhook');
  const path = node?.parameters?.path;
  if (typeof path !== 'string' || path === '') {
    throw new ProviderError({ code: 'invalid_response', message: `Workflow ${definition.workflow.workflowId} has no Webhook node with a path; add one, or give webhookPath.` });
  }
  return path;
}

function compileN8nWorkflow(hub: HubContext, definition: N8nWorkflowDefinition): ConnectorDefinition {
  const ref = { ...N8N, integrationId: definition.integrationId };
  return defineConnector<Record<string, never>>({
    ...delegatingBase(definition, 'https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.webhook/'),
    defaultAction: 'run',
    checkConnection: (ctx) => delegatedCheck(hub, ctx, ref, async () => `${definition.title} (${await webhookPathOf(hub, ctx, definition)})`),
    actions: [
      defineAction<Record<string, never>, Record<string, unknown>, { status: number; result: unknown }>({
        name: 'run',
        title: 'Run the workflow',
        description: `Triggers the n8n workflow with the input as its payload and returns its answer${definition.result.path ? ` at ${definition.result.path}` : ''}.`,
        input: z.fromJSONSchema(definition.input as never) as z.ZodType<Record<string, unknown>>,
        output: z.object({ status: z.number(), result: z.unknown() }),
        async run(ctx, input) {
          const path = await webhookPathOf(hub, ctx, definition);
          const answer = (await delegate(hub, ctx, ref, 'triggerWebhook', {
            path,
            mode: definition.workflow.mode,
            method: definition.workflow.method,
            payload: input,
            timeoutSeconds: definition.timeoutSeconds,
          })) as { status: number; body: unknown };
          return { status: answer.status, result: definition.result.path ? readPath(answer.body, definition.result.path) : answer.body };
        },
      }),
    ],
  });
}

// ---- spark ------------------------------------------------------------------------------------------------------

const LIVY = { connectorId: 'livy', title: 'Apache Livy' };

/** The POST /batches body of a Spark definition for one input. */
export function sparkBatch(definition: SparkDefinition, input: Record<string, unknown>): Record<string, unknown> {
  const values = { input };
  return rendered(() => {
    const text = (template: string) => renderText(template, values, 'query') ?? '';
    const conf = Object.fromEntries(Object.entries(definition.conf).map(([key, value]) => [key, text(value)]));
    return {
      file: text(definition.file),
      ...(definition.className ? { className: definition.className } : {}),
      args: definition.args.map(text),
      ...(Object.keys(conf).length ? { conf } : {}),
      ...(definition.name ? { name: text(definition.name) } : {}),
    };
  });
}

function compileSpark(hub: HubContext, definition: SparkDefinition): ConnectorDefinition {
  const ref = { ...LIVY, integrationId: definition.integrationId };
  type Config = Record<string, never>;
  const id = z.object({ id: z.number().int().min(0) });
  return defineConnector<Config>({
    ...delegatingBase(definition, 'https://livy.apache.org/docs/latest/rest-api.html'),
    defaultAction: 'submit',
    checkConnection: (ctx) => delegatedCheck(hub, ctx, ref),
    actions: [
      defineAction<Config, Record<string, unknown>, unknown>({
        name: 'submit',
        title: 'Submit the Spark job',
        description: `Submits ${definition.file} to Livy with the input filled into its arguments; POST /api/v1/integrations/:id/run also follows it to the end.`,
        input: z.fromJSONSchema(definition.input as never) as z.ZodType<Record<string, unknown>>,
        output: z.unknown(),
        run: (ctx, input) => delegate(hub, ctx, ref, 'submitBatch', sparkBatch(definition, input)),
      }),
      defineAction<Config, { id: number }, unknown>({
        name: 'state',
        title: 'Batch state',
        description: 'The Livy state of a batch this connector submitted.',
        input: id,
        output: z.unknown(),
        run: (ctx, input) => delegate(hub, ctx, ref, 'batchState', input),
      }),
      defineAction<Config, { id: number; from?: number | undefined; size?: number | undefined }, unknown>({
        name: 'log',
        title: 'Batch log',
        description: 'Log lines of a batch.',
        input: id.extend({ from: z.number().int().min(0).optional(), size: z.number().int().min(1).max(10_000).optional() }),
        output: z.unknown(),
        run: (ctx, input) => delegate(hub, ctx, ref, 'batchLog', input),
      }),
      defineAction<Config, { id: number }, unknown>({
        name: 'cancel',
        title: 'Cancel a batch',
        description: 'Kills a batch (DELETE /batches/{id}).',
        input: id,
        output: z.unknown(),
        run: (ctx, input) => delegate(hub, ctx, ref, 'cancelBatch', input),
      }),
    ],
  });
}
