// Planner statistics for pg-boss's tables, on each backend: missing statistics make pg-boss's per-job
// completion scan the whole queue; refreshJobStatistics analyzes when the tables grew, not when they did
// not, and a maintenance engine does it at start.
import { sql } from 'drizzle-orm';
import { completeJobsWithOutputs } from 'pg-boss/dist/plans.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import { rowsOf } from '../db/database.ts';
import { defineJob } from './define.ts';
import { JobEngine } from './engine.ts';
import { isStale, refreshJobStatistics } from './statistics.ts';

const silent = pino({ level: 'silent' });
const QUEUE = 'test.statistics';
const job = defineJob({ name: QUEUE, payload: z.object({ i: z.number() }), handler: async () => null });

describe('isStale', () => {
  it('wants statistics for a table never analyzed once it has pages, and after it grew or shrank', () => {
    expect(isStale({ reltuples: -1, relpages: 0, pages: 0 })).toBe(false);
    expect(isStale({ reltuples: -1, relpages: 0, pages: 1 })).toBe(true);
    expect(isStale({ reltuples: 0, relpages: 0, pages: 10 })).toBe(false);
    expect(isStale({ reltuples: 0, relpages: 0, pages: 40 })).toBe(true);
    expect(isStale({ reltuples: 5000, relpages: 1000, pages: 1200 })).toBe(false);
    expect(isStale({ reltuples: 5000, relpages: 1000, pages: 1300 })).toBe(true);
    expect(isStale({ reltuples: 5000, relpages: 1000, pages: 600 })).toBe(false);
    expect(isStale({ reltuples: 5000, relpages: 1000, pages: 400 })).toBe(true);
  });
});

describe.each(backends)('job table statistics on $name', (backend) => {
  const disposables: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposables.splice(0).reverse()) await dispose().catch(() => {});
  });

  async function engineOn(db: TestDatabase, maintenance: boolean): Promise<JobEngine> {
    const engine = new JobEngine({ database: db.handle, definitions: [job], logger: silent, defaultConcurrency: 1, maintenance });
    disposables.push(() => engine.stop(1000));
    await engine.start();
    return engine;
  }

  /** 20,000 finished jobs and 100 queued ones, as days of retained history would leave. */
  async function fill(db: TestDatabase, engine: JobEngine): Promise<void> {
    for (let start = 0; start < 20_100; start += 1000) {
      await engine.boss.insert(QUEUE, Array.from({ length: 1000 }, (_, i) => ({ data: { workspaceId: null, payload: { i: start + i } } })));
    }
    await db.handle.db.execute(sql`update pgboss.job set state = 'completed', completed_on = now() where name = ${QUEUE} and (data->'payload'->>'i')::int < 20000`);
  }

  /** The plan of pg-boss's own per-job completion statement for two of the queued jobs. */
  async function completionPlan(db: TestDatabase): Promise<string> {
    const ids = rowsOf<{ id: string }>(await db.handle.db.execute(sql`select id from pgboss.job where name = ${QUEUE} and state = 'created' limit 2`));
    const input = JSON.stringify(ids.map((row) => ({ id: row.id, retry_count: 0, output: null })));
    const statement = completeJobsWithOutputs('pgboss', 'job_common');
    const result =
      db.handle.kind === 'pglite'
        ? await db.handle.pglite.query(`explain ${statement}`, [QUEUE, input])
        : await db.handle.pool.query(`explain ${statement}`, [QUEUE, input]);
    return (result.rows as Record<string, string>[]).map((row) => row['QUERY PLAN']).join('\n');
  }

  it('analyzes the job table once it has grown, after which pg-boss completes jobs by id instead of scanning the queue', async () => {
    const db = await backend.create();
    disposables.push(() => db.dispose());
    const engine = await engineOn(db, false);
    await fill(db, engine);

    // The premise: without statistics the completion walks every job of the queue.
    expect(await completionPlan(db)).toMatch(/Bitmap Heap Scan on job_common|Seq Scan on job_common/);

    const refreshed = await refreshJobStatistics(db.handle.db);
    expect(refreshed.analyzed).toContain('pgboss.job');
    const plan = await completionPlan(db);
    expect(plan).toMatch(/Index Scan using \w+ on job_common/);
    expect(plan).not.toMatch(/Bitmap Heap Scan on job_common|Seq Scan on job_common/);

    const [stats] = rowsOf<{ reltuples: number }>(await db.handle.db.execute(sql`select reltuples from pg_class where oid = 'pgboss.job_common'::regclass`));
    expect(Number(stats!.reltuples)).toBeGreaterThan(10_000);
    // Nothing changed since: the next check analyzes nothing.
    expect((await refreshJobStatistics(db.handle.db)).analyzed).toEqual([]);
    // Forced (the hourly housekeeping job), it analyzes anyway.
    expect((await refreshJobStatistics(db.handle.db, { force: true })).analyzed).toContain('pgboss.job');
  }, 120_000);

  it('has a maintenance engine analyze jobs kept from an earlier run when it starts', async () => {
    const db = await backend.create();
    disposables.push(() => db.dispose());
    const first = await engineOn(db, false);
    await fill(db, first);
    await first.stop(1000);

    await engineOn(db, true);
    const plan = await completionPlan(db);
    expect(plan).toMatch(/Index Scan using \w+ on job_common/);
    expect(plan).not.toMatch(/Bitmap Heap Scan on job_common|Seq Scan on job_common/);
  }, 120_000);
});
