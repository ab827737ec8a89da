import { setTimeout as sleep } from 'node:timers/promises';
import { TestClock } from 'pg-boss';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backends, pgliteBackend, postgresBackend, type TestDatabase } from '../../../test/support/databases.ts';
import { workspaces } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { defineJob, type JobDefinition } from './define.ts';
import { JobEngine } from './engine.ts';

const silent = pino({ level: 'silent' });
const disposables: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposables.splice(0).reverse()) await dispose().catch(() => {});
});

async function database(backend = pgliteBackend): Promise<TestDatabase> {
  const db = await backend.create();
  disposables.push(() => db.dispose());
  return db;
}

function engineOn(db: TestDatabase, definitions: JobDefinition<any>[], concurrency = 2, clock?: TestClock): JobEngine {
  const engine = new JobEngine({ database: db.handle, definitions, logger: silent, defaultConcurrency: concurrency, maintenance: true, ...(clock ? { clock } : {}) });
  disposables.push(() => engine.stop(1000));
  return engine;
}

async function until(condition: () => Promise<boolean> | boolean, what: string, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('job engine lifecycle', () => {
  it('queues the very first job of a fresh PGlite engine from inside a transaction without hanging', async () => {
    const db = await database();
    const noop = defineJob({ name: 'test.first', payload: z.object({}), handler: async () => ({ done: true }) });
    const engine = engineOn(db, [noop]);
    await engine.start();
    const workspaceId = newId();
    // Without the queue warm-up in start(), pg-boss would look the queue up through PGlite's only
    // connection, which this transaction holds: the send would wait forever.
    const sent = db.handle.db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ id: workspaceId, slug: `first-${workspaceId}`, name: 'first' });
      return engine.send(noop, {}, { workspaceId, tx });
    });
    const outcome = await Promise.race([sent, sleep(10_000).then(() => 'hung')]);
    expect(outcome).not.toBe('hung');
  });

  it('on stop, lets an in-flight job finish within the shutdown timeout', async () => {
    const db = await database();
    let finished = false;
    const job = defineJob({
      name: 'test.finishing',
      payload: z.object({}),
      async handler() {
        await sleep(1500);
        finished = true;
      },
    });
    const engine = engineOn(db, [job]);
    await engine.start();
    await engine.work();
    const id = await engine.send(job, {}, { workspaceId: null });
    await until(async () => (await rawState(db, id)) === 'active', 'job to start');
    await engine.stop(10_000);
    expect(finished).toBe(true);
    expect(await rawState(db, id)).toBe('completed');
  });

  it('on stop, releases a job that outlives the timeout so another worker runs it again', async () => {
    const db = await database();
    const runs: string[] = [];
    const job = defineJob({
      name: 'test.outliving',
      payload: z.object({}),
      retry: { limit: 3, delaySeconds: 0, backoff: false },
      async handler(_payload, ctx) {
        runs.push(`attempt ${ctx.attempt}`);
        if (ctx.attempt === 0) await sleep(60_000, undefined, { signal: ctx.signal }).catch(() => {});
      },
    });
    const first = engineOn(db, [job]);
    await first.start();
    await first.work();
    const id = await first.send(job, {}, { workspaceId: null });
    await until(() => runs.length === 1, 'first attempt');
    await first.stop(1000);
    expect(await rawState(db, id)).toBe('retry');
    // PGlite serves one process; a second engine on the same handle stands in for the next worker.
    const second = engineOn(db, [job]);
    await second.start();
    await second.work();
    await until(async () => (await rawState(db, id)) === 'completed', 'second attempt to complete');
    expect(runs).toEqual(['attempt 0', 'attempt 1']);
  });
});

describe.each(backends)('a worker that dies mid-job, on $name', (backend) => {
  // The heartbeat lapses after 10 s; the supervisor checks every 5 s on PostgreSQL, every 60 s on PGlite.
  const failedWithin = backend.name === 'postgres' ? 15_000 : 70_000;
  it(`has its job failed by the supervisor within ${failedWithin / 1000} s of its last heartbeat and run again by another worker`, async () => {
    // Logical time (pg-boss's TestClock, which the database's job_now() follows): no waiting, no timing thresholds.
    const clock = new TestClock(Date.now());
    const db = await database(backend);
    const runs: number[] = [];
    const job = defineJob({
      name: 'test.orphaned',
      payload: z.object({}),
      retry: { limit: 2, delaySeconds: 100, backoff: false },
      async handler(_payload, ctx) {
        runs.push(ctx.attempt);
      },
    });
    const engine = engineOn(db, [job], 2, clock);
    await engine.start();
    const id = await engine.send(job, {}, { workspaceId: null });
    // A claim nobody works on or heartbeats: what a worker killed right after fetching leaves behind.
    const [claimed] = await engine.boss.fetch('test.orphaned');
    expect(claimed?.id).toBe(id);
    expect(await rawState(db, id)).toBe('active');
    await engine.work();

    // Within the heartbeat (10 s) nothing happens to it.
    await clock.tick(9_000);
    expect(await rawState(db, id)).toBe('active');
    // The heartbeat lapses at 10 s; the next supervise pass fails it.
    await clock.tick(failedWithin - 9_000 + 500);
    expect(await rawState(db, id)).toBe('retry');
    expect(await rawOutput(db, id)).toMatchObject({ value: { message: 'job heartbeat timeout' } });
    expect(runs).toEqual([]);
    // Its retry delay (100 s here) later, a live worker runs it.
    for (let i = 0; i < 30 && runs.length === 0; i++) {
      await clock.tick(5_000);
      await sleep(20);
    }
    await until(async () => (await rawState(db, id)) === 'completed', 'the orphaned job to run again');
    expect(runs).toHaveLength(1);
  }, 60_000);
});

describe.skipIf(!backends.some((b) => b.name === 'postgres'))('several workers on one PostgreSQL', () => {
  it('runs every job exactly once across competing workers', async () => {
    const db = await database(postgresBackend);
    const runs = new Map<string, number>();
    const byWorker = [0, 0, 0];
    const makeJob = (worker: number) =>
      defineJob({
        name: 'test.count',
        payload: z.object({ n: z.number() }),
        async handler(_payload, ctx) {
          runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1);
          byWorker[worker]!++;
          await sleep(2);
        },
      });
    // Each engine has its own pg-boss and connection pool, as separate processes would.
    const engines = [0, 1, 2].map((worker) => {
      const handle = { ...db.handle };
      return engineOn({ ...db, handle }, [makeJob(worker)], 4);
    });
    for (const engine of engines) await engine.start();
    const sender = engines[0]!;
    const ids: string[] = [];
    const definition = sender.definition('test.count') as JobDefinition<{ n: number }>;
    for (let n = 0; n < 300; n++) ids.push(await sender.send(definition, { n }, { workspaceId: null }));
    for (const engine of engines) await engine.work();
    await until(() => runs.size === ids.length, 'all jobs to run', 600);
    await sleep(500);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(byWorker.filter((count) => count > 0).length).toBeGreaterThan(1);
  });
});

async function rawOutput(db: TestDatabase, id: string): Promise<unknown> {
  const result = await db.handle.db.execute(`select output from pgboss.job where id = '${id}'` as never);
  return (result as unknown as { rows: { output: unknown }[] }).rows[0]?.output;
}

async function rawState(db: TestDatabase, id: string): Promise<string | undefined> {
  const result = await db.handle.db.execute(`select state from pgboss.job where id = '${id}'` as never);
  return (result as unknown as { rows: { state: string }[] }).rows[0]?.state;
}
