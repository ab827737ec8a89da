import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { signIn, startTestHub, type TestHub } from '../../test/support/test-hub.ts';

const GOOD_KEY = 'sk-live-abcdefghijklmnop1234';
const NEW_KEY = 'sk-live-qrstuvwxyz98765432';

/** A small provider: answers 2xx to the current key, 401 to others, and scripted failures on some paths. */
async function startProvider() {
  const state = { acceptedKey: GOOD_KEY, requests: [] as { method: string; url: string; auth: string | undefined; body: string }[] };
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      state.requests.push({ method: request.method!, url: request.url!, auth: request.headers.authorization, body });
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `Bearer ${state.acceptedKey}`) return send(401, { error: { message: 'invalid api key', code: 'invalid_key' } });
      if (request.url?.startsWith('/api/whoami')) return send(200, { key: state.acceptedKey, note: `your key is ${state.acceptedKey}` });
      if (request.url?.startsWith('/api/broken')) return send(503, { error: { message: 'maintenance' } });
      if (request.url?.startsWith('/api/limited')) return send(429, { error: { message: 'slow down' } }, { 'retry-after': '120' });
      if (request.url?.startsWith('/api/missing')) return send(404, { error: { message: 'no such thing' } });
      if (request.method === 'POST') return send(201, { received: JSON.parse(body || 'null') }, { 'x-ratelimit-remaining': '41' });
      return send(200, { path: request.url, ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { state, baseUrl: `http://127.0.0.1:${port}/api`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(backends)('connectors and integrations on $name', (backend) => {
  let t: TestHub;
  let providerApi: Awaited<ReturnType<typeof startProvider>>;
  let integrationId: string;

  beforeAll(async () => {
    providerApi = await startProvider();
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
  });
  afterAll(async () => {
    await t?.stop();
    await providerApi?.close();
  });

  const restIntegration = (overrides: Record<string, unknown> = {}) => ({
    connectorId: 'rest',
    name: 'Billing API',
    config: { baseUrl: providerApi.baseUrl, authMode: 'bearer' },
    credentials: { apiKey: GOOD_KEY },
    ...overrides,
  });

  it('lists the catalogue with filters and describes a connector with JSON Schemas', async () => {
    const all = (await t.inject({ method: 'GET', url: '/api/v1/connectors', headers: t.auth })).json();
    expect(all.items.map((c: { id: string }) => c.id)).toContain('rest');
    const custom = (await t.inject({ method: 'GET', url: '/api/v1/connectors?category=custom&q=rest', headers: t.auth })).json();
    expect(custom.items.map((c: { id: string }) => c.id)).toEqual(['rest']);
    const none = (await t.inject({ method: 'GET', url: '/api/v1/connectors?category=video&q=rest', headers: t.auth })).json();
    expect(none.items).toEqual([]);
    const detail = (await t.inject({ method: 'GET', url: '/api/v1/connectors/rest', headers: t.auth })).json();
    expect(detail.configSchema.properties.baseUrl.type).toBe('string');
    expect(detail.credentialSchema.properties.apiKey).toMatchObject({ type: 'string', writeOnly: true });
    expect(detail.actions.map((a: { name: string }) => a.name)).toEqual(['request', 'getJson']);
    expect((await t.inject({ method: 'GET', url: '/api/v1/connectors/nope', headers: t.auth })).statusCode).toBe(404);
  });

  it('names the bad field, and stores nothing when the provider rejects the key', async () => {
    const badConfig = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration({ config: { baseUrl: 'not a url' } }) });
    expect(badConfig.statusCode).toBe(400);
    expect(badConfig.json().error.details[0].field).toBe('body.config.baseUrl');
    const unknown = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration({ connectorId: 'nope' }) });
    expect(unknown.json().error.details[0].field).toBe('body.connectorId');
    const rejected = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration({ credentials: { apiKey: 'sk-wrong-key-0000' } }) });
    expect(rejected.statusCode).toBe(422);
    expect(rejected.json().error).toMatchObject({ code: 'connection_failed' });
    expect(rejected.json().error.message).toContain('invalid api key');
    expect(rejected.body).not.toContain('sk-wrong-key-0000');
    expect((await t.inject({ method: 'GET', url: '/api/v1/integrations', headers: t.auth })).json().items).toEqual([]);
  });

  it('refuses private and metadata addresses unless the operator allowed them', async () => {
    const metadata = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration({ config: { baseUrl: 'http://169.254.169.254/latest', authMode: 'none' } }) });
    expect(metadata.statusCode).toBe(422);
    expect(metadata.json().error.message).toMatch(/not allowed|refused|link-local/i);
  });

  it('connects after a successful check, showing only masked credentials', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration() });
    expect(created.statusCode).toBe(201);
    const integration = created.json();
    integrationId = integration.id;
    expect(integration).toMatchObject({ connectorId: 'rest', status: 'connected', account: { id: '127.0.0.1' + providerApi.baseUrl.slice('http://127.0.0.1'.length, providerApi.baseUrl.indexOf('/api')) } });
    expect(integration.credentials).toEqual({ apiKey: '••••1234' });
    expect(created.body).not.toContain(GOOD_KEY);
    const duplicate = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: restIntegration() });
    expect(duplicate.statusCode).toBe(409);
    const got = await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}`, headers: t.auth });
    expect(got.json().lastCheckedAt).not.toBeNull();
  });

  it('runs actions with validated input and maps provider failures to documented errors', async () => {
    const run = (action: string, payload: unknown) => t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/${action}`, headers: t.auth, payload: payload as object });
    const ok = await run('request', { method: 'POST', path: 'orders', body: { amount: 3 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().output).toMatchObject({ status: 201, body: { received: { amount: 3 } } });
    expect(providerApi.state.requests.at(-1)).toMatchObject({ method: 'POST', url: '/api/orders', auth: `Bearer ${GOOD_KEY}` });

    const invalid = await run('request', { method: 'TRACE', path: 'x' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details[0].field).toBe('body.method');
    expect((await run('doesNotExist', {})).statusCode).toBe(404);

    const missing = await run('getJson', { path: 'missing/7' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error).toMatchObject({ code: 'provider_rejected', details: { providerStatus: 404, providerBody: { error: { message: 'no such thing' } } } });
    const broken = await run('getJson', { path: 'broken' });
    expect(broken.statusCode).toBe(502);
    expect(broken.json().error.code).toBe('provider_unavailable');
    const limited = await run('getJson', { path: 'limited' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('provider_rate_limited');
    expect(limited.headers['retry-after']).toBe('120');
  });

  it('proxies any request with auth injected and passes the provider answer through', async () => {
    const get = await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/proxy/things/1?expand=all`, headers: t.auth });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ path: '/api/things/1?expand=all', ok: true });
    const post = await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/proxy/things`, headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(post.statusCode).toBe(201);
    expect(post.headers['x-ratelimit-remaining']).toBe('41');
    expect(providerApi.state.requests.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}', auth: `Bearer ${GOOD_KEY}` });
    const missing = await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/proxy/missing`, headers: t.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { message: 'no such thing' } });
  });

  it('scrubs the credential from answers that echo it, through actions and the proxy', async () => {
    const viaAction = await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/getJson`, headers: t.auth, payload: { path: 'whoami' } });
    expect(viaAction.json().output).toEqual({ key: '[redacted]', note: 'your key is [redacted]' });
    const viaProxy = await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/proxy/whoami`, headers: t.auth });
    expect(viaProxy.statusCode).toBe(200);
    expect(viaProxy.body).not.toContain(GOOD_KEY);
    expect(viaProxy.json().key).toBe('[redacted]');
  });

  it('logs every provider call as an operation', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const operations = (await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/operations?limit=50`, headers: t.auth })).json();
    const names = operations.items.map((o: { operation: string }) => o.operation);
    expect(names).toEqual(expect.arrayContaining(['check', 'action:request', 'action:getJson', 'proxy']));
    const broken = operations.items.find((o: { url: string }) => o.url.endsWith('/api/broken'));
    expect(broken).toMatchObject({ status: 503, errorCode: 'http_error' });
    expect(broken.attempts).toBeGreaterThan(1);
  });

  it('re-tests a credential before replacing it, and records a refused credential as the status', async () => {
    const wrong = await t.inject({ method: 'PATCH', url: `/api/v1/integrations/${integrationId}`, headers: t.auth, payload: { credentials: { apiKey: 'sk-not-accepted-9999' } } });
    expect(wrong.statusCode).toBe(422);
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/test`, headers: t.auth })).json()).toMatchObject({ ok: true, integration: { status: 'connected' } });

    providerApi.state.acceptedKey = NEW_KEY;
    const failing = (await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/test`, headers: t.auth })).json();
    expect(failing).toMatchObject({ ok: false, integration: { status: 'error' } });
    expect(failing.integration.statusReason).toContain('invalid api key');

    const replaced = await t.inject({ method: 'PATCH', url: `/api/v1/integrations/${integrationId}`, headers: t.auth, payload: { name: 'Billing API v2', credentials: { apiKey: NEW_KEY } } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ name: 'Billing API v2', status: 'connected', credentials: { apiKey: '••••5432' } });
  });

  it('keeps integrations to their workspace and disconnects with a soft delete', async () => {
    const session = await signIn(t);
    const other = await t.inject({ method: 'POST', url: '/api/v1/workspaces', headers: session, payload: { name: 'Other', slug: `other-${backend.name}` } });
    await t.inject({ method: 'POST', url: '/api/v1/session/workspace', headers: session, payload: { workspaceId: other.json().workspace.id } });
    expect((await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}`, headers: session })).statusCode).toBe(404);
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/getJson`, headers: session, payload: { path: 'x' } })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/proxy/x`, headers: session })).statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/api/v1/integrations', headers: session })).json().items).toEqual([]);

    const removed = await t.inject({ method: 'DELETE', url: `/api/v1/integrations/${integrationId}`, headers: t.auth });
    expect(removed.json()).toMatchObject({ status: 'disconnected', credentials: {} });
    expect((await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}`, headers: t.auth })).statusCode).toBe(404);
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=integration.*', headers: t.auth })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['integration.disconnected', 'integration.updated', 'integration.created']);
  });

  it('never lets a credential reach a response, a log line or an audit entry', async () => {
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: t.auth })).body;
    const logs = t.logs.join('');
    for (const secret of [GOOD_KEY, NEW_KEY, 'sk-wrong-key-0000', 'sk-not-accepted-9999']) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
