import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

describe('health, readiness, metrics and the API reference', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(backends[0]!);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers /healthz and /readyz with each dependency checked', async () => {
    expect((await t.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', jobs: 'ok', sharedState: 'ok (memory)' } });
  });

  it('exports HTTP latency by route and status, and job counts by type and state', async () => {
    await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: t.auth });
    await t.inject({ method: 'GET', url: '/api/v1/workspaces/current' });
    const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/switchboard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/workspaces\/current",status="200"\} 1/);
    expect(metrics).toMatch(/switchboard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/workspaces\/current",status="401"\} 1/);
    expect(metrics).toContain('# TYPE switchboard_jobs gauge');
    expect(metrics).toContain('# TYPE switchboard_queue_depth gauge');
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and an interactive reference', async () => {
    const document = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/api-keys', '/api/v1/jobs/{id}', '/api/v1/audit-log']));
    expect(document.paths['/api/v1/api-keys'].post.requestBody.content['application/json'].schema.properties.role.enum).toEqual(['owner', 'admin', 'member']);
    expect(document.info.description).toContain('validation_failed');
    const docs = await t.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('tags every response with a request id, honouring a sane one from the caller', async () => {
    const given = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const generated = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('CORS', () => {
  it('is off by default and answers only the configured origins when set', async () => {
    const closed = await startTestHub(backends[0]!);
    try {
      const response = await closed.inject({ method: 'OPTIONS', url: '/api/v1/workspaces/current', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.stop();
    }
    const open = await startTestHub(backends[0]!, { env: { SWITCHBOARD_CORS_ORIGINS: 'https://app.example.com' } });
    try {
      const allowed = await open.inject({ method: 'OPTIONS', url: '/api/v1/workspaces/current', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const other = await open.inject({ method: 'OPTIONS', url: '/api/v1/workspaces/current', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.stop();
    }
  });
});
