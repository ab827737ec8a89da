// Contract tests for the Apache Livy connector against fixtures shaped like Livy's REST API documentation
// (batch objects, `{ id, state }`, `{ id, from, total, log }`, errors as `{ msg }`).
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import livy from './index.ts';

const BASE = 'https://livy.example.test:8998';
const notFound = (id: string) => HttpResponse.json({ msg: `Session '${id}' not found.` }, { status: 404 });

const api = provider([
  http.get(`${BASE}/batches`, ({ request }) =>
    request.headers.get('authorization') === 'Bearer wrong'
      ? HttpResponse.text('Unauthorized', { status: 401 })
      : HttpResponse.json({ from: 0, total: 2, sessions: [{ id: 3, name: null, state: 'success', appId: 'application_1_0003', appInfo: { driverLogUrl: null, sparkUiUrl: null }, log: [] }] }),
  ),
  http.post(`${BASE}/batches`, async ({ request }) => {
    const body = (await request.json()) as { file: string; name?: string };
    if (body.name === 'taken') return HttpResponse.json({ msg: 'Duplicate session name: Some(taken)' }, { status: 400 });
    return HttpResponse.json({ id: 7, name: body.name ?? null, state: 'starting', appId: null, appInfo: { driverLogUrl: null, sparkUiUrl: null }, log: ['stdout: ', '\nstderr: '] }, { status: 201 });
  }),
  http.get(`${BASE}/batches/:id/state`, ({ params }) => (params.id === '7' ? HttpResponse.json({ id: 7, state: 'running' }) : notFound(String(params.id)))),
  http.get(`${BASE}/batches/:id/log`, ({ params, request }) => {
    if (params.id !== '7') return notFound(String(params.id));
    const from = Number(new URL(request.url).searchParams.get('from') ?? 0);
    return HttpResponse.json({ id: 7, from, total: 3, log: ['line 1', 'line 2', 'line 3'].slice(from) });
  }),
  http.get(`${BASE}/batches/:id`, ({ params }) => (params.id === '7' ? HttpResponse.json({ id: 7, state: 'running', appId: 'application_1_0007', appInfo: { driverLogUrl: 'http://nm:8042/logs', sparkUiUrl: 'http://rm:8088/proxy/application_1_0007' }, log: [] }) : notFound(String(params.id)))),
  http.delete(`${BASE}/batches/:id`, ({ params }) => (params.id === '7' ? HttpResponse.json({ msg: 'deleted' }) : notFound(String(params.id)))),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

describe('Apache Livy connector', () => {
  it('checks the server with GET /batches?from=0&size=1 and reports its batch count', async () => {
    const runner = connectorRunner(livy, { config: { baseUrl: BASE } });
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'livy.example.test:8998', name: 'Livy at livy.example.test:8998', details: { batches: 2 } } });
    expect(Object.fromEntries(api.requests[0]!.url.searchParams)).toEqual({ from: '0', size: '1' });
    expect(api.requests[0]?.headers.get('authorization')).toBeNull();
    await runner.close();
  });

  it('sends a bearer token or Basic auth to a gateway, and names the field when it is refused', async () => {
    const wrong = connectorRunner(livy, { config: { baseUrl: BASE, authMode: 'bearer' }, credentials: { token: 'wrong' } });
    expect(await wrong.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.token', message: 'The credential was rejected by Apache Livy: 401 Unauthorized' });
    await wrong.close();
    const basic = connectorRunner(livy, { config: { baseUrl: BASE, authMode: 'basic' }, credentials: { username: 'spark', password: 'pw' } });
    expect((await basic.check()).ok).toBe(true);
    expect(api.requests.at(-1)?.headers.get('authorization')).toBe(`Basic ${Buffer.from('spark:pw').toString('base64')}`);
    await basic.close();
    const missing = connectorRunner(livy, { config: { baseUrl: BASE, authMode: 'bearer' }, credentials: {} });
    expect(await missing.check()).toMatchObject({ ok: false, field: 'credentials.token' });
    await missing.close();
  });

  it('submits a batch with POST /batches, X-Requested-By and only the fields given, never retried', async () => {
    const runner = connectorRunner(livy, { config: { baseUrl: BASE } });
    const outcome = await runner.run('submitBatch', { file: 'hdfs:///jobs/etl.jar', className: 'com.example.Etl', args: ['--day', '2026-01-03'], conf: { 'spark.executor.instances': '2' }, executorMemory: '2g' });
    expect(outcome).toMatchObject({ ok: true, output: { id: 7, state: 'starting' } });
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('x-requested-by')).toBe('switchboard');
    expect(JSON.parse(request!.body)).toEqual({ file: 'hdfs:///jobs/etl.jar', className: 'com.example.Etl', args: ['--day', '2026-01-03'], conf: { 'spark.executor.instances': '2' }, executorMemory: '2g' });
    const refused = await runner.run('submitBatch', { file: 'x.py', name: 'taken' });
    expect(refused).toMatchObject({ ok: false, kind: 'provider_error', status: 400, message: 'Apache Livy answered 400: Duplicate session name: Some(taken)' });
    expect(await runner.run('submitBatch', { file: 'x.py', driverMemory: 'lots' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await runner.close();
  });

  it('reads state, batch and log (from/size), and cancels with DELETE', async () => {
    const runner = connectorRunner(livy, { config: { baseUrl: BASE } });
    expect(await runner.run('batchState', { id: 7 })).toEqual({ ok: true, output: { id: 7, state: 'running' } });
    expect(await runner.run('getBatch', { id: 7 })).toMatchObject({ ok: true, output: { appId: 'application_1_0007' } });
    expect(await runner.run('batchLog', { id: 7, from: 1, size: 100 })).toEqual({ ok: true, output: { id: 7, from: 1, total: 3, log: ['line 2', 'line 3'] } });
    expect(Object.fromEntries(api.requests[2]!.url.searchParams)).toEqual({ from: '1', size: '100' });
    expect(await runner.run('cancelBatch', { id: 7 })).toEqual({ ok: true, output: { msg: 'deleted' } });
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE' });
    expect(api.requests.at(-1)?.url.pathname).toBe('/batches/7');
    await runner.close();
  });

  it("relays Livy's { msg } for an unknown batch", async () => {
    const runner = connectorRunner(livy, { config: { baseUrl: BASE } });
    expect(await runner.run('batchState', { id: 99 })).toMatchObject({ ok: false, status: 404, message: "Apache Livy answered 404: Session '99' not found." });
    expect(await runner.run('cancelBatch', { id: 99 })).toMatchObject({ ok: false, status: 404 });
    await runner.close();
  });

  it('lists batches', async () => {
    const runner = connectorRunner(livy, { config: { baseUrl: BASE } });
    expect(await runner.run('listBatches', { from: 0, size: 10 })).toMatchObject({ ok: true, output: { total: 2, sessions: [{ id: 3, state: 'success' }] } });
    await runner.close();
  });
});
