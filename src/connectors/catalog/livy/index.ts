// Apache Livy: submit Spark batch jobs over REST, read their state and log, cancel them.
//
// Written from Livy's REST API documentation (https://livy.apache.org/docs/latest/rest-api.html):
//   GET /batches?from=&size=          → { from, total, sessions: [batch] }
//   POST /batches { file, proxyUser, className, args, jars, pyFiles, files, driverMemory, driverCores,
//                   executorMemory, executorCores, numExecutors, archives, queue, name, conf }   → batch
//   GET /batches/{id}                 → batch { id, appId, appInfo, log, state }
//   GET /batches/{id}/state           → { id, state }
//   GET /batches/{id}/log?from=&size= → { id, from, total (size in some distributions), log: [lines] }
//   DELETE /batches/{id}              → { msg: "deleted" }
//   errors: `{ "msg": "..." }` (404 "Session '7' not found.", 400 with the reason), sometimes plain text
//   states: not_started, starting, recovering, idle, running, busy, shutting_down, error, dead, killed, success
// With CSRF protection on (livy.server.csrf_protection.enabled) every POST and DELETE needs an
// `X-Requested-By` header; it is always sent. Livy itself authenticates with Kerberos/SPNEGO or not at all; behind
// a gateway (Knox, a cloud's Livy endpoint) Basic or a bearer token is usual, so both are offered.
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy, type ConnectorContext } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Apache Livy';

export const LIVY_BATCH_STATES = ['not_started', 'starting', 'recovering', 'idle', 'running', 'busy', 'shutting_down', 'error', 'dead', 'killed', 'success'] as const;
export type LivyBatchState = (typeof LIVY_BATCH_STATES)[number];
/** A batch in one of these states will not change again. */
export const LIVY_FINAL_STATES: readonly LivyBatchState[] = ['success', 'dead', 'killed', 'error'];

