// Snowflake (seed 003 names it as an example connector): run SQL through the SQL API v2, follow long statements
// by their handle and cancel them, with a programmatic access token or a key pair (a JWT signed with jose).
// Docs used:
//   https://docs.snowflake.com/en/developer-guide/sql-api/reference           (POST /api/v2/statements with
//        requestId and async; GET /api/v2/statements/{handle}?partition=; POST …/{handle}/cancel; 200 with the
//        result, 202 { code 333334, statementHandle, statementStatusUrl } while running, 422 for a failed statement)
//   https://docs.snowflake.com/en/developer-guide/sql-api/authenticating      (Authorization: Bearer <token> with
//        X-Snowflake-Authorization-Token-Type KEYPAIR_JWT or PROGRAMMATIC_ACCESS_TOKEN; the JWT's iss is
//        ACCOUNT.USER.SHA256:<base64 SHA-256 of the public key>, sub ACCOUNT.USER, at most an hour; the account
//        without its region, upper-case)
//   https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests (resubmitting with the same requestId
//        does not run the statement twice)
//   https://docs.snowflake.com/en/developer-guide/sql-api/handling-errors     ({ code, message, sqlState,
//        statementHandle }; 390144 invalid JWT; 429 too many requests)
import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { defineAction, defineConnector, type CheckResult, type ConnectorContext } from '../../sdk/define.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Snowflake';
const name = z.string().regex(/^[A-Za-z_$][\w$]{0,254}$|^"[^"]{1,255}"$/, 'an identifier, e.g. ANALYTICS_WH or "My Db"');

const config = z.object({
  account: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,100}$/, 'the account identifier from the account URL, e.g. myorg-myaccount or xy12345.us-east-1')
    .describe('The part of the account URL before .snowflakecomputing.com, e.g. myorg-myaccount'),
  user: z.string().trim().min(1).max(255).optional().describe('Key-pair sign-in: the Snowflake user the public key is set on'),
  warehouse: name.optional(),
  database: name.optional(),
  schema: name.optional(),
  role: name.optional(),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

function snowflakeDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  return typeof code === 'string' ? `${message} (${code})` : message;
}

// ---- authentication -------------------------------------------------------------------------------------

/** The account as the JWT names it: upper-case, without a locator's region or `.global`. */
export function jwtAccount(account: string): string {
  return account.replace(/\.global$/i, '').split('.')[0]!.toUpperCase();
}

