// Contract tests for the Salesforce connector against fixtures shaped like the REST API developer guide.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import salesforce from './index.ts';

const TOKEN = '00D5g000004X9fA!AQ4AQFp4xE8KvU2nE3zL.test-token';
const ORG = 'https://acme.my.salesforce.com';
const DATA = `${ORG}/services/data/v62.0`;
const account = (id: string, name: string) => ({ attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` }, Id: id, Name: name });
const sessionInvalid = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
const dailyLimit = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
let limitReached = false;

const authorized = (request: Request) => request.headers.get('authorization') === `Bearer ${TOKEN}`;
const api = provider([
  http.get(`${ORG}/services/oauth2/userinfo`, ({ request }) =>
    authorized(request)
      ? HttpResponse.json({ user_id: '0055g00000A1b2CAAR', organization_id: '00D5g000004X9fAEAS', name: 'Ada Lovelace', email: 'ada@example.org', preferred_username: 'ada@acme.example' })
      : HttpResponse.json(sessionInvalid, { status: 401 }),
  ),
  http.get(`${DATA}/limits`, () => (limitReached ? HttpResponse.json(dailyLimit, { status: 403 }) : HttpResponse.json({ DailyApiRequests: { Max: 15000, Remaining: 14982 }, DailyBulkApiBatches: { Max: 15000, Remaining: 15000 } }))),
  http.get(`${DATA}/query`, ({ request }) => {
    const q = new URL(request.url).searchParams.get('q') ?? '';
    if (limitReached) return HttpResponse.json(dailyLimit, { status: 403 });
    if (q.includes('FROM Nothing')) return HttpResponse.json([{ message: "sObject type 'Nothing' is not supported.", errorCode: 'INVALID_TYPE' }], { status: 400 });
    return HttpResponse.json({ totalSize: 3, done: false, nextRecordsUrl: '/services/data/v62.0/query/01gRO0000016PIAYA2-2', records: [account('001RO000001a1AAAAA', 'Acme'), account('001RO000001a1BBBBB', 'Globex')] });
  }),
  http.get(`${DATA}/query/01gRO0000016PIAYA2-2`, () => HttpResponse.json({ totalSize: 3, done: true, records: [account('001RO000001a1CCCCC', 'Initech')] })),
  http.get(`${DATA}/sobjects/Account/:id`, ({ params }) => HttpResponse.json({ ...account(String(params.id), 'Acme'), Industry: 'Manufacturing' })),
  http.post(`${DATA}/sobjects/Account`, () => HttpResponse.json({ id: '001RO000001a1DDDDD', success: true, errors: [] }, { status: 201 })),
  http.patch(`${DATA}/sobjects/Account/:id`, () => new HttpResponse(null, { status: 204 })),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  limitReached = false;
});
afterAll(() => api.disable());

const runner = (accessToken = TOKEN) => connectorRunner(salesforce, { credentials: { accessToken }, config: { instanceUrl: `${ORG}/lightning/page/home` } });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') === `Bearer ${TOKEN}` ? 'bearer' : '-'}`;

describe('Salesforce connector', () => {
  it('runs the authorization-code flow with PKCE at login.salesforce.com, asking for a refresh token', () => {
    expect(salesforce.auth).toMatchObject({
      kind: 'oauth2',
      authorizationUrl: 'https://login.salesforce.com/services/oauth2/authorize',
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      scopes: ['api', 'refresh_token', 'openid'],
      pkce: true,
    });
  });

  it('checks the token with userinfo and reports the daily API allocation', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: {
        id: '00D5g000004X9fAEAS/0055g00000A1b2CAAR',
        name: 'Ada Lovelace',
        details: { email: 'ada@example.org', organizationId: '00D5g000004X9fAEAS', dailyApiRequestsRemaining: 14982, dailyApiRequestsMax: 15000 },
      },
    });
    expect(api.requests.map(line)).toEqual([`GET ${ORG}/services/oauth2/userinfo bearer`, `GET ${DATA}/limits bearer`]);
    await run.close();
  });

  it('reports an expired session as refused, and the exhausted daily allocation as a wait, not a refusal', async () => {
    expect(await runner('00Dexpired').check()).toEqual({ ok: false, reason: 'auth', message: 'The credential was rejected by Salesforce: 401 INVALID_SESSION_ID: Session expired or invalid' });
    limitReached = true;
    expect(await runner().check()).toEqual({ ok: false, reason: 'unavailable', message: 'Salesforce answered 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. Try again in 900 s.' });
  });

  it('query sends the SOQL in q and follows nextRecordsUrl through the shared paginator', async () => {
    const run = runner();
    const outcome = await run.run('query', { soql: 'SELECT Id, Name FROM Account', followPages: true });
    expect(outcome).toEqual({ ok: true, output: { totalSize: 3, nextRecordsUrl: null, records: [account('001RO000001a1AAAAA', 'Acme'), account('001RO000001a1BBBBB', 'Globex'), account('001RO000001a1CCCCC', 'Initech')] } });
    expect(api.requests.map(line)).toEqual([`GET ${DATA}/query?q=SELECT+Id%2C+Name+FROM+Account bearer`, `GET ${DATA}/query/01gRO0000016PIAYA2-2 bearer`]);
    await run.close();
  });

  it('query hands back nextRecordsUrl after one batch, and relays INVALID_TYPE', async () => {
    const run = runner();
    expect(await run.run('query', { soql: 'SELECT Id FROM Account' })).toMatchObject({ ok: true, output: { nextRecordsUrl: '/services/data/v62.0/query/01gRO0000016PIAYA2-2' } });
    expect(await run.run('query', { soql: 'SELECT Id FROM Nothing' })).toMatchObject({ ok: false, status: 400, message: "Salesforce answered 400 INVALID_TYPE: sObject type 'Nothing' is not supported." });
    await run.close();
  });

  it('turns the exhausted daily allocation (403 REQUEST_LIMIT_EXCEEDED) into a 429 with a wait, so the grant is not marked refused', async () => {
    limitReached = true;
    const run = runner();
    expect(await run.run('query', { soql: 'SELECT Id FROM Account' })).toMatchObject({
      ok: false,
      status: 429,
      retryAfterMs: 900_000,
      message: 'Salesforce answered 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
      providerBody: dailyLimit,
    });
    await run.close();
  });

  it('getRecord, createRecord and updateRecord call the sobjects resource', async () => {
    const run = runner();
    expect(await run.run('getRecord', { sobject: 'Account', id: '001RO000001a1AAAAA', fields: ['Name', 'Industry'] })).toMatchObject({ ok: true, output: { Id: '001RO000001a1AAAAA', Industry: 'Manufacturing' } });
    expect(await run.run('createRecord', { sobject: 'Account', fields: { Name: 'Umbrella' } })).toEqual({ ok: true, output: { id: '001RO000001a1DDDDD', success: true, errors: [] } });
    expect(await run.run('updateRecord', { sobject: 'Account', id: '001RO000001a1AAAAA', fields: { Industry: 'Retail' } })).toEqual({ ok: true, output: { id: '001RO000001a1AAAAA', updated: true } });
    expect(api.requests.map(line)).toEqual([
      `GET ${DATA}/sobjects/Account/001RO000001a1AAAAA?fields=Name%2CIndustry bearer`,
      `POST ${DATA}/sobjects/Account bearer`,
      `PATCH ${DATA}/sobjects/Account/001RO000001a1AAAAA bearer`,
    ]);
    expect(api.requests.slice(1).map((r) => JSON.parse(r.body))).toEqual([{ Name: 'Umbrella' }, { Industry: 'Retail' }]);
    expect(await run.run('getRecord', { sobject: '../../limits', id: '001RO000001a1AAAAA' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await run.close();
  });
});