const config = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).describe('Livy server, e.g. http://livy.internal:8998 (or the gateway path in front of it)'),
  authMode: z.enum(['none', 'basic', 'bearer']).default('none').describe('none (Livy without auth), basic or bearer (a gateway in front of Livy)'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const batchId = z.number().int().min(0).describe('The batch id Livy gave when it was submitted');
const state = z.string().describe(`One of ${LIVY_BATCH_STATES.join(', ')}`);
const batch = z.looseObject({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  appId: z.string().nullable().optional(),
  appInfo: z.record(z.string(), z.string().nullable()).nullable().optional(),
  state,
  log: z.array(z.string()).optional(),
});
export type LivyBatch = z.infer<typeof batch>;

const stringList = z.array(z.string().max(2000)).max(500);
export const submitBatchInput = z.object({
  file: z.string().min(1).max(2000).describe('The application: a jar or .py file the cluster can read (hdfs://, s3a://, local:/, …)'),
  className: z.string().max(500).optional().describe('Main class of a Java/Scala application'),
  args: stringList.optional().describe('Command-line arguments of the application'),
  jars: stringList.optional(),
  pyFiles: stringList.optional(),
  files: stringList.optional(),
  archives: stringList.optional(),
  driverMemory: z.string().regex(/^\d+[kmgt]?b?$/i, 'a JVM memory size like 1g or 512m').optional(),
  driverCores: z.number().int().min(1).max(256).optional(),
  executorMemory: z.string().regex(/^\d+[kmgt]?b?$/i, 'a JVM memory size like 2g or 512m').optional(),
  executorCores: z.number().int().min(1).max(256).optional(),
  numExecutors: z.number().int().min(1).max(10_000).optional(),
  queue: z.string().max(200).optional().describe('YARN queue'),
  name: z.string().max(200).optional().describe('Name of the batch (unique among running batches in some Livy versions)'),
  proxyUser: z.string().max(200).optional().describe('User to impersonate when running the job'),
  conf: z.record(z.string(), z.string()).optional().describe('Spark configuration properties'),
});
export type SubmitBatchInput = z.infer<typeof submitBatchInput>;

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an undocumented shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})` });
}

/** Livy's error text: `msg` of its JSON error body, or the plain-text body. */
function livyReason(body: unknown): string | undefined {
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
  const msg = body && typeof body === 'object' ? (body as { msg?: unknown }).msg : undefined;
  return typeof msg === 'string' && msg ? msg : undefined;
}

/** Rethrows a failed call with Livy's own words ("Apache Livy answered 404: Session '7' not found."). */
async function livyCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ProviderError) || error.status === undefined) throw error;
    const reason = livyReason(error.body);
    if (!reason) throw error;
    throw new ProviderError({
      code: error.code,
      status: error.status,
      body: error.body,
      message: `${TITLE} answered ${error.status}: ${reason}`,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }
}

const path = (id: number, rest = '') => `batches/${id}${rest}`;

export async function submitBatch(ctx: Ctx, input: SubmitBatchInput): Promise<LivyBatch> {
  const body = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  // Submitting twice starts two Spark applications: never retried.
  return read(batch, (await livyCall(() => ctx.http.post('batches', body, { retry: false }))).data, 'the new batch');
}

export async function batchState(ctx: Ctx, id: number): Promise<{ id: number; state: string }> {
  return read(z.looseObject({ id: z.number().int(), state }), (await livyCall(() => ctx.http.get(path(id, '/state')))).data, 'the batch state');
}

export async function batchLog(ctx: Ctx, id: number, from?: number, size?: number): Promise<{ id: number; from: number; total: number | null; log: string[] }> {
  const answer = await livyCall(() => ctx.http.get(path(id, '/log'), { query: { from, size } }));
  const body = read(z.looseObject({ id: z.number().int(), from: z.number().int(), total: z.number().int().optional(), size: z.number().int().optional(), log: z.array(z.string()) }), answer.data, 'the batch log');
  return { id: body.id, from: body.from, total: body.total ?? body.size ?? null, log: body.log };
}

export async function cancelBatch(ctx: Ctx, id: number): Promise<{ msg: string }> {
  const answer = await livyCall(() => ctx.http.request({ method: 'DELETE', path: path(id) }));
  return { msg: livyReason(answer.data) ?? 'deleted' };
}

export default defineConnector<Config>({
  id: 'livy',
  title: 'Apache Livy (Spark)',
  category: 'data',
  description:
    "Run Apache Spark batch jobs through Livy's REST API: submit an application (file, class, arguments, Spark conf), follow its state, read its log and cancel it.",
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#E25A1C"/><path d="M12 4l2.2 5.2L20 10l-4.4 3.6L17 19l-5-3-5 3 1.4-5.4L4 10l5.8-.8z" fill="#fff"/></svg>',
  docsUrl: 'https://livy.apache.org/docs/latest/rest-api.html',
  baseUrl: (c) => c.baseUrl,
  auth: {
    kind: 'apiKey',
    fields: {
      username: { label: 'Username', description: 'For basic mode.', placement: 'none', secret: false, optional: true },
      password: { label: 'Password', description: 'For basic mode.', placement: 'none', optional: true },
      token: { label: 'Bearer token', description: 'For bearer mode (a gateway in front of Livy).', placement: 'none', optional: true },
    },
  },
  authenticate({ headers }, c, credential) {
    headers['x-requested-by'] = 'switchboard';
    if (c.authMode === 'basic') headers.authorization = `Basic ${Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`).toString('base64')}`;
    else if (c.authMode === 'bearer' && credential.token) headers.authorization = `Bearer ${credential.token}`;
  },
  config,
  defaultAction: 'submitBatch',
  async checkConnection(ctx) {
    if (ctx.config.authMode === 'basic' && !ctx.credentials.username) return { ok: false, reason: 'config', field: 'credentials.username', message: 'authMode basic needs a username.' };
    if (ctx.config.authMode === 'bearer' && !ctx.credentials.token) return { ok: false, reason: 'config', field: 'credentials.token', message: 'authMode bearer needs a token.' };
    try {
      const answer = await livyCall(() => ctx.http.get('batches', { query: { from: 0, size: 1 } }));
      const body = read(z.looseObject({ from: z.number(), total: z.number(), sessions: z.array(z.unknown()) }), answer.data, 'the batch list');
      const host = new URL(ctx.config.baseUrl).host;
      return { ok: true, account: { id: host, name: `Livy at ${host}`, details: { batches: body.total } } };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.status === 401 || error.status === 403) {
        const field = ctx.config.authMode === 'bearer' ? 'credentials.token' : ctx.config.authMode === 'basic' ? 'credentials.password' : 'config.authMode';
        return rejectedBy(TITLE, error.status, livyReason(error.body) ?? 'unauthorized', field);
      }
      if (error.status === 404) return { ok: false, reason: 'config', field: 'config.baseUrl', message: `There is no Livy batch API at ${ctx.config.baseUrl}/batches (404). Check the address.` };
      return { ok: false, reason: error.status && error.status < 500 && error.status !== 429 ? 'config' : 'unavailable', message: error.message };
    }
  },
  actions: [
    defineAction<Config, SubmitBatchInput, LivyBatch>({
      name: 'submitBatch',
      title: 'Submit a Spark batch',
      description: 'Starts a Spark application (POST /batches) and returns the batch with its id and first state.',
      input: submitBatchInput,
      output: batch,
      run: submitBatch,
    }),
    defineAction<Config, { id: number }, { id: number; state: string }>({
      name: 'batchState',
      title: 'Batch state',
      description: `The state of a batch: ${LIVY_BATCH_STATES.join(', ')}.`,
      input: z.object({ id: batchId }),
      output: z.object({ id: z.number(), state }),
      run: (ctx, input) => batchState(ctx, input.id),
    }),
    defineAction<Config, { id: number }, LivyBatch>({
      name: 'getBatch',
      title: 'Get a batch',
      description: 'A batch with its Spark application id, application info (driver log and Spark UI links) and state.',
      input: z.object({ id: batchId }),
      output: batch,
      async run(ctx, input) {
        return read(batch, (await livyCall(() => ctx.http.get(path(input.id)))).data, 'the batch');
      },
    }),
    defineAction<Config, { id: number; from?: number | undefined; size?: number | undefined }, { id: number; from: number; total: number | null; log: string[] }>({
      name: 'batchLog',
      title: 'Batch log',
      description: 'Log lines of a batch (GET /batches/{id}/log), from an offset.',
      input: z.object({ id: batchId, from: z.number().int().min(0).optional(), size: z.number().int().min(1).max(10_000).optional() }),
      output: z.object({ id: z.number(), from: z.number(), total: z.number().nullable(), log: z.array(z.string()) }),
      run: (ctx, input) => batchLog(ctx, input.id, input.from, input.size),
    }),
    defineAction<Config, { id: number }, { msg: string }>({
      name: 'cancelBatch',
      title: 'Cancel a batch',
      description: 'Kills a batch and deletes it from Livy (DELETE /batches/{id}).',
      input: z.object({ id: batchId }),
      output: z.object({ msg: z.string() }),
      run: (ctx, input) => cancelBatch(ctx, input.id),
    }),
    defineAction<Config, { from?: number | undefined; size?: number | undefined }, { from: number; total: number; sessions: LivyBatch[] }>({
      name: 'listBatches',
      title: 'List batches',
      description: 'The batches Livy knows about (GET /batches), a page at a time.',
      input: z.object({ from: z.number().int().min(0).optional(), size: z.number().int().min(1).max(1000).optional() }),
      output: z.object({ from: z.number(), total: z.number(), sessions: z.array(batch) }),
      async run(ctx, input) {
        const answer = await livyCall(() => ctx.http.get('batches', { query: { from: input.from, size: input.size } }));
        return read(z.object({ from: z.number(), total: z.number(), sessions: z.array(batch) }), answer.data, 'the batch list');
      },
    }),
  ],
});
