// Contract tests for the Airtable connector against fixtures shaped like airtable.com/developers/web/api examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { credentialSchema } from '../../sdk/credentials.ts';
import airtable from './index.ts';

const TOKEN = 'patQ7aZ3kL9mN2pR4.0c6f1e2d3b4a5968778695a4b3c2d1e0f0c6f1e2d3b4a5968778695a4b3c2d1e0f';
const BASE = 'appa1B2c3D4e5F6g7';
const API = `https://api.airtable.com/v0/${BASE}`;
const REC_1 = 'rec0aB1cD2eF3gH4i';
const REC_2 = 'rec5jK6lM7nO8pQ9r';
const REC_3 = 'recS0tU1vW2xY3zA4';

const rec = (id: string, name: string, status: string) => ({ id, createdTime: '2026-03-02T09:15:00.000Z', fields: { Name: name, Status: status } });
const page1 = { records: [rec(REC_1, 'Launch post', 'In progress'), rec(REC_2, 'Demo video', 'Todo')], offset: 'itrSJ1l4jlPyxEG6c/rec5jK6lM7nO8pQ9r' };
const page2 = { records: [rec(REC_3, 'Beta email', 'Done')] };

const authRequired = { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } };
const forbidden = {
  error: {
    type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    message: 'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
  },
};
const rateLimited = { error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' };
const unknownField = { error: { type: 'UNKNOWN_FIELD_NAME', message: 'Unknown field name: "Owner"' } };

const EXPIRED = 'itrOld00000000000/rec0aB1cD2eF3gH4i';
let listAnswers: Array<() => Response> = [];
const authorized = (request: Request) => request.headers.get('authorization') === `Bearer ${TOKEN}`;

const api = provider([
  http.get('https://api.airtable.com/v0/meta/whoami', ({ request }) =>
    authorized(request)
      ? HttpResponse.json({ id: 'usrL2PNC5o3H4lBEi', email: 'ada@example.org', scopes: ['data.records:read', 'data.records:write'] })
      : HttpResponse.json(authRequired, { status: 401 }),
  ),
  http.post(`${API}/:table/listRecords`, async ({ request, params }) => {
    if (params.table !== 'Tasks') return HttpResponse.json(forbidden, { status: 403 });
    const queued = listAnswers.shift();
    if (queued) return queued();
    const body = (await request.clone().json()) as { offset?: string };
    if (body.offset === EXPIRED) return HttpResponse.json({ error: { type: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE', message: 'The iterator is no longer available.' } }, { status: 422 });
    return HttpResponse.json(body.offset === page1.offset ? page2 : page1);
  }),
  http.post(`${API}/:table`, async ({ request }) => {
    const body = (await request.clone().json()) as { records: Array<{ fields: Record<string, unknown> }> };
    if (body.records.some((r) => 'Owner' in r.fields)) return HttpResponse.json(unknownField, { status: 422 });
    return HttpResponse.json({ records: body.records.map((r, i) => ({ id: [REC_1, REC_2][i], createdTime: '2026-03-02T09:15:00.000Z', fields: r.fields })) });
  }),
  http.patch(`${API}/:table`, async ({ request }) => {
    const body = (await request.clone().json()) as { records: Array<{ id: string; fields: Record<string, unknown> }> };
    return HttpResponse.json({ records: body.records.map((r) => ({ ...rec(r.id, 'Launch post', 'In progress'), fields: { Name: 'Launch post', ...r.fields } })) });
  }),
  http.put(`${API}/:table`, async ({ request }) => {
    const body = (await request.clone().json()) as { records: Array<{ id: string; fields: Record<string, unknown> }> };
    return HttpResponse.json({ records: body.records.map((r) => ({ id: r.id, createdTime: '2026-03-02T09:15:00.000Z', fields: r.fields })) });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  listAnswers = [];
});
afterAll(() => api.disable());

const runner = (token = TOKEN) => connectorRunner(airtable, { credentials: { token } });
function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return {
    method: request.method,
    url: request.url.href,
    authorization: request.headers.get('authorization'),
    contentType: request.headers.get('content-type'),
    body: request.body === '' ? '' : JSON.parse(request.body),
  };
}

describe('Airtable connector', () => {
  it('takes only a personal access token', () => {
    expect(credentialSchema(airtable.auth).safeParse({ token: TOKEN }).success).toBe(true);
    const refused = credentialSchema(airtable.auth).safeParse({ token: 'keyLegacyApiKey123' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('An Airtable personal access token starts with pat');
  });

  it('checks the token with GET /v0/meta/whoami and names the user', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: 'usrL2PNC5o3H4lBEi', name: 'ada@example.org', details: { email: 'ada@example.org', scopes: 'data.records:read data.records:write' } },
    });
    expect(api.requests.map(sent)).toEqual([{ method: 'GET', url: 'https://api.airtable.com/v0/meta/whoami', authorization: `Bearer ${TOKEN}`, contentType: null, body: '' }]);
    await run.close();
  });

  it("reports a refused token with Airtable's type and message", async () => {
    const run = runner('patWrong.000');
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.token',
      message: 'The credential was rejected by Airtable: 401 AUTHENTICATION_REQUIRED: Authentication required',
    });
    await run.close();
  });

  it('listRecords POSTs the query to listRecords and hands back the offset of the next page', async () => {
    const run = runner();
    const outcome = await run.run('listRecords', {
      baseId: BASE,
      table: 'Tasks',
      view: 'Grid view',
      filterByFormula: '{Status} != "Done"',
      fields: ['Name', 'Status'],
      sort: [{ field: 'Name' }],
      pageSize: 2,
    });
    expect(outcome).toEqual({ ok: true, output: { records: page1.records, offset: page1.offset, pagesFetched: 1 } });
    expect(api.requests.map(sent)).toEqual([
      {
        method: 'POST',
        url: `${API}/Tasks/listRecords`,
        authorization: `Bearer ${TOKEN}`,
        contentType: 'application/json',
        body: { pageSize: 2, view: 'Grid view', filterByFormula: '{Status} != "Done"', fields: ['Name', 'Status'], sort: [{ field: 'Name', direction: 'asc' }] },
      },
    ]);
    await run.close();
  });

  it('follows offsets across pages through the shared paginator, and continues from a given offset', async () => {
    const run = runner();
    const all = await run.run('listRecords', { baseId: BASE, table: 'Tasks', followPages: true });
    expect(all).toMatchObject({ ok: true, output: { offset: null, pagesFetched: 2 } });
    expect(all.ok && (all.output as { records: Array<{ id: string }> }).records.map((r) => r.id)).toEqual([REC_1, REC_2, REC_3]);
    expect(api.requests.map((r) => JSON.parse(r.body))).toEqual([{ pageSize: 100 }, { pageSize: 100, offset: page1.offset }]);

    api.reset();
    expect(await run.run('listRecords', { baseId: BASE, table: 'Tasks', offset: page1.offset, maxRecords: 5 })).toMatchObject({ ok: true, output: { records: page2.records, offset: null } });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ pageSize: 100, maxRecords: 5, offset: page1.offset });
    await run.close();
  });

  it('encodes a table name with spaces into the path', async () => {
    const run = runner();
    expect(await run.run('listRecords', { baseId: BASE, table: 'Sales Q1' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 403,
      message: `Airtable answered 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: ${forbidden.error.message}`,
      providerBody: forbidden,
    });
    expect(api.requests[0]!.url.pathname).toBe(`/v0/${BASE}/Sales%20Q1/listRecords`);
    await run.close();
  });

  it('retries a 429 on a read and, when it persists, passes on Airtable’s 30 s pause', async () => {
    const limited = () => HttpResponse.json(rateLimited, { status: 429 });
    listAnswers = [limited];
    const run = runner();
    expect(await run.run('listRecords', { baseId: BASE, table: 'Tasks' })).toMatchObject({ ok: true });
    expect(api.requests).toHaveLength(2);
    expect(run.sleeps).toHaveLength(1);

    api.reset();
    listAnswers = [limited, limited, limited];
    expect(await run.run('listRecords', { baseId: BASE, table: 'Tasks' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 30_000,
      message: 'Airtable answered 429 RATE_LIMIT_REACHED: Rate limit exceeded. Please try again later',
      providerBody: rateLimited,
    });
    expect(api.requests).toHaveLength(3);
    await run.close();
  });

  it('createRecords POSTs up to 10 records with typecast, once', async () => {
    const run = runner();
    const records = [{ fields: { Name: 'Launch post', Status: 'Todo' } }, { fields: { Name: 'Demo video' } }];
    expect(await run.run('createRecords', { baseId: BASE, table: 'Tasks', records, typecast: true })).toEqual({
      ok: true,
      output: { records: [{ id: REC_1, createdTime: '2026-03-02T09:15:00.000Z', fields: records[0]!.fields }, { id: REC_2, createdTime: '2026-03-02T09:15:00.000Z', fields: records[1]!.fields }] },
    });
    expect(api.requests.map(sent)).toEqual([{ method: 'POST', url: `${API}/Tasks`, authorization: `Bearer ${TOKEN}`, contentType: 'application/json', body: { records, typecast: true } }]);
    await run.close();
  });

  it('createRecords relays a 422 with its type, and refuses more than 10 records before calling', async () => {
    const run = runner();
    expect(await run.run('createRecords', { baseId: BASE, table: 'Tasks', records: [{ fields: { Owner: 'Ada' } }] })).toMatchObject({
      ok: false,
      status: 422,
      message: 'Airtable answered 422 UNKNOWN_FIELD_NAME: Unknown field name: "Owner"',
    });
    api.reset();
    const eleven = Array.from({ length: 11 }, () => ({ fields: { Name: 'x' } }));
    expect(await run.run('createRecords', { baseId: BASE, table: 'Tasks', records: eleven })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['records'] }] });
    expect(await run.run('createRecords', { baseId: 'base1', table: 'Tasks', records: [{ fields: {} }] })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['baseId'] }] });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('updateRecords PATCHes the given fields, or PUTs them when replacing', async () => {
    const run = runner();
    expect(await run.run('updateRecords', { baseId: BASE, table: 'Tasks', records: [{ id: REC_1, fields: { Status: 'Done' } }] })).toEqual({
      ok: true,
      output: { records: [{ id: REC_1, createdTime: '2026-03-02T09:15:00.000Z', fields: { Name: 'Launch post', Status: 'Done' } }] },
    });
    await run.run('updateRecords', { baseId: BASE, table: 'tblQ7aZ3kL9mN2pR4', records: [{ id: REC_2, fields: { Name: 'Only' } }], replace: true, typecast: false });
    expect(api.requests.map(sent)).toEqual([
      { method: 'PATCH', url: `${API}/Tasks`, authorization: `Bearer ${TOKEN}`, contentType: 'application/json', body: { records: [{ id: REC_1, fields: { Status: 'Done' } }] } },
      { method: 'PUT', url: `${API}/tblQ7aZ3kL9mN2pR4`, authorization: `Bearer ${TOKEN}`, contentType: 'application/json', body: { records: [{ id: REC_2, fields: { Name: 'Only' } }], typecast: false } },
    ]);
    await run.close();
  });
});

