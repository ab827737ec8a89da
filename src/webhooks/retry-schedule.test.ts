// Retries over hours, on pg-boss's TestClock instead of waiting: a receiver that is down and comes back
// gets every event (same webhook-id on each attempt), attempts follow the schedule, Retry-After is honoured,
// endpoint.recovered follows a long outage (not a blip), and an endpoint failing for longer than the
// disable period is disabled, re-enabled and replayed.
import { sql } from 'drizzle-orm';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { DEFAULT_RETRY_SCHEDULE } from './delivery/schedule.ts';
import { createEndpoint, emit, eventually, getEvent, startReceiver, type Receiver } from './test-support.ts';

describe.each(backends)('retries on a controllable clock on $name', (backend) => {
  let t: TestHub;
  let clock: TestClock;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    clock = new TestClock(Date.now());
    t = await startTestHub(backend, {
      env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_WEBHOOK_DISABLE_AFTER_DAYS: '0.5' },
      jobClock: clock,
    });
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.stop();
  });

  async function count(query: ReturnType<typeof sql>): Promise<number> {
    const result = await t.hub.context.db.execute(query);
    return Number((result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  }

  /** Lets every started delivery finish: no delivery job is running. */
  async function settle() {
    await eventually(
      async () => (await count(sql`select count(*)::int as n from pgboss.job where name like 'webhooks.%' and state = 'active'`)) === 0,
      'running delivery jobs to finish',
    );
  }

  /** Moves the clock to the next scheduled delivery job (past the 2 s poll), until `done` holds. */
  async function advanceUntil(done: () => Promise<boolean>, what: string, maxSteps = 400) {
    for (let step = 0; step < maxSteps; step++) {
      await clock.tick(1000);
      await settle();
      if (await done()) return;
      const result = await t.hub.context.db.execute(
        sql`select extract(epoch from min(start_after)) * 1000 as at from pgboss.job where name like 'webhooks.%' and state in ('created', 'retry')`,
      );
      const next = Number((result as unknown as { rows: { at: number | null }[] }).rows[0]?.at ?? 0);
      // A jump, then a short tick that fires each pg-boss poll timer once: ticking through hours would run
      // every 2-second poll of every worker loop on the way.
      if (next > clock.now()) await clock.setTime(next + 2500);
      await clock.tick(10);
      await settle();
      if (await done()) return;
    }
    throw new Error(`The clock ran ${maxSteps} steps without ${what}`);
  }

  async function receiver() {
    const started = await startReceiver({ status: 503, body: 'down for maintenance' });
    receivers.push(started);
    return started;
  }

  it('delivers everything to a receiver that was down for 25 minutes, each attempt on schedule', async () => {
    const rx = await receiver();
    const endpoint = await createEndpoint(t, { url: rx.url, eventTypes: ['custom.down.*'] });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await emit(t, 'custom.down.test', { i }));
    // Attempt 3 comes at most 1.2 × 305 s after the first, attempt 4 at least 0.8 × 2105 s: down until 25 min
    // means exactly three failures, whatever the jitter.
    const downUntil = clock.now() + 25 * 60_000;
    rx.answer(() => (clock.now() < downUntil ? { status: 503, body: 'down' } : { status: 200, body: 'back' }));

    await advanceUntil(async () => {
      const events = await Promise.all(ids.map((id) => getEvent(t, id)));
      return events.every((event) => event.status === 'delivered');
    }, 'every event delivered');

    for (const id of ids) {
      const attempts = rx.received.filter((r) => r.headers['webhook-id'] === id);
      expect(attempts.length).toBeGreaterThan(0);
      // Every attempt of an event carried the same id and the same bytes.
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      const event = await getEvent(t, id);
      const delivery = event.deliveryList.find((d: { endpointId: string }) => d.endpointId === endpoint.id);
      expect(delivery.status).toBe('succeeded');
      const times = delivery.attempts.map((a: { startedAt: string }) => Date.parse(a.startedAt));
      // The attempts at 0, ~5 s and ~5 min fail; the one ~30 min later succeeds.
      expect(delivery.attempts.length).toBe(4);
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] - times[i - 1]) / 1000;
        const planned = DEFAULT_RETRY_SCHEDULE[i - 1]!;
        expect(gap).toBeGreaterThanOrEqual(planned * 0.8);
        expect(gap).toBeLessThanOrEqual(planned * 1.2 + 6);
      }
      expect(delivery.attempts.at(-1)).toMatchObject({ status: 200, responseBody: 'back' });
    }
  }, 120_000);

  it('emits endpoint.recovered on the first success after ten minutes of failures, and not after a short blip', async () => {
    const longOutage = await receiver();
    const blip = await receiver();
    const long = await createEndpoint(t, { url: longOutage.url, eventTypes: ['custom.recovery'] });
    const short = await createEndpoint(t, { url: blip.url, eventTypes: ['custom.recovery'] });
    const id = await emit(t, 'custom.recovery', {});
    // The first attempts fail at both; the blip is over by the ~5 s retry, the outage by the ~30 min one.
    const downUntil = clock.now() + 25 * 60_000;
    longOutage.answer(() => (clock.now() < downUntil ? { status: 503 } : { status: 200 }));
    blip.answer((_d, index) => (index === 0 ? { status: 503 } : { status: 200 }));
    await advanceUntil(async () => (await getEvent(t, id)).status === 'delivered', 'both deliveries');
    const recovered = await eventually(async () => {
      const { items } = (await t.inject({ method: 'GET', url: '/api/v1/events?type=endpoint.recovered&limit=100', headers: t.auth })).json();
      // Only these two endpoints: the outage of the first test recovered its endpoint too.
      const ours = (items as { payload: { endpointId: string; failingSince: string } }[]).filter((e) => [long.id, short.id].includes(e.payload.endpointId));
      return ours.length > 0 && ours;
    }, 'an endpoint.recovered event');
    expect(recovered.map((e) => e.payload.endpointId)).toEqual([long.id]);
    expect(recovered[0]!.payload.failingSince).toEqual(expect.any(String));
  }, 120_000);

  it('waits what Retry-After asks on a 429, and at least a minute after a 429 without it', async () => {
    const rx = await receiver();
    rx.answer((_delivery, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '600' } } : index === 1 ? { status: 429 } : { status: 200 },
    );
    await createEndpoint(t, { url: rx.url, eventTypes: ['custom.throttled'] });
    const id = await emit(t, 'custom.throttled', {});
    await advanceUntil(async () => (await getEvent(t, id)).status === 'delivered', 'the throttled event delivered');
    const [first, second, third] = (await getEvent(t, id)).deliveryList[0].attempts.map((a: { startedAt: string }) => Date.parse(a.startedAt));
    expect(second - first).toBeGreaterThanOrEqual(600_000);
    expect(third - second).toBeGreaterThanOrEqual(60_000);
  }, 120_000);

  it('disables an endpoint after the disable period of failures, and replays what failed once re-enabled', async () => {
    const rx = await receiver();
    const endpoint = await createEndpoint(t, { url: rx.url, eventTypes: ['custom.gone-quiet', 'endpoint.*'] });
    const watcherRx = await startReceiver();
    receivers.push(watcherRx);
    await createEndpoint(t, { url: watcherRx.url, eventTypes: ['endpoint.disabled'] });
    const id = await emit(t, 'custom.gone-quiet', {});
    const state = async () => (await t.inject({ method: 'GET', url: `/api/v1/webhooks/endpoints/${endpoint.id}`, headers: t.auth })).json();
    await advanceUntil(async () => (await state()).state === 'disabled', 'the endpoint disabled');
    const disabled = await state();
    expect(disabled.disabledReason).toMatch(/Every delivery failed for 0.5 days/);
    await advanceUntil(async () => (await getEvent(t, id)).status === 'failed', 'the delivery given up');
    const notice = await eventually(() => watcherRx.received.find((r) => JSON.parse(r.body).type === 'endpoint.disabled'), 'endpoint.disabled delivered');
    expect(JSON.parse(notice.body).data).toMatchObject({ endpointId: endpoint.id });

    rx.answer({ status: 200, body: 'fixed' });
    const resumed = await t.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${endpoint.id}/resume`, headers: t.auth });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().endpoint.state).toBe('enabled');
    const { replayable } = resumed.json();
    expect(replayable.count).toBeGreaterThanOrEqual(1);
    const replay = await t.inject({
      method: 'POST',
      url: `/api/v1/webhooks/endpoints/${endpoint.id}/replay`,
      headers: t.auth,
      payload: { since: replayable.since },
    });
    expect(replay.statusCode).toBe(202);
    expect(replay.json().queued).toBe(replayable.count);
    await advanceUntil(async () => (await getEvent(t, id)).status === 'delivered', 'the replayed delivery');
    const attempts = (await getEvent(t, id)).deliveryList[0].attempts;
    expect(attempts.at(-1)).toMatchObject({ trigger: 'replay', status: 200 });
  }, 120_000);
});
