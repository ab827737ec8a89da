// Contract tests for the Snowflake connector against fixtures shaped like the SQL API reference. The fixture
// verifies key-pair JWTs with the public half of a generated key, as Snowflake does.
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import snowflake, { jwtAccount, publicKeyFingerprint } from './index.ts';

const API = 'https://xy12345.us-east-1.snowflakecomputing.com/api/v2';
const PAT = 'ver:1-hint:1234-ETMsDgAAAZJkZm9vYmFyLXBhdA==';
const HANDLE = '01b2c3d4-0000-1a2b-0000-0a1b2c3d4e5f';
const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const publicKey = await importSPKI(pair.publicKey, 'RS256');
const FINGERPRINT = `SHA256:${createHash('sha256').update(createPublicKey(pair.publicKey).export({ type: 'spki', format: 'der' })).digest('base64')}`;

const done = (data: unknown[][]) => ({
  resultSetMetaData: { numRows: data.length, format: 'jsonv2', rowType: [{ name: 'COL', type: 'text' }], partitionInfo: [{ rowCount: data.length, uncompressedSize: 64 }] },
  data,
  code: '090001',
  statementStatusUrl: `/api/v2/statements/${HANDLE}?requestId=x`,
  requestId: 'x',
  sqlState: '00000',
  statementHandle: HANDLE,
  message: 'Statement executed successfully.',
  createdOn: 1793817970000,
});

async function authorized(request: Request): Promise<boolean> {
  const [scheme, token] = (request.headers.get('authorization') ?? '').split(' ');
  if (scheme !== 'Bearer' || !token) return false;
  const type = request.headers.get('x-snowflake-authorization-token-type');
  if (type === 'PROGRAMMATIC_ACCESS_TOKEN') return token === PAT;
  if (type !== 'KEYPAIR_JWT') return false;
  try {
    const { payload } = await jwtVerify(token, publicKey, { issuer: `XY12345.ETL_USER.${FINGERPRINT}`, subject: 'XY12345.ETL_USER' });
    return (payload.exp ?? 0) - (payload.iat ?? 0) <= 3600;
  } catch {
    return false;
  }
}