/** `SHA256:<base64>` of the public key's DER (SubjectPublicKeyInfo), derived from the private key. */
export function publicKeyFingerprint(privateKeyPem: string): string {
  const der = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

/** Signed JWTs, reused until ten minutes before their hour is up (per process). */
const jwts = new Map<string, { jwt: string; expiresAt: number }>();

async function keyPairJwt(account: string, user: string, privateKeyPem: string, now = Date.now()): Promise<string> {
  const qualified = `${jwtAccount(account)}.${user.toUpperCase()}`;
  const fingerprint = publicKeyFingerprint(privateKeyPem);
  const cacheKey = `${qualified}.${fingerprint}`;
  const cached = jwts.get(cacheKey);
  if (cached && cached.expiresAt - 10 * 60 * 1000 > now) return cached.jwt;
  const issuedAt = Math.floor(now / 1000);
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(`${qualified}.${fingerprint}`)
    .setSubject(qualified)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(await importPKCS8(privateKeyPem, 'RS256'));
  jwts.set(cacheKey, { jwt, expiresAt: now + 3600 * 1000 });
  return jwt;
}

/** The headers that authorise a call, or a sentence naming what is missing. */
async function authHeaders(ctx: Ctx): Promise<Record<string, string> | string> {
  if (ctx.credentials.token) return { authorization: `Bearer ${ctx.credentials.token}`, 'x-snowflake-authorization-token-type': 'PROGRAMMATIC_ACCESS_TOKEN' };
  if (!ctx.credentials.privateKey) return 'Give a programmatic access token, or a private key (with config.user) for key-pair sign-in.';
  if (!ctx.config.user) return 'Key-pair sign-in needs config.user: the Snowflake user the public key is set on.';
  try {
    return { authorization: `Bearer ${await keyPairJwt(ctx.config.account, ctx.config.user, ctx.credentials.privateKey)}`, 'x-snowflake-authorization-token-type': 'KEYPAIR_JWT' };
  } catch {
    return 'The private key must be an unencrypted PKCS#8 RSA key in PEM (-----BEGIN PRIVATE KEY-----).';
  }
}

const tokenErrors = providerErrors({ title: TITLE, detail: snowflakeDetail, credentialField: 'credentials.token' });
const keyErrors = providerErrors({ title: TITLE, detail: snowflakeDetail, credentialField: 'credentials.privateKey' });
const errorsFor = (ctx: Ctx) => (ctx.credentials.token ? tokenErrors : keyErrors);

async function call<T>(ctx: Ctx, work: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  const headers = await authHeaders(ctx);
  if (typeof headers === 'string') throw new ProviderError({ code: 'invalid_response', message: `${TITLE}: ${headers}` });
  return errorsFor(ctx).call(() => work(headers));
}

// ---- statements -----------------------------------------------------------------------------------------

const result = z.looseObject({
  statementHandle: z.string(),
  code: z.string().optional(),
  message: z.string().optional(),
  statementStatusUrl: z.string().optional(),
  resultSetMetaData: z.looseObject({ numRows: z.number().optional(), rowType: z.array(z.looseObject({ name: z.string(), type: z.string() })).optional(), partitionInfo: z.array(z.unknown()).optional() }).optional(),
  data: z.array(z.array(z.unknown())).optional(),
});
const statementOutput = result.extend({ running: z.boolean() });
type StatementOutput = z.infer<typeof statementOutput>;

function statementOf(answer: { status: number; data: unknown }): StatementOutput {
  const parsed = result.safeParse(answer.data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: answer.data, message: `${TITLE} answered the statement in an unexpected shape` });
  return { ...parsed.data, running: answer.status === 202 };
}

const executeInput = z.object({
  statement: z.string().trim().min(1).max(1_000_000).describe('The SQL, e.g. SELECT * FROM orders WHERE day = ?'),
  bindings: z
    .record(z.string().regex(/^\d+$/), z.object({ type: z.string().min(1), value: z.string() }))
    .optional()
    .describe('Values for the ? placeholders: { "1": { type: "TEXT", value: "2026-03-01" } }'),
  timeoutSeconds: z.number().int().min(0).max(604_800).optional().describe('Cancel the statement after this long'),
  async: z.boolean().default(false).describe('Return the handle at once instead of waiting up to 45 s for the result'),
  warehouse: name.optional(),
  database: name.optional(),
  schema: name.optional(),
  role: name.optional(),
  requestId: z.uuid().optional().describe('Resubmitting with the same id does not run the statement twice; one is generated'),
});
const handleInput = z.object({
  statementHandle: z.string().regex(/^[0-9a-f-]{36}$/i, 'a statement handle (a UUID)'),
  partition: z.number().int().min(0).optional().describe('Result partition to read (0 is the first)'),
});

async function execute(ctx: Ctx, input: z.output<typeof executeInput>): Promise<StatementOutput> {
  const body = {
    statement: input.statement,
    ...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {}),
    ...((input.warehouse ?? ctx.config.warehouse) ? { warehouse: input.warehouse ?? ctx.config.warehouse } : {}),
    ...((input.database ?? ctx.config.database) ? { database: input.database ?? ctx.config.database } : {}),
    ...((input.schema ?? ctx.config.schema) ? { schema: input.schema ?? ctx.config.schema } : {}),
    ...((input.role ?? ctx.config.role) ? { role: input.role ?? ctx.config.role } : {}),
    ...(input.bindings ? { bindings: input.bindings } : {}),
  };
  const query = { requestId: input.requestId ?? randomUUID(), async: input.async ? true : undefined };
  // The requestId makes a resubmission safe, so a 429 or 5xx is retried.
  return statementOf(await call(ctx, (headers) => ctx.http.post('statements', body, { headers, query, retry: {}, timeoutMs: 60_000 })));
}

