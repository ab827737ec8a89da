// The safety guarantees of delivery that the happy paths do not show: the SSRF guard judges the address at
// every connection (not only when the URL was saved), a dead endpoint's breaker opens for it alone, an
// attempt that gets no answer ends as a timeout after 15 s, secrets and custom headers are stored only as
// ciphertext, and one workspace can neither see nor act on another's events and deliveries.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { createApiKey } from '../access/api-keys.ts';
import { workspaces } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';
import { DELIVERY_TIMEOUT_MS } from './delivery/attempt.ts';
import { createEndpoint, emit, eventually, getEvent, startReceiver, type Receiver } from './test-support.ts';

type Attempt = { status: number | null; errorCode: string | null; errorMessage: string | null; latencyMs: number };

describe.each(backends)('delivery safeguards on $name', (backend) => {
  let t: TestHub;
  const receivers: Receiver[] = [];
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    // Loopback over IPv4 is allowed so the receivers can listen; ::1 stays refused. One attempt in flight
    // per endpoint, so the breaker's count of consecutive failures is exact.
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY: '1' } });
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    for (const close of closers) await close();
    await t?.stop();
  });

  async function receiver(...args: Parameters<typeof startReceiver>) {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  }
  const rows = async <T>(query: ReturnType<typeof sql>) => ((await t.hub.context.db.execute(query)) as unknown as { rows: T[] }).rows;
  const attemptsOf = async (eventId: string): Promise<Attempt[]> => (await getEvent(t, eventId)).deliveryList[0]?.attempts ?? [];

  it('refuses at connection time an address that became refused after the URL was saved', async () => {
    // A receiver on ::1, which the allow list (127.0.0.0/8) does not open.
    let reached = 0;
    const server = createServer((_request, response) => {
      reached++;
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    closers.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const url = `http://[::1]:${(server.address() as AddressInfo).port}/hook`;

    const refused = await t.inject({ method: 'POST', url: '/api/v1/webhooks/endpoints', headers: t.auth, payload: { url } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].field).toBe('body.url');

    // Saved while it pointed somewhere allowed; the address it names now is refused (as after a DNS change).
    const { id } = await createEndpoint(t, { url: 'http://127.0.0.1:9/hook', eventTypes: ['custom.guard.rebound'], retrySchedule: [] });
    await t.hub.context.db.execute(sql`update webhook_endpoints set url = ${url} where id = ${id}::uuid`);
    const eventId = await emit(t, 'custom.guard.rebound', {});
    await eventually(async () => (await getEvent(t, eventId)).status === 'failed', 'the refused delivery to fail');
    const [attempt] = await attemptsOf(eventId);
    expect(attempt).toMatchObject({ status: null, errorCode: 'ssrf_refused', errorMessage: expect.stringMatching(/::1/) });
    expect(reached).toBe(0);
  });

  it('opens the breaker of a dead endpoint without slowing a healthy one on the same events', async () => {
    const dead = await receiver({ status: 500, body: 'down' });
    const healthy = await receiver();
    await createEndpoint(t, { url: dead.url, eventTypes: ['custom.guard.breaker'], retrySchedule: [] });
    await createEndpoint(t, { url: healthy.url, eventTypes: ['custom.guard.breaker'] });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await emit(t, 'custom.guard.breaker', { i }));
    await eventually(() => healthy.received.length === 12, 'every event at the healthy endpoint');
    const deadAttempts = async () => {
      const events = await Promise.all(ids.map((id) => getEvent(t, id)));
      return events.flatMap((event) => event.deliveryList.filter((d: { endpointUrl: string }) => d.endpointUrl === dead.url).flatMap((d: { attempts: Attempt[] }) => d.attempts));
    };
    const attempts = await eventually(async () => {
      const all = await deadAttempts();
      return all.length === 12 && all;
    }, 'one attempt per event at the dead endpoint');
    // Five consecutive failures open the breaker (30 s cooldown): the rest never reached the receiver.
    expect(dead.received).toHaveLength(5);
    expect(attempts.filter((a) => a.status === 500)).toHaveLength(5);
    const open = attempts.filter((a) => a.errorCode === 'circuit_open');
    expect(open).toHaveLength(7);
    expect(open.every((a) => a.status === null)).toBe(true);
  });

  it('ends an attempt that gets no answer as a timeout after 15 seconds', async () => {
    const silent = await receiver('hold');
    await createEndpoint(t, { url: silent.url, eventTypes: ['custom.guard.silent'], retrySchedule: [3600] });
    const eventId = await emit(t, 'custom.guard.silent', {});
    const [attempt] = await eventually(async () => {
      const attempts = await attemptsOf(eventId);
      return attempts.length > 0 && attempts;
    }, 'the timed-out attempt', 1200);
    expect(attempt).toMatchObject({ status: null, errorCode: 'timeout' });
    // A lower bound only: the attempt was given its full 15 s.
    expect(attempt!.latencyMs).toBeGreaterThanOrEqual(DELIVERY_TIMEOUT_MS - 50);
    expect((await getEvent(t, eventId)).deliveryList[0].status).toBe('pending');
  }, 90_000);

  it('stores the signing secret and custom header values only as ciphertext', async () => {
    const { id, secret } = await createEndpoint(t, { url: 'http://127.0.0.1:9/vault', headers: { 'X-Api-Token': 'plain-header-value-123' } });
    const [row] = await rows<Record<string, unknown>>(sql`select * from webhook_endpoints where id = ${id}::uuid`);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    expect(stored).not.toContain('plain-header-value-123');
    expect(row!.header_names).toEqual(['X-Api-Token']);
    expect(row!.secret).toEqual(expect.any(String));
    expect(row!.headers).toEqual(expect.any(String));
  });

  it('keeps events, deliveries, exports and tallies to their workspace', async () => {
    const rx = await receiver({ status: 500 });
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.guard.mine'], retrySchedule: [] });
    const mine = await emit(t, 'custom.guard.mine', { secretNote: 'only-for-workspace-one' });
    await eventually(async () => (await getEvent(t, mine)).status === 'failed', 'the delivery to fail');
    const event = await getEvent(t, mine);
    const deliveryId = event.deliveryList[0].id as string;
    const endpointId = event.deliveryList[0].endpointId as string;

    const otherId = newId();
    await t.hub.context.db.insert(workspaces).values({ id: otherId, slug: `guard-other-${backend.name}`, name: 'Other' });
    const otherKey = await createApiKey(t.hub.context.db, { workspaceId: otherId, name: 'other owner', role: 'owner', scopes: ['read', 'write'], createdByUserId: null });
    const outsider = { authorization: `Bearer ${otherKey.key}` };
    const as = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => t.inject({ method, url, headers: outsider, payload });

    expect((await as('GET', `/api/v1/events/${mine}`)).statusCode).toBe(404);
    expect((await as('GET', '/api/v1/events?type=custom.guard.*')).json().items).toEqual([]);
    expect((await as('GET', '/api/v1/events?q=only-for-workspace-one')).json().items).toEqual([]);
    const exported = await as('GET', '/api/v1/events/export?format=json');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).not.toContain('only-for-workspace-one');
    expect((await as('GET', '/api/v1/events/stats')).json()).toMatchObject({ succeeded: 0, failed: 0 });
    expect((await as('POST', `/api/v1/webhooks/deliveries/${deliveryId}/replay`)).statusCode).toBe(404);
    expect((await as('POST', `/api/v1/webhooks/endpoints/${endpointId}/replay`, { since: new Date(0).toISOString() })).statusCode).toBe(404);
    expect((await as('POST', `/api/v1/webhooks/endpoints/${endpointId}/test`)).statusCode).toBe(404);
    // The outsider's own custom event reaches none of this workspace's endpoints.
    const theirs = await as('POST', '/api/v1/events', { type: 'custom.guard.mine', payload: {} });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().deliveries).toBe(0);
    const theirEvent = (await as('GET', `/api/v1/events/${theirs.json().id}`)).json();
    expect(theirEvent.deliveryList).toEqual([]);
    expect(rx.received).toHaveLength(1);
  });
});