const api = provider([
  http.post(`${API}/statements`, async ({ request }) => {
    if (!(await authorized(request))) return HttpResponse.json({ code: '390144', message: 'JWT token is invalid. [a1b2c3d4]' }, { status: 401 });
    const body = (await request.clone().json()) as { statement: string };
    if (body.statement.includes('missing_table')) {
      return HttpResponse.json({ code: '002003', sqlState: '42S02', message: "SQL compilation error:\nObject 'MISSING_TABLE' does not exist or not authorized.", statementHandle: HANDLE }, { status: 422 });
    }
    if (new URL(request.url).searchParams.get('async') === 'true') {
      return HttpResponse.json({ code: '333334', message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.', statementHandle: HANDLE, statementStatusUrl: `/api/v2/statements/${HANDLE}` }, { status: 202 });
    }
    if (body.statement.startsWith('SELECT CURRENT_USER()')) return HttpResponse.json(done([['ETL_USER', 'XY12345', 'ANALYST']]));
    return HttpResponse.json(done([['a'], ['b']]));
  }),
  http.get(`${API}/statements/${HANDLE}`, () => HttpResponse.json(done([['c']]))),
  http.post(`${API}/statements/${HANDLE}/cancel`, () => HttpResponse.json({ code: '000604', sqlState: '57014', message: 'successfully canceled', statementHandle: HANDLE })),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

const config = { account: 'xy12345.us-east-1', user: 'etl_user', warehouse: 'ANALYTICS_WH', database: 'SHOP' };
const runner = (credentials: Record<string, string> = { token: PAT }, overrides: Record<string, unknown> = {}) => connectorRunner(snowflake, { credentials, config: { ...config, ...overrides } });
const line = (r: RecordedRequest) => `${r.method} ${r.url.origin}${r.url.pathname} ${r.headers.get('x-snowflake-authorization-token-type') ?? '-'}`;

describe('Snowflake connector', () => {
  it('names the account and key as the JWT must: no region, upper-case, SHA256 of the public key', () => {
    expect(jwtAccount('xy12345.us-east-1')).toBe('XY12345');
    expect(jwtAccount('myorg-myaccount')).toBe('MYORG-MYACCOUNT');
    expect(jwtAccount('xy12345.eu-west-1.global')).toBe('XY12345');
    expect(publicKeyFingerprint(pair.privateKey)).toBe(FINGERPRINT);
  });

  it('checks a programmatic access token by asking for the current user, account and role', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: 'XY12345/ETL_USER', name: 'ETL_USER @ xy12345.us-east-1', details: { account: 'XY12345', role: 'ANALYST' } } });
    expect(api.requests.map(line)).toEqual([`POST ${API}/statements PROGRAMMATIC_ACCESS_TOKEN`]);
    const sent = api.requests[0]!;
    expect(sent.headers.get('authorization')).toBe(`Bearer ${PAT}`);
    expect(sent.url.searchParams.get('requestId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent.body)).toEqual({ statement: 'SELECT CURRENT_USER(), CURRENT_ACCOUNT(), CURRENT_ROLE()', warehouse: 'ANALYTICS_WH', database: 'SHOP' });
    await run.close();
  });

  it('signs in with a key pair: a JWT Snowflake can verify, reused across calls', async () => {
    const run = runner({ privateKey: pair.privateKey });
    expect(await run.check()).toMatchObject({ ok: true });
    await run.run('executeStatement', { statement: 'SELECT 1' });
    expect(api.requests.map(line)).toEqual([`POST ${API}/statements KEYPAIR_JWT`, `POST ${API}/statements KEYPAIR_JWT`]);
    expect(api.requests[0]!.headers.get('authorization')).toBe(api.requests[1]!.headers.get('authorization'));
    await run.close();
  });

  it('reports a key Snowflake refuses, and names what is missing without calling', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(await runner({ privateKey: other.privateKey }).check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.privateKey',
      message: 'The credential was rejected by Snowflake: 401 JWT token is invalid. [a1b2c3d4] (390144)',
    });
    api.reset();
    expect(await runner({ privateKey: pair.privateKey }, { user: undefined }).check()).toMatchObject({ ok: false, reason: 'config', field: 'config.user' });
    expect(await runner({}).check()).toMatchObject({ ok: false, reason: 'config', field: 'credentials.token' });
    expect(api.requests).toHaveLength(0);
  });

  it('executeStatement sends bindings and overrides, and returns the result rows', async () => {
    const run = runner();
    const outcome = await run.run('executeStatement', { statement: 'SELECT col FROM t WHERE day = ?', bindings: { '1': { type: 'TEXT', value: '2026-03-01' } }, timeoutSeconds: 60, schema: 'PUBLIC', requestId: '5f0c8f2a-1b3c-4d5e-8f9a-0b1c2d3e4f5a' });
    expect(outcome).toMatchObject({ ok: true, output: { statementHandle: HANDLE, running: false, data: [['a'], ['b']], resultSetMetaData: { numRows: 2 } } });
    expect(api.requests[0]!.url.searchParams.get('requestId')).toBe('5f0c8f2a-1b3c-4d5e-8f9a-0b1c2d3e4f5a');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      statement: 'SELECT col FROM t WHERE day = ?',
      timeout: 60,
      warehouse: 'ANALYTICS_WH',
      database: 'SHOP',
      schema: 'PUBLIC',
      bindings: { '1': { type: 'TEXT', value: '2026-03-01' } },
    });
    await run.close();
  });

  it('runs asynchronously: 202 with the handle, then the result by handle, or a cancel', async () => {
    const run = runner();
    expect(await run.run('executeStatement', { statement: 'CALL long_job()', async: true })).toMatchObject({ ok: true, output: { running: true, code: '333334', statementHandle: HANDLE } });
    expect(await run.run('getStatement', { statementHandle: HANDLE, partition: 1 })).toMatchObject({ ok: true, output: { running: false, data: [['c']] } });
    expect(await run.run('cancelStatement', { statementHandle: HANDLE })).toMatchObject({ ok: true, output: { message: 'successfully canceled' } });
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search.replace(/requestId=[^&]+&?/, '')}`)).toEqual([
      'POST /api/v2/statements?async=true',
      `GET /api/v2/statements/${HANDLE}?partition=1`,
      `POST /api/v2/statements/${HANDLE}/cancel`,
    ]);
    await run.close();
  });

  it('relays a failed statement (422) with Snowflake’s message and code', async () => {
    const run = runner();
    expect(await run.run('executeStatement', { statement: 'SELECT * FROM missing_table' })).toMatchObject({
      ok: false,
      status: 422,
      message: "Snowflake answered 422 SQL compilation error:\nObject 'MISSING_TABLE' does not exist or not authorized. (002003)",
    });
    await run.close();
  });
});
