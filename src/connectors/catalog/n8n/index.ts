// n8n: check an instance with its API key, list and (de)activate workflows, list executions, and trigger a
// workflow through its Webhook node with a payload, returning what the workflow answered.
//
// Written from n8n's public API documentation (https://docs.n8n.io/api/, the API reference at
// https://docs.n8n.io/api/api-reference/ and an instance's own /api/v1/docs):
//   auth      `X-N8N-API-KEY: <key>` on every /api/v1 request (Settings → n8n API)
//   paging    `?limit=` (default 100, at most 250) and `?cursor=` from the answer's `nextCursor`
//   workflows GET /api/v1/workflows (active, name, tags, projectId), GET /api/v1/workflows/{id},
//             POST /api/v1/workflows/{id}/activate, POST /api/v1/workflows/{id}/deactivate
//   executions GET /api/v1/executions (workflowId, status, includeData)
//   errors    `{ "message": "..." }` (401 unauthorized, 404 Not Found, 400 with the reason)
// Webhooks (https://docs.n8n.io/integrations/builtin/core-nodes/n8n-nodes-base.webhook/): a Webhook node listens
// at `<instance>/webhook/<path>` while the workflow is active (production) and at `<instance>/webhook-test/<path>`
// for one call after "Listen for test event" in the editor; an unknown path answers 404
// `{ code: 404, message: 'The requested webhook "POST x" is not registered.', hint }`.
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'n8n';
export const API_PATH = 'api/v1/';
const MAX_PAGE = 250;

