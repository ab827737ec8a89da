// Outbound delivery against real receivers on 127.0.0.1: Standard Webhooks signatures checked by the
// library's own verifier, stable webhook-id across retries, statuses, 410, redirects, Retry-After, custom
// headers, rotation overlap, pause/resume, replay and isolation from a slow endpoint.
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { createEndpoint, emit, eventually, getEvent, startReceiver, type Receiver } from './test-support.ts';

describe.each(backends)('webhook delivery on $name', (backend) => {
  let t: TestHub;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY: '3' } });
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.stop();
  });

  async function receiver(...args: Parameters<typeof startReceiver>) {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  }

  it('delivers a signed event that the standardwebhooks verifier accepts', async () => {
    const rx = await receiver();
    const { secret } = await createEndpoint(t, { url: `${rx.url}/hook`, eventTypes: ['custom.order_created'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const eventId = await emit(t, 'custom.order_created', { order: 42 });
    const delivery = await eventually(() => rx.received[0], 'the delivery');
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as Record<string, unknown>;
    expect(verified).toMatchObject({ id: eventId, type: 'custom.order_created', source: 'manual', data: { order: 42 } });
    expect(delivery.headers['webhook-id']).toBe(eventId);
    expect(delivery.headers['content-type']).toBe('application/json');
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'the event to show delivered');
    const attempt = event.deliveryList[0].attempts[0];
    expect(attempt).toMatchObject({ attemptNumber: 1, status: 200, responseBody: 'ok', trigger: 'scheduled' });
    expect(attempt.requestHeaders['webhook-signature']).toMatch(/^v1,/);
  });

  it('does not deliver to an endpoint whose filter does not match', async () => {
    const rx = await receiver();
    await createEndpoint(t, { url: rx.url, eventTypes: ['sync.*'] });
    const eventId = await emit(t, 'custom.unrelated', {});
    const event = await getEvent(t, eventId);
    expect(event.deliveryList.filter((d: { endpointUrl: string }) => d.endpointUrl === rx.url)).toHaveLength(0);
  });

  it('keeps the same webhook-id and body on a retry, and succeeds once the receiver answers 2xx', async () => {
    const rx = await receiver();
    rx.answer((_d, index) => (index === 0 ? { status: 500, body: 'boom' } : { status: 204 }));
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.retry'], retrySchedule: [1] });
    const eventId = await emit(t, 'custom.retry', { n: 1 });
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'the retried delivery');
    expect(rx.received).toHaveLength(2);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    expect(rx.received[0]!.body).toBe(rx.received[1]!.body);
    expect(event.deliveryList[0].attempts.map((a: { status: number }) => a.status)).toEqual([500, 204]);
    expect(event.deliveryList[0].attempts[0]).toMatchObject({ responseBody: 'boom', errorCode: 'http_error' });
  });

  it('disables the endpoint when the receiver answers 410 Gone, and tells endpoint.disabled subscribers', async () => {
    const rx = await receiver({ status: 410, body: 'gone' });
    const watcher = await receiver();
    const gone = await createEndpoint(t, { url: rx.url, eventTypes: ['custom.gone'] });
    await createEndpoint(t, { url: watcher.url, eventTypes: ['endpoint.disabled'] });
    const eventId = await emit(t, 'custom.gone', {});
    await eventually(async () => (await getEvent(t, eventId)).status === 'failed', 'the delivery to fail');
    const endpoint = (await t.inject({ method: 'GET', url: `/api/v1/webhooks/endpoints/${gone.id}`, headers: t.auth })).json();
    expect(endpoint).toMatchObject({ state: 'disabled', disabledReason: 'The receiver answered 410 Gone.' });
    const notice = await eventually(() => watcher.received[0], 'the endpoint.disabled event');
    expect(JSON.parse(notice.body)).toMatchObject({ type: 'endpoint.disabled', data: { endpointId: gone.id, reason: 'The receiver answered 410 Gone.' } });
    // Later events are recorded as not sent, so re-enabling can offer them for replay.
    const later = await emit(t, 'custom.gone', {});
    expect((await getEvent(t, later)).deliveryList[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/disabled/) });
    expect(rx.received).toHaveLength(1);
  });

  it('keeps the first 4 KB of a long answer in the attempt log', async () => {
    const rx = await receiver({ status: 200, body: 'é'.repeat(5000) });
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.long_answer'] });
    const eventId = await emit(t, 'custom.long_answer', {});
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'the delivery');
    const excerpt = event.deliveryList[0].attempts[0].responseBody as string;
    // 4096 bytes of two-byte characters, never a character cut in half.
    expect(Buffer.byteLength(excerpt)).toBe(4096);
    expect(excerpt).toBe('é'.repeat(2048));
  });

  it('does not follow redirects', async () => {
    const target = await receiver();
    const redirecting = await receiver({ status: 307, headers: { location: `${target.url}/elsewhere` } });
    await createEndpoint(t, { url: redirecting.url, eventTypes: ['custom.redirect'], retrySchedule: [3600] });
    const eventId = await emit(t, 'custom.redirect', {});
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.deliveryList[0].attempts.length > 0 && e;
    }, 'the first attempt');
    expect(event.deliveryList[0]).toMatchObject({ status: 'pending', lastStatus: 307, lastError: expect.stringMatching(/redirects are not followed/) });
    expect(target.received).toHaveLength(0);
  });

  it('sends custom headers, masks their values in the attempt log, and never returns them', async () => {
    const rx = await receiver();
    const { id } = await createEndpoint(t, { url: rx.url, preset: 'generic', eventTypes: ['custom.headers'], headers: { 'X-Auth-Token': 'n8n-header-auth-value' } });
    const eventId = await emit(t, 'custom.headers', {});
    const delivery = await eventually(() => rx.received[0], 'the delivery');
    expect(delivery.headers['x-auth-token']).toBe('n8n-header-auth-value');
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'delivered');
    expect(event.deliveryList[0].attempts[0].requestHeaders['x-auth-token']).toBe('••••••');
    const endpoint = await t.inject({ method: 'GET', url: `/api/v1/webhooks/endpoints/${id}`, headers: t.auth });
    expect(endpoint.json().headerNames).toEqual(['X-Auth-Token']);
    expect(endpoint.body).not.toContain('n8n-header-auth-value');
    expect(t.logs.join('')).not.toContain('n8n-header-auth-value');
  });

  it('signs with both secrets during a rotation overlap, and only the new one after it', async () => {
    const rx = await receiver();
    const { id, secret: oldSecret } = await createEndpoint(t, { url: rx.url, eventTypes: ['custom.rotate'] });
    const rotated = await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/rotate-secret`, headers: t.auth, payload: { overlapHours: 1 } });
    expect(rotated.statusCode).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).not.toBe(oldSecret);
    await emit(t, 'custom.rotate', {});
    const during = await eventually(() => rx.received[0], 'a delivery during the overlap');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();
    await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/rotate-secret`, headers: t.auth, payload: { overlapHours: 0 } });
    await emit(t, 'custom.rotate', {});
    const after = await eventually(() => rx.received[1], 'a delivery after the overlap');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
  });

  it('holds deliveries while paused and sends them on resume', async () => {
    const rx = await receiver();
    const { id } = await createEndpoint(t, { url: rx.url, eventTypes: ['custom.paused'] });
    expect((await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/pause`, headers: t.auth })).json().state).toBe('paused');
    const ids = [await emit(t, 'custom.paused', { i: 1 }), await emit(t, 'custom.paused', { i: 2 })];
    for (const eventId of ids) expect((await getEvent(t, eventId)).deliveryList[0].status).toBe('held');
    expect(rx.received).toHaveLength(0);
    const resumed = await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/resume`, headers: t.auth });
    expect(resumed.json()).toMatchObject({ released: 2, replayable: null, endpoint: { state: 'enabled' } });
    await eventually(() => rx.received.length === 2, 'both held deliveries');
    expect(new Set(rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(ids));
  });

  it('replays one delivery with the same webhook-id once the receiver recovers', async () => {
    const rx = await receiver({ status: 500 });
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.replay'], retrySchedule: [] });
    const eventId = await emit(t, 'custom.replay', {});
    const failed = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'failed' && e;
    }, 'the delivery to fail');
    rx.answer({ status: 200 });
    const replayed = await t.inject({ method: 'POST', url: `/api/v1/webhooks/deliveries/${failed.deliveryList[0].id}/replay`, headers: t.auth });
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json().status).toBe('pending');
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'the replay');
    expect(event.deliveryList[0].attempts.map((a: { trigger: string }) => a.trigger)).toEqual(['scheduled', 'replay']);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
  });

  it('sends a test event and answers with the receiver’s status, latency and body', async () => {
    const rx = await receiver({ status: 202, body: 'accepted by the test receiver' });
    const { id } = await createEndpoint(t, { url: rx.url, eventTypes: ['sync.*'] });
    const response = await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/test`, headers: t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, status: 202, responseBody: 'accepted by the test receiver', error: null });
    expect(response.json().latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    const event = await getEvent(t, response.json().eventId);
    expect(event.deliveryList[0].attempts[0]).toMatchObject({ trigger: 'test', status: 202 });

    rx.answer({ status: 500, body: 'nope' });
    const failing = (await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${id}/test`, headers: t.auth })).json();
    expect(failing).toMatchObject({ ok: false, status: 500, responseBody: 'nope' });
    expect((await getEvent(t, failing.eventId)).status).toBe('failed');
  });

  it('keeps delivering to a healthy endpoint while a slow one holds its requests', async () => {
    const slow = await receiver('hold');
    const fast = await receiver();
    await createEndpoint(t, { url: slow.url, eventTypes: ['custom.isolation'] });
    await createEndpoint(t, { url: fast.url, eventTypes: ['custom.isolation'] });
    for (let i = 0; i < 24; i++) await emit(t, 'custom.isolation', { i });
    await eventually(() => fast.received.length === 24, 'every event at the healthy endpoint');
    // The slow receiver has not answered anything yet, and never held more than the per-endpoint limit.
    expect(slow.held()).toBeGreaterThan(0);
    expect(slow.held()).toBeLessThanOrEqual(3);
    expect(slow.received.length).toBeLessThanOrEqual(3);
    slow.answer({ status: 200 });
    slow.release();
  });

  it('hands a slow attempt over to the background and records its answer when it comes', async () => {
    const rx = await receiver('hold');
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.slow'] });
    const eventId = await emit(t, 'custom.slow', {});
    await eventually(() => rx.held() === 1, 'the request to arrive');
    // Answered well after the job's patience: the job has already handed the attempt over.
    await eventually(async () => {
      const rows = (await t.hub.context.db.execute(
        sql`select count(*)::int as n from pgboss.job where name = 'webhooks.deliver' and data->'payload'->>'deliveryId' in
              (select id::text from webhook_deliveries where event_id = ${eventId}::uuid) and state = 'created'`,
      )) as unknown as { rows: { n: number }[] };
      return rows.rows[0]!.n === 1;
    }, 'the stand-in job');
    rx.release();
    const event = await eventually(async () => {
      const e = await getEvent(t, eventId);
      return e.status === 'delivered' && e;
    }, 'the slow delivery recorded');
    expect(event.deliveryList[0].attempts).toHaveLength(1);
    expect(event.deliveryList[0].attempts[0]).toMatchObject({ status: 200, responseBody: 'released' });
  });

  it('spreads deliveries to a rate-limited endpoint', async () => {
    const rx = await receiver();
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.limited'], rateLimitPerSecond: 2 });
    for (let i = 0; i < 8; i++) await emit(t, 'custom.limited', { i });
    await eventually(() => rx.received.length === 8, 'all limited deliveries', 1200);
    const times = rx.received.map((r) => r.receivedAt).sort((a, b) => a - b);
    // An upper bound only (a slow machine may undershoot, never overshoot). The budget counts per clock second,
    // so any sliding second can see the end of one budget window and the start of the next: 2 × 2.
    for (let i = 0; i < times.length; i++) expect(times.filter((at) => at >= times[i]! && at < times[i]! + 1000).length).toBeLessThanOrEqual(4);
  });
});
