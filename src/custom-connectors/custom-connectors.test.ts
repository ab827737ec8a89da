// Run-time REST connectors on a real hub against a local API: validation that names fields, the catalogue and
// connect wizard path, templated requests with encoding, pagination, versions (integrations follow the latest),
// "try it", deletion rules, the SSRF guard, and that credentials never reach templates, answers or logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startRestFixture, type RestFixture } from '../../test/support/rest-fixture.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';

describe.each(backends)('custom REST connectors on $name', (backend) => {
  let t: TestHub;
  let api: RestFixture;
  let customId: string;
  let integrationId: string;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const response = await t.inject({ method, url, headers: t.auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: response.statusCode, body: response.body ? response.json() : null, raw: response.body };
  };

  const definition = () => ({
    kind: 'rest',
    slug: 'inventory',
    title: 'Inventory API',
    description: 'Our warehouse inventory',
    baseUrl: '{{config.baseUrl}}',
    config: { type: 'object', properties: { baseUrl: { type: 'string', format: 'uri' }, pageSize: { type: 'integer', minimum: 1, default: 2 } }, required: ['baseUrl'] },
    auth: { kind: 'bearer', label: 'Access token' },
    check: { request: { path: '/me' }, success: { path: 'active', equals: true }, accountName: 'user.login' },
    actions: [
      {
        name: 'getItem',
        title: 'Get an item',
        description: 'One item by id',
        input: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
        request: { path: '/items/{{input.id}}' },
        output: { path: 'item' },
      },
      {
        name: 'listItems',
        title: 'List items',
        description: 'Every item, page by page',
        input: { type: 'object', properties: {} },
        request: { path: '/items', query: { per_page: '{{config.pageSize}}' } },
        paginate: { kind: 'page', pageParam: 'page', itemsPath: 'data', pageSize: 2, maxPages: 10 },
      },
      {
        name: 'createItem',
        title: 'Create an item',
        description: 'Creates an item',
        input: { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name'] },
        request: { method: 'POST', path: '/items', body: { name: 'Item {{input.name}}', count: '{{input.count}}', tags: '{{input.tags}}', source: 'hub' } },
      },
    ],
    defaultAction: 'listItems',
  });

  beforeAll(async () => {
    api = await startRestFixture();
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await api?.close();
  }, 60_000);

  it('refuses definitions with bad placeholders, naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...definition(), baseUrl: '{{credentials.apiKey}}' }, 'body.baseUrl', /not \{\{input.name\}\} or \{\{config.name\}\}/],
      [{ ...definition(), actions: [{ ...definition().actions[0], request: { path: '/items/{{input.nope}}' } }] }, 'body.actions.0.request.path', /has no property "nope"/],
      [{ ...definition(), actions: [{ ...definition().actions[2], request: { path: '/items/{{input.count}}' } }] }, 'body.actions.0.request.path', /required/],
      [{ ...definition(), check: { request: { path: '/me/{{input.id}}' } } }, 'body.check.request.path', /input values are not available here/],
      [{ ...definition(), actions: [{ ...definition().actions[0], request: { path: 'https://elsewhere.test/x' } }] }, 'body.actions.0.request.path', /relative/],
      [{ ...definition(), actions: [{ ...definition().actions[0], request: { path: '/x', headers: { Authorization: 'Bearer {{config.baseUrl}}' } } }] }, 'body.actions.0.request.headers.Authorization', /auth settings/],
      [{ ...definition(), slug: 'Bad Slug' }, 'body.slug', /lower case/],
      [{ ...definition(), defaultAction: 'nothing' }, 'body.defaultAction', /no action/],
    ];
    for (const [body, field, message] of cases) {
      const response = await call('POST', '/api/v1/connectors/custom', body);
      expect(response.status, `${field}: ${response.raw}`).toBe(400);
      const detail = response.body.error.details.find((d: { field: string }) => d.field === field);
      expect(detail, `${field} in ${response.raw}`).toBeDefined();
      expect(detail.message).toMatch(message);
    }
    const n8nRef = await call('POST', '/api/v1/connectors/custom', { kind: 'n8n-workflow', slug: 'x-flow', title: 'X', description: 'x', integrationId: '00000000-0000-7000-8000-000000000009', workflow: { webhookPath: 'x' } });
    expect(n8nRef.body.error.details[0].field).toBe('body.integrationId');
  });

  it('tries an unsaved definition: the check and one action, with the calls made and no secret echoed', async () => {
    const tried = await call('POST', '/api/v1/connectors/custom/try', { definition: definition(), config: { baseUrl: api.baseUrl }, credentials: { token: api.token }, action: 'getItem', input: { id: 'item-2' } });
    expect(tried.status, tried.raw).toBe(200);
    expect(tried.body.check).toMatchObject({ ok: true, account: { name: 'ada' } });
    expect(tried.body.action).toEqual({ ok: true, output: { id: 'item-2', name: 'Item 2' } });
    expect(tried.body.calls.map((c: { method: string; url: string }) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(['GET /v1/me', 'GET /v1/items/item-2']);
    expect(tried.raw).not.toContain(api.token);
    const refused = await call('POST', '/api/v1/connectors/custom/try', { definition: definition(), config: { baseUrl: api.baseUrl }, credentials: { token: 'wrong-token-0000' } });
    expect(refused.body.check).toMatchObject({ ok: false, field: 'credentials.token' });
    expect(refused.body.check.message).toContain('bad token');
    const invalid = await call('POST', '/api/v1/connectors/custom/try', { definition: { ...definition(), baseUrl: '' }, config: {} });
    expect(invalid.body.error.details[0].field).toBe('body.definition.baseUrl');
  });

  it('creates version 1, listed in the catalogue with JSON Schemas for the wizard', async () => {
    const created = await call('POST', '/api/v1/connectors/custom', definition());
    expect(created.status, created.raw).toBe(201);
    expect(created.body).toMatchObject({ connectorId: 'custom-inventory', kind: 'rest', version: 1, title: 'Inventory API' });
    customId = created.body.id;
    expect((await call('POST', '/api/v1/connectors/custom', definition())).status).toBe(409);
    const catalogue = await call('GET', '/api/v1/connectors?category=custom');
    expect(catalogue.body.items.map((c: { id: string }) => c.id)).toContain('custom-inventory');
    const detail = await call('GET', '/api/v1/connectors/custom-inventory');
    expect(detail.body).toMatchObject({ authKind: 'apiKey', configSchema: { properties: { baseUrl: { type: 'string' } }, required: ['baseUrl'] } });
    expect(detail.body.credentialSchema).toMatchObject({ properties: { token: { title: 'Access token', writeOnly: true } }, required: ['token'] });
    expect(detail.body.actions.find((a: { name: string }) => a.name === 'getItem').inputSchema).toMatchObject({ properties: { id: { type: 'string' } }, required: ['id'] });
  });

  it('connects through the usual route, checked with the provider; a refused token stores nothing', async () => {
    const refused = await call('POST', '/api/v1/integrations', { connectorId: 'custom-inventory', name: 'Warehouse', config: { baseUrl: api.baseUrl }, credentials: { token: 'nope-nope-1234' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'connection_failed', details: { field: 'body.credentials.token' } });
    const connected = await call('POST', '/api/v1/integrations', { connectorId: 'custom-inventory', name: 'Warehouse', config: { baseUrl: api.baseUrl }, credentials: { token: api.token } });
    expect(connected.status, connected.raw).toBe(201);
    expect(connected.body).toMatchObject({ status: 'connected', account: { name: 'ada' }, credentials: { token: '••••5678' }, config: { baseUrl: api.baseUrl, pageSize: 2 } });
    integrationId = connected.body.id;
  });

  it('runs actions: path values encoded as one segment, typed JSON bodies, pages followed, calls logged', async () => {
    const action = (name: string, input: unknown) => call('POST', `/api/v1/integrations/${integrationId}/actions/${name}`, input);
    const sneaky = await action('getItem', { id: '../me' });
    expect(sneaky.status).toBe(422);
    expect(sneaky.body.error.details.providerBody.rawPath).toBe('/v1/items/..%2Fme');
    const dots = await action('getItem', { id: '..' });
    expect(dots.status).toBe(502);
    expect(dots.body.error.message).toContain('may not be ".."');
    expect((await action('getItem', { id: 'item-1' })).body.output).toEqual({ id: 'item-1', name: 'Item 1' });
    const created = await action('createItem', { name: 'Bolt', count: 3, tags: ['a', 'b'] });
    expect(created.body.output).toEqual({ created: { name: 'Item Bolt', count: 3, tags: ['a', 'b'], source: 'hub' } });
    const sparse = await action('createItem', { name: 'Nut' });
    expect(sparse.body.output).toEqual({ created: { name: 'Item Nut', source: 'hub' } });
    const listed = await action('listItems', {});
    expect(listed.body.output.items.map((i: { id: string }) => i.id)).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
    expect(api.requests.filter((r) => r.path.startsWith('/v1/items?')).map((r) => r.path)).toEqual(['/v1/items?per_page=2&page=1', '/v1/items?per_page=2&page=2', '/v1/items?per_page=2&page=3']);
    expect((await action('getItem', {})).body.error.details[0].field).toBe('body.id');
    const operations = await call('GET', `/api/v1/integrations/${integrationId}/operations`);
    expect(operations.body.items.some((o: { operation: string }) => o.operation === 'action:listItems')).toBe(true);
    // Its default action is what POST …/run starts.
    const run = await call('POST', `/api/v1/integrations/${integrationId}/run`, {});
    expect(run.body).toMatchObject({ action: 'listItems', kind: 'action', connectorVersion: 1 });
  });

  it('versions every change; integrations follow the latest; an old version can be restored', async () => {
    const changed = await call('PATCH', `/api/v1/connectors/custom/${customId}`, {
      actions: [...definition().actions, { name: 'whoAmI', title: 'Who am I', description: 'The token owner', request: { path: '/me' }, output: { path: 'user' } }],
    });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body.version).toBe(2);
    const who = await call('POST', `/api/v1/integrations/${integrationId}/actions/whoAmI`, {});
    expect(who.body.output).toEqual({ login: 'ada', plan: 'pro' });
    expect((await call('PATCH', `/api/v1/connectors/custom/${customId}`, { slug: 'renamed' })).body.error.details[0].field).toBe('body.slug');
    const restored = await call('PATCH', `/api/v1/connectors/custom/${customId}`, { restoreVersion: 1 });
    expect(restored.body.version).toBe(3);
    expect((await call('POST', `/api/v1/integrations/${integrationId}/actions/whoAmI`, {})).status).toBe(404);
    const versions = await call('GET', `/api/v1/connectors/custom/${customId}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('refuses private addresses unless allowed, like any connector', async () => {
    const metadata = await call('POST', '/api/v1/integrations', { connectorId: 'custom-inventory', name: 'Metadata', config: { baseUrl: 'http://169.254.169.254/latest' }, credentials: { token: 'x-token-1234' } });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error.message).toMatch(/not allowed/);
  });

  it('is deleted only once no integration uses it, and then leaves the catalogue', async () => {
    expect((await call('DELETE', `/api/v1/connectors/custom/${customId}`)).status).toBe(409);
    // The run started above must end before the integration goes.
    for (;;) {
      const runs = (await call('GET', `/api/v1/integrations/${integrationId}/runs`)).body.items as { status: string }[];
      if (runs.every((r) => !['queued', 'running'].includes(r.status))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await call('DELETE', `/api/v1/integrations/${integrationId}`)).status).toBeLessThan(300);
    expect((await call('DELETE', `/api/v1/connectors/custom/${customId}`)).status).toBe(204);
    expect((await call('GET', '/api/v1/connectors/custom-inventory')).status).toBe(404);
    expect((await call('GET', '/api/v1/connectors/custom')).body.items).toEqual([]);
  });

  it('never writes the token to the logs', () => {
    expect(t.logs.join('\n')).not.toContain(api.token);
  });
});