const config = z.object({
  instanceUrl: z.url({ protocol: /^https?$/ }).describe('Address of your n8n, e.g. https://n8n.example.com (the public API is at /api/v1 below it)'),
  webhookAuthHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only')
    .optional()
    .describe("Header your Webhook nodes' Header Auth expects (its value is the webhook secret credential)"),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const workflowId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an n8n workflow id (letters, digits, - and _)').describe('The workflow id, as in its editor URL');
const tag = z.looseObject({ id: z.string(), name: z.string() });
const workflow = z.looseObject({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  tags: z.array(tag).optional(),
});
const workflowDetail = workflow.extend({
  nodes: z.array(z.looseObject({ name: z.string(), type: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })).optional(),
});
const execution = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  workflowId: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.string().optional(),
  mode: z.string().optional(),
  finished: z.boolean().optional(),
  startedAt: z.string().nullable().optional(),
  stoppedAt: z.string().nullable().optional(),
});

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an undocumented shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})` });
}

/** The webhook path as n8n shows it in the node (`orders/new` or `<uuid>/orders/:id` filled in), each segment encoded. */
export function webhookUrlPath(mode: 'production' | 'test', path: string): string {
  const segments = path.replace(/^\/+|\/+$/g, '').split('/').map((segment) => encodeURIComponent(segment));
  return `${mode === 'test' ? 'webhook-test' : 'webhook'}/${segments.join('/')}`;
}

const webhookPath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.split('/').some((s) => s === '..' || s === '.'), 'must be the webhook path shown in the Webhook node (no scheme, no . or .. segments)')
  .describe('The Webhook node\'s path, e.g. `orders/new` (without /webhook/)');

const listWorkflowsInput = z.object({
  active: z.boolean().optional().describe('Only active (or only inactive) workflows'),
  name: z.string().max(200).optional(),
  tags: z.string().max(500).optional().describe('Comma-separated tag names'),
  projectId: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(100).describe('Workflows per request (n8n: at most 250)'),
  cursor: z.string().min(1).optional().describe('nextCursor from a previous answer'),
  followPages: z.boolean().default(false).describe('Keep requesting pages until the end or maxResults'),
  maxResults: z.number().int().min(1).max(10_000).default(1_000),
});
const listExecutionsInput = z.object({
  workflowId: workflowId.optional(),
  status: z.enum(['canceled', 'error', 'running', 'success', 'waiting']).optional(),
  includeData: z.boolean().default(false).describe("Include each execution's node data (large)"),
  limit: z.number().int().min(1).max(MAX_PAGE).default(20),
  cursor: z.string().min(1).optional(),
});
const triggerInput = z.object({
  path: webhookPath,
  mode: z.enum(['production', 'test']).default('production').describe('production: /webhook/ (workflow active); test: /webhook-test/ (after "Listen for test event")'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('POST').describe("The Webhook node's HTTP method"),
  payload: z.unknown().optional().describe('Sent as the JSON body (as query parameters for GET and HEAD)'),
  query: z.record(z.string(), z.string()).optional(),
  timeoutSeconds: z.number().int().min(1).max(300).default(60).describe('How long to wait for the workflow to answer'),
});
const triggerOutput = z.object({ status: z.number(), contentType: z.string().nullable(), body: z.unknown() });

/** Adds n8n's webhook hint ("Click the 'Execute workflow' button…") to the message of a refused webhook call. */
function webhookError(error: unknown): unknown {
  if (!(error instanceof ProviderError) || !error.body || typeof error.body !== 'object') return error;
  const hint = (error.body as { hint?: unknown }).hint;
  if (typeof hint !== 'string' || hint === '') return error;
  return new ProviderError({
    code: error.code,
    body: error.body,
    message: `${error.message}. ${hint}`,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}

async function triggerWebhook(ctx: Ctx, input: z.infer<typeof triggerInput>): Promise<z.infer<typeof triggerOutput>> {
  const sendsBody = input.method !== 'GET' && input.method !== 'HEAD';
  const query: Record<string, string> = { ...input.query };
  if (!sendsBody && input.payload && typeof input.payload === 'object') {
    for (const [name, value] of Object.entries(input.payload as Record<string, unknown>)) query[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  try {
    const answer = await ctx.http.request<string>({
      method: input.method,
      path: webhookUrlPath(input.mode, input.path),
      query,
      ...(sendsBody && input.payload !== undefined ? { json: input.payload } : {}),
      responseType: 'text',
      timeoutMs: input.timeoutSeconds * 1000,
      // A workflow run is not safe to repeat: one call, whatever happens.
      retry: false,
    });
    const contentType = headerOf(answer.headers['content-type']);
    return { status: answer.status, contentType, body: parseAnswer(answer.data, contentType) };
  } catch (error) {
    throw webhookError(error);
  }
}

function headerOf(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function parseAnswer(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export default defineConnector<Config>({
  id: 'n8n',
  title: 'n8n',
  category: 'automation',
  description:
    'Run n8n workflows from the hub: check an instance with its API key, list workflows, activate or deactivate them, list executions, and trigger a workflow through its Webhook node with a payload, returning its answer.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#EA4B71"/><circle cx="6" cy="12" r="2.2" fill="#fff"/><circle cx="13" cy="8" r="2.2" fill="#fff"/><circle cx="13" cy="16" r="2.2" fill="#fff"/><circle cx="19" cy="8" r="2.2" fill="#fff"/><path d="M8 12h2.5l1-3M10.5 12l1 3M15 8h2" stroke="#fff" stroke-width="1.4" fill="none"/></svg>',
  docsUrl: 'https://docs.n8n.io/api/',
  baseUrl: (c) => c.instanceUrl,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key', description: 'Settings → n8n API → Create an API key.', placement: 'none' },
      webhookSecret: { label: 'Webhook secret', description: "Optional: the value your Webhook nodes' Header Auth expects (see the webhook header setting).", placement: 'none', optional: true },
    },
  },
  // The API key goes only to the public API; webhook calls carry the webhook secret instead, so a workflow that
  // logs its request headers never sees the instance's API key.
  authenticate({ headers, url }, c, credential) {
    const apiRoot = new URL(API_PATH, c.instanceUrl.endsWith('/') ? c.instanceUrl : `${c.instanceUrl}/`).pathname;
    if (url.pathname.startsWith(apiRoot)) {
      if (credential.apiKey) headers['x-n8n-api-key'] = credential.apiKey;
    } else if (c.webhookAuthHeader && credential.webhookSecret) {
      headers[c.webhookAuthHeader.toLowerCase()] = credential.webhookSecret;
    }
  },
  config,
  defaultAction: 'triggerWebhook',
  async checkConnection(ctx) {
    try {
      const answer = await ctx.http.get(`${API_PATH}workflows`, { query: { limit: 1 } });
      read(z.object({ data: z.array(workflow) }), answer.data, 'the workflow list');
      const host = new URL(ctx.config.instanceUrl).host;
      return { ok: true, account: { id: host, name: `n8n at ${host}`, details: { api: 'v1' } } };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const detail = error.message.replace(`${TITLE} answered `, '');
      if (error.status === 401 || error.status === 403) return rejectedBy(TITLE, error.status, detail.replace(/^\d+:?\s*/, ''), 'credentials.apiKey');
      if (error.status === 404) {
        return { ok: false, reason: 'config', field: 'config.instanceUrl', message: `There is no n8n public API at ${ctx.config.instanceUrl}/api/v1 (404). Check the address, and that the API is enabled (N8N_PUBLIC_API_DISABLED).` };
      }
      return { ok: false, reason: error.status && error.status < 500 && error.status !== 429 ? 'config' : 'unavailable', message: error.message };
    }
  },
  actions: [
    defineAction<Config, z.infer<typeof listWorkflowsInput>, { workflows: z.infer<typeof workflow>[]; nextCursor: string | null }>({
      name: 'listWorkflows',
      title: 'List workflows',
      description: 'Lists workflows (id, name, active, tags), a page at a time or following nextCursor.',
      input: listWorkflowsInput,
      output: z.object({ workflows: z.array(workflow), nextCursor: z.string().nullable() }),
      async run(ctx, input) {
        const query = { limit: input.limit, active: input.active, name: input.name, tags: input.tags, projectId: input.projectId, cursor: input.cursor };
        const workflows: z.infer<typeof workflow>[] = [];
        let nextCursor: string | null = null;
        const pages = paginate(ctx.http, { path: `${API_PATH}workflows`, query }, { kind: 'cursor', itemsPath: 'data', cursorPath: 'nextCursor', cursorParam: 'cursor' }, {
          ...(input.followPages ? {} : { maxPages: 1 }),
          signal: ctx.signal,
        });
        for await (const page of pages) {
          workflows.push(...page.items.map((item) => read(workflow, item, 'a workflow')));
          nextCursor = page.next;
          if (workflows.length >= input.maxResults) break;
        }
        return { workflows: workflows.slice(0, input.maxResults), nextCursor };
      },
    }),
    defineAction<Config, { id: string }, z.infer<typeof workflowDetail>>({
      name: 'getWorkflow',
      title: 'Get a workflow',
      description: 'Reads one workflow with its nodes (e.g. to find the path of its Webhook node).',
      input: z.object({ id: workflowId }),
      output: workflowDetail,
      async run(ctx, input) {
        return read(workflowDetail, (await ctx.http.get(`${API_PATH}workflows/${encodeURIComponent(input.id)}`)).data, 'the workflow');
      },
    }),
    defineAction<Config, { id: string }, z.infer<typeof workflow>>({
      name: 'activateWorkflow',
      title: 'Activate a workflow',
      description: 'Activates a workflow, so its triggers (production webhooks, schedules) run.',
      input: z.object({ id: workflowId }),
      output: workflow,
      async run(ctx, input) {
        return read(workflow, (await ctx.http.post(`${API_PATH}workflows/${encodeURIComponent(input.id)}/activate`)).data, 'the activated workflow');
      },
    }),
    defineAction<Config, { id: string }, z.infer<typeof workflow>>({
      name: 'deactivateWorkflow',
      title: 'Deactivate a workflow',
      description: 'Deactivates a workflow: its production webhooks answer 404 until it is activated again.',
      input: z.object({ id: workflowId }),
      output: workflow,
      async run(ctx, input) {
        return read(workflow, (await ctx.http.post(`${API_PATH}workflows/${encodeURIComponent(input.id)}/deactivate`)).data, 'the deactivated workflow');
      },
    }),
    defineAction<Config, z.infer<typeof triggerInput>, z.infer<typeof triggerOutput>>({
      name: 'triggerWebhook',
      title: 'Trigger a workflow',
      description: "Calls a workflow's Webhook node (production /webhook/ or test /webhook-test/) with a payload and returns what the workflow answered.",
      input: triggerInput,
      output: triggerOutput,
      run: triggerWebhook,
    }),
    defineAction<Config, z.infer<typeof listExecutionsInput>, { executions: z.infer<typeof execution>[]; nextCursor: string | null }>({
      name: 'listExecutions',
      title: 'List executions',
      description: 'Lists recent executions (status, mode, start and stop times), optionally of one workflow or status.',
      input: listExecutionsInput,
      output: z.object({ executions: z.array(execution), nextCursor: z.string().nullable() }),
      async run(ctx, input) {
        const answer = await ctx.http.get(`${API_PATH}executions`, {
          query: { workflowId: input.workflowId, status: input.status, includeData: input.includeData, limit: input.limit, cursor: input.cursor },
        });
        const body = read(z.object({ data: z.array(execution), nextCursor: z.string().nullable().optional() }), answer.data, 'the execution list');
        return { executions: body.data, nextCursor: body.nextCursor ?? null };
      },
    }),
  ],
});
