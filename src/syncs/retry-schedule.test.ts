// Sync retries on pg-boss's TestClock: a provider answering 503 fails two attempts, the retries come 1 and
// 2 minutes later (±10 % jitter) and the third attempt resumes from the checkpoint instead of page one; a
// provider that never recovers is retried after 1, 2, 4, 8 and 16 minutes, then dead-lettered with sync.dead,
// while another integration keeps syncing.
import { sql } from 'drizzle-orm';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../platform/db/database.ts';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { JITTER } from './failures.ts';
import { connectFixture, contact, eventsOf, fixtureConnector, getRun, startFixtureProvider, startRun, type FixtureProvider } from './test-support.ts';

describe.each(backends)('sync retries on a controllable clock on $name', (backend) => {
  let t: TestHub;
  let clock: TestClock;
  const providers: FixtureProvider[] = [];
  beforeAll(async () => {
    clock = new TestClock(Date.now());
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' }, extraConnectors: [fixtureConnector()], jobClock: clock });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    for (const provider of providers) await provider.close();
  });

  async function provider(contacts: number) {
    const started = await startFixtureProvider({ contacts });
    providers.push(started);
    return started;
  }

  async function activeJobs(): Promise<number> {
    const result = await t.hub.context.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'syncs.run' and state = 'active'`);
    return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
  }

  async function settle() {
    for (let i = 0; i < 600; i++) {
      if ((await activeJobs()) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('sync jobs kept running');
  }

  /** Moves the clock to each next queued sync job (past the 2 s poll) until `done` holds. */
  async function advanceUntil(done: () => Promise<boolean>, what: string, maxSteps = 200) {
    for (let step = 0; step < maxSteps; step++) {
      await clock.tick(1000);
      await settle();
      if (await done()) return;
      const result = await t.hub.context.db.execute(
        sql`select extract(epoch from min(start_after)) * 1000 as at from pgboss.job where name = 'syncs.run' and state in ('created', 'retry')`,
      );
      const next = Number(rowsOf<{ at: number | null }>(result)[0]?.at ?? 0);
      if (next > clock.now()) await clock.setTime(next + 2500);
      await clock.tick(10);
      await settle();
      if (await done()) return;
    }
    throw new Error(`The clock ran ${maxSteps} steps without ${what}`);
  }

  function expectGaps(errors: { at: string }[], finishedAt: string | null, minutes: number[]) {
    // Attempt n+1 starts after the wait planned for retry n; errors[i].at is when attempt i+1 failed.
    const failures = errors.map((error) => Date.parse(error.at));
    for (let i = 0; i < minutes.length; i++) {
      const end = i + 1 < failures.length ? failures[i + 1]! : Date.parse(finishedAt!);
      const gap = (end - failures[i]!) / 1000;
      const planned = minutes[i]! * 60;
      expect(gap, `wait before attempt ${i + 2}`).toBeGreaterThanOrEqual(planned * (1 - JITTER));
      // The clock is moved 2.5 s past the due time (the worker's poll), plus the attempt's own ticks.
      expect(gap, `wait before attempt ${i + 2}`).toBeLessThanOrEqual(planned * (1 + JITTER) + 10);
    }
  }

  it('retries a 503 after 1 and 2 minutes and resumes from the checkpoint, not from the first page', async () => {
    const crm = await provider(30);
    const id = await connectFixture(t, crm, t.auth, 'CRM flaky');
    // The third page answers 503 for 2.5 minutes: attempt 2 comes at most 1.1 min after attempt 1, attempt 3
    // at least 0.9 + 1.8 = 2.7 min after it, so exactly two attempts fail whatever the jitter.
    const downUntil = clock.now() + 150_000;
    crm.failWith = ({ path, query }) => (path === '/contacts' && query.cursor === '20' && clock.now() < downUntil ? { status: 503, body: { error: { message: 'maintenance' } } } : null);
    const run = await startRun(t, id, 'contacts');
    await advanceUntil(async () => (await getRun(t, run.id)).status === 'completed', 'the run completed');

    const done = await getRun(t, run.id);
    expect(done).toMatchObject({ status: 'completed', attempt: 3, counts: { added: 30, updated: 0, unchanged: 0, deleted: 0 } });
    expect(done.errors).toEqual([
      expect.objectContaining({ attempt: 1, status: 503, retryable: true, message: 'Fixture CRM answered 503: maintenance' }),
      expect.objectContaining({ attempt: 2, status: 503, retryable: true }),
    ]);
    // Attempt 2 began ~1 min after attempt 1 failed, attempt 3 ~2 min after attempt 2.
    expectGaps(done.errors, done.finishedAt, [1, 2]);
    const pageRequests = crm.requests.filter((request) => request.path === '/contacts').map((request) => request.query.cursor ?? 'first');
    // Page one and two were read once; the retries began at the checkpoint (cursor 20).
    expect(pageRequests.filter((cursor) => cursor === 'first')).toHaveLength(1);
    expect(pageRequests.filter((cursor) => cursor === '10')).toHaveLength(1);
    expect(pageRequests.filter((cursor) => cursor === '20')).toHaveLength(3);
    const okThird = crm.requests.filter((request) => request.query.cursor === '20' && request.status === 200);
    expect(okThird).toHaveLength(1);

    const failures = (await eventsOf(t, id)).filter((event) => event.type === 'sync.failed');
    expect(failures.map((event) => event.payload.willRetry)).toEqual([true, true]);
    const due = failures.map((event) => Date.parse(String(event.payload.nextAttemptAt)) - Date.parse(done.errors[failures.indexOf(event)].at));
    expect(due[0]).toBeGreaterThanOrEqual(60_000 * (1 - JITTER));
    expect(due[0]).toBeLessThanOrEqual(60_000 * (1 + JITTER));
    expect(due[1]).toBeGreaterThanOrEqual(120_000 * (1 - JITTER));
    expect(due[1]).toBeLessThanOrEqual(120_000 * (1 + JITTER));
    const records = (await t.inject({ method: 'GET', url: `/api/v1/integrations/${id}/records?model=Contact&limit=500`, headers: t.auth })).json();
    expect(records.items.map((r: { externalId: string }) => r.externalId)).toEqual(Array.from({ length: 30 }, (_, i) => contact(i).id));
    expect(records.stale).toBe(false);
  }, 180_000);

  it('dead-letters a run after retries at 1, 2, 4, 8 and 16 minutes, and other integrations keep syncing', async () => {
    const down = await provider(5);
    const healthy = await provider(5);
    const downId = await connectFixture(t, down, t.auth, 'CRM down');
    const healthyId = await connectFixture(t, healthy, t.auth, 'CRM healthy');
    down.failWith = ({ path }) => (path === '/contacts' ? { status: 502, body: { error: { message: 'bad gateway' } } } : null);
    const run = await startRun(t, downId, 'contacts');
    await advanceUntil(async () => (await getRun(t, run.id)).status === 'dead', 'the run dead-lettered');
    const dead = await getRun(t, run.id);
    expect(dead).toMatchObject({ status: 'dead', attempt: 6, maxAttempts: 6 });
    expect(dead.errors).toHaveLength(6);
    expect(dead.errors[0]).toMatchObject({ attempt: 1, status: 502, retryable: true, message: 'Fixture CRM answered 502: bad gateway' });
    // Later attempts may find the outbound client's breaker for this provider open: also retryable.
    for (const error of dead.errors) expect(error.message).toMatch(/^Fixture CRM (answered 502: bad gateway|could not be reached: circuit .* is open)/);
    expectGaps(dead.errors, null, [1, 2, 4, 8, 16]);

    const events = await eventsOf(t, downId);
    expect(events.filter((event) => event.type === 'sync.failed').map((event) => event.payload.willRetry)).toEqual([true, true, true, true, true, false]);
    expect(events.filter((event) => event.type === 'sync.dead')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ runId: run.id, attempts: 6 }) })]);
    const deadList = (await t.inject({ method: 'GET', url: '/api/v1/sync-runs?status=dead', headers: t.auth })).json();
    expect(deadList.items.map((item: { id: string }) => item.id)).toContain(run.id);

    // Meanwhile another integration syncs normally.
    const other = await startRun(t, healthyId, 'contacts');
    await advanceUntil(async () => (await getRun(t, other.id)).status === 'completed', 'the healthy run completed');

    // Retried from the dead-letter list once the provider is back (and its breaker, on real time, half-open).
    down.failWith = null;
    const breakerKey = `provider:fixture-crm:${new URL(down.url).host}`;
    for (let i = 0; i < 400 && t.hub.context.outbound.breakerState(breakerKey) === 'open'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const retried = await t.inject({ method: 'POST', url: `/api/v1/sync-runs/${run.id}/retry`, headers: t.auth });
    expect(retried.statusCode).toBe(202);
    await advanceUntil(async () => (await getRun(t, run.id)).status === 'completed', 'the retried run completed');
    expect(await getRun(t, run.id)).toMatchObject({ status: 'completed', attempt: 7, counts: { added: 5 } });
  }, 240_000);
});
