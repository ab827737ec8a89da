import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../connectors/sdk/define.ts';
import { backends } from '../../test/support/databases.ts';
import { signIn, startTestHub, type TestHub } from '../../test/support/test-hub.ts';

const GOOD_KEY = 'sk-live-abcdefghijklmnop1234';
const NEW_KEY = 'sk-live-qrstuvwxyz98765432';
const WEBHOOK_SECRET = 'rest-webhook-signing-secret';
const STANDARD_SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

/** A connector that signs its webhooks the Standard Webhooks way (none in the catalogue does yet). */
const signedConnector = defineConnector<Record<string, never>>({
  id: 'signed-test',
  title: 'Signed Test',
  category: 'email',
  description: 'Test connector whose webhooks carry Standard Webhooks signatures.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg"/>',
  docsUrl: 'https://www.standardwebhooks.com/',
  baseUrl: 'https://signed.invalid/',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key', placement: 'header', name: 'authorization', prefix: 'Bearer ' },
      webhookSecret: { label: 'Signing secret', placement: 'none', optional: true },
    },
  },
  config: z.object({}),
  checkConnection: async () => ({ ok: true, account: { id: 'acct_1', name: 'Signed account' } }),
  actions: [],
  webhooks: { verification: { kind: 'standard-webhooks', secretField: 'webhookSecret' }, eventType: (payload) => (payload as { type: string }).type },
});

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
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' }, extraConnectors: [signedConnector] });
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
    // The connector is named once, not "Generic REST API: The credential was rejected by Generic REST API: …".
    expect(rejected.json().error.message).toMatch(/^The credential was rejected by Generic REST API: 401/);
    expect(rejected.json().error.message.split('Generic REST API').length).toBe(2);
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

  it('keeps stored credential fields a PATCH leaves out, removes optional ones sent as null, and re-tests the merge', async () => {
    const patch = (credentials: Record<string, unknown>) => t.inject({ method: 'PATCH', url: `/api/v1/integrations/${integrationId}`, headers: t.auth, payload: { credentials } });
    const added = await patch({ webhookSecret: WEBHOOK_SECRET });
    expect(added.statusCode, added.body).toBe(200);
    // The API key was not sent and is kept (the check passed with it).
    expect(added.json().credentials).toEqual({ apiKey: '••••5432', webhookSecret: '••••cret' });
    const removed = await patch({ webhookSecret: null });
    expect(removed.json().credentials).toEqual({ apiKey: '••••5432' });
    // Without its key a bearer integration fails the check: refused, and the stored credential stays.
    const keyless = await patch({ apiKey: null });
    expect(keyless.statusCode).toBe(422);
    expect(keyless.json().error.details.field).toBe('body.credentials.apiKey');
    const kept = (await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}`, headers: t.auth })).json();
    expect(kept.credentials).toEqual({ apiKey: '••••5432' });
    const unknownField = await patch({ token: 'x' });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.details[0].field).toBe('body.credentials');
    expect((await patch({ webhookSecret: WEBHOOK_SECRET })).statusCode).toBe(200);
  });

  it('verifies provider webhooks with the integration’s HMAC secret and emits them as inbound.rest.<type>', async () => {
    const body = JSON.stringify({ type: 'invoice.paid', id: 'in_1' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sign = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    const hook = (headers: Record<string, string>, payload = body, id = integrationId) =>
      t.inject({ method: 'POST', url: `/api/v1/hooks/${id}`, headers: { 'content-type': 'application/json', ...headers }, payload });
    const accepted = await hook({ 'x-signature': sign(WEBHOOK_SECRET, body), 'x-timestamp': timestamp });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ received: true, duplicate: false });
    const event = (await t.inject({ method: 'GET', url: `/api/v1/events/${accepted.json().eventId}`, headers: t.auth })).json();
    expect(event).toMatchObject({ type: 'inbound.rest.invoice.paid', source: 'provider', integrationId, connectorId: 'rest', payload: { providerType: 'invoice.paid', data: { id: 'in_1' } } });
    expect((await hook({ 'x-signature': sign(WEBHOOK_SECRET, body), 'x-timestamp': timestamp })).json().duplicate).toBe(true);

    const forged = await hook({ 'x-signature': sign('not-the-secret', body), 'x-timestamp': timestamp });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.message).toMatch(/signature does not match/);
    expect(forged.body).not.toContain(WEBHOOK_SECRET);
    expect((await hook({})).statusCode).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await hook({ 'x-signature': sign(WEBHOOK_SECRET, body), 'x-timestamp': stale })).statusCode).toBe(401);
    expect((await hook({ 'x-signature': sign(WEBHOOK_SECRET, body) }, body, '00000000-0000-7000-8000-0000000000ff')).statusCode).toBe(404);
  });

  it('verifies Standard Webhooks signatures for a connector that declares them', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.auth, payload: { connectorId: 'signed-test', name: 'Signed', credentials: { apiKey: 'sk-signed-abcdefgh', webhookSecret: STANDARD_SECRET } } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const body = JSON.stringify({ type: 'email.delivered', data: { to: 'ada@example.com' } });
    const seconds = Math.floor(Date.now() / 1000);
    const headers = (secret: string) => ({ 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': new Webhook(secret).sign('msg_1', new Date(seconds * 1000), body) });
    const accepted = await t.inject({ method: 'POST', url: `/api/v1/hooks/${id}`, headers: headers(STANDARD_SECRET), payload: body });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const event = (await t.inject({ method: 'GET', url: `/api/v1/events/${accepted.json().eventId}`, headers: t.auth })).json();
    expect(event.type).toBe('inbound.signed-test.email.delivered');
    const wrong = await t.inject({ method: 'POST', url: `/api/v1/hooks/${id}`, headers: headers('whsec_' + Buffer.alloc(32, 9).toString('base64')), payload: body });
    expect(wrong.statusCode).toBe(401);
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/integrations/${id}`, headers: t.auth })).statusCode).toBe(200);
    // Disconnected: nothing is accepted for it any more.
    expect((await t.inject({ method: 'POST', url: `/api/v1/hooks/${id}`, headers: headers(STANDARD_SECRET), payload: body })).statusCode).toBe(404);
  });

  it('emits integration.* events in the transaction of each status change', async () => {
    const events = async () =>
      (await t.inject({ method: 'GET', url: `/api/v1/events?integrationId=${integrationId}&type=integration.*&limit=100`, headers: t.auth })).json().items as { type: string; source: string; payload: Record<string, unknown> }[];
    const before = (await events()).length;
    // connected (create), failed (test after the provider changed keys), connected (PATCH with the new key)
    expect((await events()).map((e) => e.type).reverse().slice(0, 3)).toEqual(['integration.connected', 'integration.failed', 'integration.connected']);
    const failed = (await events()).find((e) => e.type === 'integration.failed')!;
    expect(failed).toMatchObject({ source: 'api', payload: { integrationId, connectorId: 'rest', reason: 'auth', message: expect.stringContaining('invalid api key') } });
    // A re-check that finds the integration as it was is not an event.
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/test`, headers: t.auth })).json().ok).toBe(true);
    expect((await events()).length).toBe(before);
    // An action refused with 401 marks the integration and says so once.
    providerApi.state.acceptedKey = 'sk-rotated-at-the-provider-0000';
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/getJson`, headers: t.auth, payload: { path: 'x' } })).statusCode).toBe(422);
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/getJson`, headers: t.auth, payload: { path: 'x' } })).statusCode).toBe(422);
    const afterRefusal = await events();
    expect(afterRefusal.length).toBe(before + 1);
    expect(afterRefusal[0]).toMatchObject({ type: 'integration.failed', source: 'provider' });
    providerApi.state.acceptedKey = NEW_KEY;
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/test`, headers: t.auth })).json().ok).toBe(true);
    expect((await events())[0]).toMatchObject({ type: 'integration.connected', payload: { account: { id: expect.any(String), name: expect.any(String) } } });
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
    // The call paths read integrations through a short cache: a disconnect in this process empties it at once.
    expect((await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/proxy/things/1`, headers: t.auth })).statusCode).toBe(404);
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/getJson`, headers: t.auth, payload: { path: 'x' } })).statusCode).toBe(404);
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=integration.*&limit=100', headers: t.auth })).json();
    const actions = audit.items.filter((e: { targetId: string }) => e.targetId === integrationId).map((e: { action: string }) => e.action);
    expect(actions.filter((a: string, i: number) => a !== actions[i - 1])).toEqual(['integration.disconnected', 'integration.updated', 'integration.created']);
    const last = (await t.inject({ method: 'GET', url: `/api/v1/events?integrationId=${integrationId}&type=integration.*&limit=1`, headers: t.auth })).json().items[0];
    expect(last).toMatchObject({ type: 'integration.disconnected', payload: { integrationId, connectorId: 'rest', name: 'Billing API v2' } });
  });

  it('never lets a credential reach a response, a log line, an audit entry or an event payload', async () => {
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: t.auth })).body;
    const events = await t.inject({ method: 'GET', url: '/api/v1/events/export?format=json', headers: t.auth });
    expect(events.statusCode).toBe(200);
    expect(events.body).toContain('integration.connected');
    const logs = t.logs.join('');
    for (const secret of [GOOD_KEY, NEW_KEY, 'sk-wrong-key-0000', 'sk-not-accepted-9999', WEBHOOK_SECRET, STANDARD_SECRET, 'sk-signed-abcdefgh']) {
      expect(audit).not.toContain(secret);
      expect(events.body).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