export default defineConnector<Config>({
  id: 'snowflake',
  title: TITLE,
  category: 'data',
  description: 'Run SQL on Snowflake through the SQL API, follow long statements by their handle and cancel them; a programmatic access token or key-pair sign-in.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#29b5e8"/><path d="M12 4v16M5.1 8l13.8 8M5.1 16l13.8-8M10 5.5l2 2 2-2M10 18.5l2-2 2 2" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/></svg>',
  docsUrl: 'https://docs.snowflake.com/en/developer-guide/sql-api/index',
  baseUrl: (c) => `https://${c.account.toLowerCase()}.snowflakecomputing.com/api/v2`,
  auth: {
    kind: 'apiKey',
    fields: {
      token: { label: 'Programmatic access token', description: 'Users → the user → Programmatic access tokens. Or leave empty and give a private key.', placement: 'none', optional: true },
      privateKey: {
        label: 'Private key (key-pair sign-in)',
        description: 'An unencrypted PKCS#8 RSA key in PEM whose public half is set on the user (ALTER USER … SET RSA_PUBLIC_KEY); needs config.user.',
        placement: 'none',
        optional: true,
        pattern: { regex: /-----BEGIN PRIVATE KEY-----/, message: 'The private key must be PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), unencrypted' },
      },
    },
  },
  config,
  // No rateLimit: the SQL API documents a 429 but no request rate.
  async checkConnection(ctx): Promise<CheckResult> {
    const headers = await authHeaders(ctx);
    if (typeof headers === 'string') return { ok: false, reason: 'config', field: ctx.credentials.token || ctx.credentials.privateKey ? 'config.user' : 'credentials.token', message: headers };
    try {
      // Context functions need no warehouse, so the check costs no compute.
      const answer = await execute(ctx, { statement: 'SELECT CURRENT_USER(), CURRENT_ACCOUNT(), CURRENT_ROLE()', async: false });
      const [user, account, role] = (answer.data?.[0] ?? []) as Array<string | null>;
      return { ok: true, account: { id: `${account ?? ctx.config.account}/${user ?? ''}`, name: `${user ?? '?'} @ ${ctx.config.account}`, details: { account: account ?? null, role: role ?? null } } };
    } catch (error) {
      return errorsFor(ctx).checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof executeInput>, StatementOutput>({
      name: 'executeStatement',
      title: 'Run a SQL statement',
      description: 'Runs SQL and returns the first partition of the result, or the handle while it still runs (POST /api/v2/statements).',
      input: executeInput,
      output: statementOutput,
      run: execute,
    }),
    defineAction<Config, z.output<typeof handleInput>, StatementOutput>({
      name: 'getStatement',
      title: 'Get a statement’s result',
      description: 'Status of a statement, and a partition of its result once done (GET /api/v2/statements/{handle}).',
      input: handleInput,
      output: statementOutput,
      async run(ctx: Ctx, input) {
        return statementOf(await call(ctx, (headers) => ctx.http.get(`statements/${input.statementHandle}`, { headers, query: { partition: input.partition } })));
      },
    }),
    defineAction<Config, z.output<typeof handleInput>, z.infer<typeof result>>({
      name: 'cancelStatement',
      title: 'Cancel a statement',
      description: 'Stops a running statement (POST /api/v2/statements/{handle}/cancel).',
      input: handleInput.pick({ statementHandle: true }),
      output: result,
      async run(ctx: Ctx, input) {
        const answer = await call(ctx, (headers) => ctx.http.post(`statements/${input.statementHandle}/cancel`, undefined, { headers, retry: {} }));
        const parsed = result.safeParse(answer.data);
        if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: answer.data, message: `${TITLE} answered the cancel in an unexpected shape` });
        return parsed.data;
      },
    }),
  ],
});