describe('Airtable connector: records sync', () => {
  const config = { syncBaseId: BASE, syncTable: 'Tasks', syncView: 'Grid view' };

  it('reads the whole table page by page, saving the offset after each page', async () => {
    const sync = syncRunner(airtable, 'records', { credentials: { token: TOKEN }, config });
    await sync.run();
    expect(sync.state.batches).toEqual([[REC_1, REC_2], [REC_3]]);
    expect(sync.state.records).toEqual([...page1.records, ...page2.records]);
    expect(sync.state.checkpoints).toEqual([{ offset: page1.offset }, null]);
    expect(sync.state.progress).toEqual([
      { processed: 2, step: 'records' },
      { processed: 3, step: 'records' },
    ]);
    expect(api.requests.map((r) => [r.url.pathname, JSON.parse(r.body)])).toEqual([
      [`/v0/${BASE}/Tasks/listRecords`, { pageSize: 100, view: 'Grid view' }],
      [`/v0/${BASE}/Tasks/listRecords`, { pageSize: 100, view: 'Grid view', offset: page1.offset }],
    ]);
    await sync.close();
  });

  it('resumes from a saved offset, and starts over when Airtable says the offset expired', async () => {
    const resumed = syncRunner(airtable, 'records', { credentials: { token: TOKEN }, config, checkpoint: { offset: page1.offset } });
    await resumed.run();
    expect(resumed.state.records).toEqual(page2.records);
    await resumed.close();

    api.reset();
    const expired = syncRunner(airtable, 'records', { credentials: { token: TOKEN }, config, checkpoint: { offset: EXPIRED } });
    await expired.run();
    expect(api.requests.map((r) => (JSON.parse(r.body) as { offset?: string }).offset ?? 'start')).toEqual([EXPIRED, 'start', page1.offset]);
    expect(expired.state.records).toEqual([...page1.records, ...page2.records]);
    await expired.close();
  });

  it('names the missing settings instead of reading anything', async () => {
    const sync = syncRunner(airtable, 'records', { credentials: { token: TOKEN } });
    await expect(sync.run()).rejects.toThrow('The Airtable records sync needs syncBaseId and syncTable');
    expect(api.requests).toHaveLength(0);
    await sync.close();
  });
});
