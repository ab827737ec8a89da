// Fault test on PostgreSQL with real processes: the worker is killed with SIGKILL while deliveries are in
// flight, events keep being accepted while no worker runs, and after a restart every accepted event is
// delivered, any duplicate carrying the same webhook-id and the same bytes.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, TEST_MASTER_KEY } from '../../test/support/databases.ts';
import { runCli, startHubProcess, type HubProcess } from '../../test/support/hub-process.ts';
import { eventually, startReceiver, type Receiver } from './test-support.ts';

const KEY = 'sb_webhook_crash_test_key_0123456789';

describe.skipIf(!process.env.TEST_DATABASE_URL)('webhook delivery when a worker is killed (PostgreSQL, api + worker processes)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('delivers every accepted event after a SIGKILL mid-delivery and a restart', async () => {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY,
      SWITCHBOARD_BOOTSTRAP_API_KEY: KEY,
      SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const api = await startHubProcess({ command: 'api', env });
    cleanups.push(() => api.stop());
    let worker: HubProcess = await startHubProcess({ command: 'worker', env });
    cleanups.push(() => worker.stop());

    // Slow answers keep many deliveries in flight, so the kill lands in the middle of some.
    const receiver: Receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.answer('hold');
    const releaser = setInterval(() => receiver.release(), 200);
    cleanups.push(async () => clearInterval(releaser));

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as any;
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    await call('POST', '/webhooks/endpoints', { url: `${receiver.url}/crash`, eventTypes: ['custom.crash.*'] });

    const accepted: string[] = [];
    for (let i = 0; i < 60; i++) accepted.push((await call('POST', '/events', { type: 'custom.crash.before', payload: { i } })).id);
    await eventually(() => receiver.held() > 0 && receiver.received.length >= 10, 'deliveries in flight');
    const inFlightAtKill = receiver.held();
    await worker.kill('SIGKILL');
    expect(inFlightAtKill).toBeGreaterThan(0);

    // Accepted while no worker runs: they wait in the job table.
    for (let i = 0; i < 20; i++) accepted.push((await call('POST', '/events', { type: 'custom.crash.during', payload: { i } })).id);
    await sleep(200);

    worker = await startHubProcess({ command: 'worker', env });
    const distinct = () => new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    await eventually(() => accepted.every((id) => distinct().has(id)), 'every accepted event at the receiver', 1800);

    // Nothing but accepted events arrived, and each id always came with the same body.
    expect([...distinct()].sort()).toEqual([...accepted].sort());
    const bodies = new Map<string, Set<string>>();
    for (const request of receiver.received) {
      const id = String(request.headers['webhook-id']);
      bodies.set(id, (bodies.get(id) ?? new Set()).add(request.body));
    }
    for (const [id, set] of bodies) {
      expect(set.size, id).toBe(1);
      expect(JSON.parse([...set][0]!).id).toBe(id);
    }
    const stats = await eventually(async () => {
      const listed = await call('GET', '/events?type=custom.crash.*&limit=200');
      return listed.items.every((event: { status: string }) => event.status === 'delivered') && listed;
      // The killed worker's last attempts reached the receiver but were not recorded: their jobs run again
      // once pg-boss's supervisor sees the heartbeat lapse (10 s, checked every 5 s), after their retry delay.
    }, 'every event recorded as delivered', 2400);
    expect(stats.items).toHaveLength(accepted.length);
  }, 180_000);
});
