// Contract tests for the n8n connector against fixtures shaped like n8n's public API reference and its
// webhook answers (errors `{ message }`, unregistered webhooks `{ code, message, hint }`).
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import n8n from './index.ts';

const KEY = 'n8n_api_0123456789abcdef0123456789abcdef';
const BASE = 'https://n8n.example.test/automation';
const config = { instanceUrl: BASE, webhookAuthHeader: 'X-Hook-Token' };
const credentials = { apiKey: KEY, webhookSecret: 'hook-secret-1234' };

const wf = (id: string, name: string, active: boolean) => ({ id, name, active, createdAt: '2026-01-02T10:00:00.000Z', updatedAt: '2026-01-03T10:00:00.000Z', tags: [{ id: 't1', name: 'ops' }] });
const unauthorized = () => HttpResponse.json({ message: 'unauthorized' }, { status: 401 });
const keyOk = (request: Request) => request.headers.get('x-n8n-api-key') === KEY;

const api = provider([
  http.get(`${BASE}/api/v1/workflows`, ({ request }) => {
    if (!keyOk(request)) return unauthorized();
    const cursor = new URL(request.url).searchParams.get('cursor');
    if (!cursor) return HttpResponse.json({ data: [wf('a1B2c3D4e5F6g7H8', 'Orders', true)], nextCursor: 'Y3Vyc29yLTI=' });
    return HttpResponse.json({ data: [wf('Z9y8X7w6V5u4T3s2', 'Invoices', false)], nextCursor: null });
  }),
  http.get(`${BASE}/api/v1/workflows/:id`, ({ params, request }) =>
    !keyOk(request)
      ? unauthorized()
      : params.id === 'missing'
        ? HttpResponse.json({ message: 'Not Found' }, { status: 404 })
        : HttpResponse.json({ ...wf(String(params.id), 'Orders', true), nodes: [{ name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { path: 'orders/new', httpMethod: 'POST' } }] }),
  ),
  http.post(`${BASE}/api/v1/workflows/:id/activate`, ({ params, request }) => (keyOk(request) ? HttpResponse.json(wf(String(params.id), 'Orders', true)) : unauthorized())),
  http.post(`${BASE}/api/v1/workflows/:id/deactivate`, ({ params, request }) =>
    !keyOk(request) ? unauthorized() : params.id === 'missing' ? HttpResponse.json({ message: 'Not Found' }, { status: 404 }) : HttpResponse.json(wf(String(params.id), 'Orders', false)),
  ),
  http.get(`${BASE}/api/v1/executions`, ({ request }) =>
    keyOk(request)
      ? HttpResponse.json({ data: [{ id: 1042, finished: true, mode: 'webhook', startedAt: '2026-01-03T10:00:00.000Z', stoppedAt: '2026-01-03T10:00:01.000Z', workflowId: 'a1B2c3D4e5F6g7H8', status: 'success' }], nextCursor: null })
      : unauthorized(),
  ),
  http.post(`${BASE}/webhook/orders/new`, async ({ request }) => HttpResponse.json({ received: await request.json(), token: request.headers.get('x-hook-token') })),
  http.get(`${BASE}/webhook-test/lookup`, ({ request }) => HttpResponse.text(`hello ${new URL(request.url).searchParams.get('name')}`)),
  http.post(`${BASE}/webhook/not-there`, () =>
    HttpResponse.json(
      { code: 404, message: 'The requested webhook "POST not-there" is not registered.', hint: "The workflow must be active for a production URL to run successfully." },
      { status: 404 },
    ),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

describe('n8n connector', () => {
  it('checks the instance with X-N8N-API-KEY on GET /api/v1/workflows?limit=1', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'n8n.example.test', name: 'n8n at n8n.example.test', details: { api: 'v1' } } });
    const [request] = api.requests;
    expect(request?.url.pathname).toBe('/automation/api/v1/workflows');
    expect(request?.url.searchParams.get('limit')).toBe('1');
    expect(request?.headers.get('x-n8n-api-key')).toBe(KEY);
    await runner.close();
  });

  it('reports a refused key against the apiKey field with n8n’s message', async () => {
    const runner = connectorRunner(n8n, { config, credentials: { apiKey: 'wrong' } });
    expect(await runner.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: 'The credential was rejected by n8n: 401 unauthorized' });
    await runner.close();
  });

  it('lists workflows one page at a time, or follows nextCursor', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    const one = await runner.run('listWorkflows', { active: true, limit: 1 });
    expect(one).toMatchObject({ ok: true, output: { workflows: [{ id: 'a1B2c3D4e5F6g7H8', name: 'Orders', active: true }], nextCursor: 'Y3Vyc29yLTI=' } });
    expect(Object.fromEntries(api.requests[0]!.url.searchParams)).toEqual({ limit: '1', active: 'true' });
    api.reset();
    const all = await runner.run('listWorkflows', { followPages: true });
    expect(all).toMatchObject({ ok: true, output: { workflows: [{ name: 'Orders' }, { name: 'Invoices' }], nextCursor: null } });
    expect(api.requests.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'Y3Vyc29yLTI=']);
    await runner.close();
  });

  it('activates and deactivates with POST …/activate and …/deactivate, relaying a 404', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    expect(await runner.run('activateWorkflow', { id: 'a1B2c3D4e5F6g7H8' })).toMatchObject({ ok: true, output: { active: true } });
    expect(await runner.run('deactivateWorkflow', { id: 'a1B2c3D4e5F6g7H8' })).toMatchObject({ ok: true, output: { active: false } });
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /automation/api/v1/workflows/a1B2c3D4e5F6g7H8/activate',
      'POST /automation/api/v1/workflows/a1B2c3D4e5F6g7H8/deactivate',
    ]);
    expect(await runner.run('deactivateWorkflow', { id: 'missing' })).toMatchObject({ ok: false, kind: 'provider_error', status: 404, message: 'n8n answered 404: Not Found' });
    expect(await runner.run('activateWorkflow', { id: '../users' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await runner.close();
  });

  it('triggers a production webhook with a JSON payload, sending the webhook secret and never the API key', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    const outcome = await runner.run('triggerWebhook', { path: 'orders/new', payload: { orderId: 7 } });
    expect(outcome).toEqual({ ok: true, output: { status: 200, contentType: 'application/json', body: { received: { orderId: 7 }, token: '[redacted]' } } });
    const [request] = api.requests;
    // The secret reached n8n; the workflow's echo of it is scrubbed from the answer.
    expect(request?.headers.get('x-hook-token')).toBe('hook-secret-1234');
    expect(request?.url.pathname).toBe('/automation/webhook/orders/new');
    expect(request?.headers.get('x-n8n-api-key')).toBeNull();
    expect(request?.body).toBe('{"orderId":7}');
    await runner.close();
  });

  it('triggers a test webhook with GET, the payload as query parameters', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    const outcome = await runner.run('triggerWebhook', { path: 'lookup', mode: 'test', method: 'GET', payload: { name: 'Ada' } });
    expect(outcome).toMatchObject({ ok: true, output: { status: 200, body: 'hello Ada' } });
    expect(api.requests[0]?.url.pathname).toBe('/automation/webhook-test/lookup');
    await runner.close();
  });

  it('relays an unregistered webhook with n8n’s hint, and refuses paths that leave the webhook root', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    const outcome = await runner.run('triggerWebhook', { path: 'not-there', payload: {} });
    expect(outcome).toMatchObject({ ok: false, kind: 'provider_error', status: 404 });
    if (!outcome.ok) expect(outcome.message).toBe('n8n answered 404: The requested webhook "POST not-there" is not registered.. The workflow must be active for a production URL to run successfully.');
    expect(api.requests).toHaveLength(1);
    expect(await runner.run('triggerWebhook', { path: '../api/v1/workflows' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('triggerWebhook', { path: 'https://elsewhere.test/x' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await runner.close();
  });

  it('lists executions of a workflow', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    const outcome = await runner.run('listExecutions', { workflowId: 'a1B2c3D4e5F6g7H8', status: 'success' });
    expect(outcome).toMatchObject({ ok: true, output: { executions: [{ id: '1042', status: 'success', workflowId: 'a1B2c3D4e5F6g7H8' }], nextCursor: null } });
    expect(Object.fromEntries(api.requests[0]!.url.searchParams)).toEqual({ workflowId: 'a1B2c3D4e5F6g7H8', status: 'success', includeData: 'false', limit: '20' });
    await runner.close();
  });

  it('reads a workflow with its nodes', async () => {
    const runner = connectorRunner(n8n, { config, credentials });
    expect(await runner.run('getWorkflow', { id: 'a1B2c3D4e5F6g7H8' })).toMatchObject({ ok: true, output: { nodes: [{ type: 'n8n-nodes-base.webhook', parameters: { path: 'orders/new' } }] } });
    await runner.close();
  });
});
