// The events and webhooks API on one hub per backend: the event log (the catalogue, events written in their
// cause's transaction so a rollback leaves neither the event nor its delivery jobs, custom events, filters,
// payload search, cursor pages, export, the tally, retention), then provider webhooks in, then endpoints.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { emitEvent } from './index.ts';
import { matchesAny } from './catalogue.ts';
import { pruneWebhookHistory } from './retention.ts';
import { endpointsApiSuite } from './endpoints-api.suite.ts';
import { inboundSuite } from './inbound/hooks.suite.ts';
import { createEndpoint, emit, eventually, getEvent, startReceiver, type Receiver } from './test-support.ts';

describe.each(backends)('the events and webhooks API on $name', (backend) => {
  let t: TestHub;
  let workspaceId: string;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
    workspaceId = (await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: t.auth })).json().workspace.id;
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.stop();
  });

  const get = async (url: string) => {
    const response = await t.inject({ method: 'GET', url, headers: t.auth });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const rows = async (query: ReturnType<typeof sql>) => (await t.hub.context.db.execute(query)) as unknown as { rows: Record<string, unknown>[] };

  it('serves the catalogue with a JSON Schema per type', async () => {
    const { items } = await get('/api/v1/event-types');
    const sync = items.find((item: { type: string }) => item.type === 'sync.completed');
    expect(sync).toMatchObject({ version: 1, hubOnly: false });
    expect(sync.schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['runId', 'integrationId', 'sync']) });
    expect(items.map((item: { type: string }) => item.type)).toEqual(expect.arrayContaining(['endpoint.disabled', 'inbound.<connector>.<type>', 'custom.<name>']));
  });

  it('writes an event and its delivery jobs in the caller’s transaction: a rollback leaves neither', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    await createEndpoint(t, { url: rx.url, eventTypes: ['sync.completed'] });
    const deliveryJobs = async () =>
      Number((await rows(sql`select count(*)::int as n from pgboss.job where name = 'webhooks.deliver'`)).rows[0]!.n);
    const jobsBefore = await deliveryJobs();
    const payload = { runId: 'run-rolled-back', integrationId: '00000000-0000-7000-8000-000000000001', sync: 'orders', durationMs: 5, added: 1, updated: 0, deleted: 0 };
    await expect(
      t.hub.context.db.transaction(async (tx) => {
        await emitEvent(t.hub.context.jobs, tx, { workspaceId, type: 'sync.completed', source: 'sync', payload });
        throw new Error('the sync run failed to commit');
      }),
    ).rejects.toThrow('the sync run failed to commit');
    expect((await rows(sql`select id from events where payload->>'runId' = 'run-rolled-back'`)).rows).toHaveLength(0);
    expect(await deliveryJobs()).toBe(jobsBefore);

    const committed = await t.hub.context.db.transaction((tx) =>
      emitEvent(t.hub.context.jobs, tx, { workspaceId, type: 'sync.completed', source: 'sync', integrationId: payload.integrationId, connectorId: 'shopify', payload: { ...payload, runId: 'run-committed' } }),
    );
    expect(committed.deliveries).toBe(1);
    const delivered = await eventually(() => rx.received.find((r) => r.headers['webhook-id'] === committed.id), 'the committed event');
    expect(JSON.parse(delivered.body)).toMatchObject({ type: 'sync.completed', source: 'sync', connectorId: 'shopify', data: { runId: 'run-committed' } });
    // Only the committed event ever reached a receiver.
    expect(rx.received.every((r) => !r.body.includes('run-rolled-back'))).toBe(true);
  });

  it('refuses a payload that does not match its type’s schema (a bug in the caller)', async () => {
    await expect(
      t.hub.context.db.transaction((tx) => emitEvent(t.hub.context.jobs, tx, { workspaceId, type: 'sync.completed', source: 'sync', payload: { runId: 1 } })),
    ).rejects.toThrow(/does not match its schema/);
    await expect(
      t.hub.context.db.transaction((tx) => emitEvent(t.hub.context.jobs, tx, { workspaceId, type: 'no.such_type', source: 'api', payload: {} })),
    ).rejects.toThrow(/not in the catalogue/);
  });

  it('routes each event to exactly the endpoints whose filters matchesFilter says match', async () => {
    const filters = [['*'], ['custom.route.*'], ['custom.route.a'], ['custom.rout.*'], ['custom'], ['custom.route.a_b']];
    const rx = await startReceiver();
    receivers.push(rx);
    const ids: string[] = [];
    for (const eventTypes of filters) ids.push((await createEndpoint(t, { url: rx.url, eventTypes, enabled: false })).id);
    for (const type of ['custom.route.a', 'custom.route.b', 'custom.routex.a', 'custom.route.a_b', 'custom.route.axb']) {
      const event = await getEvent(t, await emit(t, type, {}));
      const got = ids.filter((id) => event.deliveryList.some((d: { endpointId: string }) => d.endpointId === id));
      const expected = ids.filter((_, i) => matchesAny(type, filters[i]!));
      expect(got, type).toEqual(expected);
    }
    for (const id of ids) await t.inject({ method: 'DELETE', url: `/api/v1/webhooks/endpoints/${id}`, headers: t.auth });
  });

  it('emits custom events and refuses hub-only or mismatched ones', async () => {
    const ok = await t.inject({ method: 'POST', url: '/api/v1/events', headers: t.auth, payload: { type: 'custom.order_created', payload: { order: 1 } } });
    expect(ok.statusCode).toBe(201);
    const event = await getEvent(t, ok.json().id);
    expect(event).toMatchObject({ type: 'custom.order_created', source: 'manual', payload: { order: 1 }, status: 'none' });
    const forged = await t.inject({ method: 'POST', url: '/api/v1/events', headers: t.auth, payload: { type: 'endpoint.disabled', payload: {} } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.details[0]).toMatchObject({ field: 'body.type', message: expect.stringMatching(/emitted by the hub/) });
    const mismatched = await t.inject({ method: 'POST', url: '/api/v1/events', headers: t.auth, payload: { type: 'error.occurred', payload: { code: 'x' } } });
    expect(mismatched.statusCode).toBe(400);
    expect(mismatched.json().error.details[0].field).toBe('body.payload.message');
    const unknown = await t.inject({ method: 'POST', url: '/api/v1/events', headers: t.auth, payload: { type: 'orders.created', payload: {} } });
    expect(unknown.json().error.details[0].message).toMatch(/custom\.<name>/);
  });

  it('filters by type, connector, integration, status, time and payload text, page by page', async () => {
    const failing = await startReceiver({ status: 500 });
    const fine = await startReceiver();
    receivers.push(failing, fine);
    await createEndpoint(t, { url: failing.url, eventTypes: ['custom.log.fail'], retrySchedule: [] });
    await createEndpoint(t, { url: fine.url, eventTypes: ['custom.log.ok'] });
    const before = new Date().toISOString();
    const failed = await emit(t, 'custom.log.fail', { note: 'the NEEDLE is here' });
    const delivered = await emit(t, 'custom.log.ok', { note: 'hay' });
    const none = await emit(t, 'custom.log.none', { note: 'hay' });
    await eventually(async () => (await getEvent(t, failed)).status === 'failed' && (await getEvent(t, delivered)).status === 'delivered', 'both outcomes');

    const ids = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);
    expect(ids(await get('/api/v1/events?type=custom.log.*'))).toEqual([none, delivered, failed]);
    expect(ids(await get('/api/v1/events?type=custom.log.*&status=failed'))).toEqual([failed]);
    expect(ids(await get('/api/v1/events?type=custom.log.*&status=delivered'))).toEqual([delivered]);
    expect(ids(await get('/api/v1/events?type=custom.log.*&status=none'))).toEqual([none]);
    expect(ids(await get('/api/v1/events?q=needle'))).toEqual([failed]);
    expect(ids(await get(`/api/v1/events?type=custom.log.*&from=${encodeURIComponent(before)}`))).toHaveLength(3);
    expect(ids(await get(`/api/v1/events?type=custom.log.*&to=${encodeURIComponent(before)}`))).toHaveLength(0);
    const shopify = (await get('/api/v1/events?connectorId=shopify')).items as { connectorId: string; type: string }[];
    expect(shopify.length).toBeGreaterThan(0);
    expect(shopify.every((e) => e.connectorId === 'shopify')).toBe(true);
    expect(shopify.some((e) => e.type.startsWith('custom.log.'))).toBe(false);
    expect((await get('/api/v1/events?integrationId=00000000-0000-7000-8000-000000000001')).items).toHaveLength(1);

    const first = await get('/api/v1/events?type=custom.log.*&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await get(`/api/v1/events?type=custom.log.*&limit=2&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual([failed]);
    expect(second.nextCursor).toBeNull();

    const detail = await getEvent(t, failed);
    expect(detail.deliveryList[0]).toMatchObject({ status: 'failed', attemptCount: 1, lastStatus: 500 });
    expect(detail.deliveryList[0].attempts[0]).toMatchObject({ attemptNumber: 1, status: 500, errorCode: 'http_error' });
  });

  it('exports the filtered log as CSV and JSON, and tallies the last 24 hours', async () => {
    const csv = await t.inject({ method: 'GET', url: '/api/v1/events/export?format=csv&type=custom.log.*', headers: t.auth });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="events-.*\.csv"/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('id,created_at,type,version,source,integration_id,connector_id,status,deliveries,succeeded,failed,pending,payload');
    expect(lines).toHaveLength(4);
    expect(csv.body).toContain('"{""note"":""the NEEDLE is here""}"');

    const json = await t.inject({ method: 'GET', url: '/api/v1/events/export?format=json&type=custom.log.*&status=failed', headers: t.auth });
    const parsed = JSON.parse(json.body);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ type: 'custom.log.fail', status: 'failed' });

    const stats = await get('/api/v1/events/stats');
    expect(stats.succeeded).toBeGreaterThanOrEqual(2);
    expect(stats.failed).toBeGreaterThanOrEqual(1);
  });

  it('prunes attempt logs after their retention, and events with their deliveries after theirs', async () => {
    const count = async (table: string) => Number((await rows(sql.raw(`select count(*)::int as n from ${table}`))).rows[0]!.n);
    const attempts = await count('webhook_attempts');
    const events = await count('events');
    expect(attempts).toBeGreaterThan(0);
    const day = 86_400_000;
    expect(await pruneWebhookHistory(t.hub.context.db, { now: Date.now() + 29 * day, attemptDays: 30, eventDays: 90 })).toEqual({ attempts: 0, events: 0, inbound: 0 });
    expect(await pruneWebhookHistory(t.hub.context.db, { now: Date.now() + 31 * day, attemptDays: 30, eventDays: 90 })).toMatchObject({ attempts, events: 0 });
    expect(await count('webhook_deliveries')).toBeGreaterThan(0);
    expect(await pruneWebhookHistory(t.hub.context.db, { now: Date.now() + 91 * day, attemptDays: 30, eventDays: 90 })).toMatchObject({ events });
    expect(await count('webhook_deliveries')).toBe(0);
  });

  // Later suites share the hub: the log's own checks above run first, on an event log they alone wrote to.
  inboundSuite(() => t);
  endpointsApiSuite(() => t);
});
