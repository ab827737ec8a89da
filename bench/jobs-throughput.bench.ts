// Jobs drained per second through our job layer (JobEngine) against bare pg-boss, on PGlite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PgBoss, fromPglite, type WorkOptions } from 'pg-boss';
import pino from 'pino';
import { z } from 'zod';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { defineJob, type JobDefinition } from '../src/platform/jobs/define.ts';
import { JobEngine, type SendOptions } from '../src/platform/jobs/engine.ts';
import { compare, createPostgresDatabase, row, type BenchContext, type BenchResult, type Benchmark, type ResultRow } from './harness.ts';

const QUEUE = 'bench.noop';
const INSERT_CHUNK = 1000;
// The worker settings the brief fixes for bare pg-boss (the ones DESIGN.md recommends).
const BARE_WORK_OPTIONS: WorkOptions = { batchSize: 50, localConcurrency: 4, pollingIntervalSeconds: 0.5 };
// The same worker, told to fetch again at once while batches come back full: without it the settings above
// cap a drain at localConcurrency × batchSize / pollingInterval = 400 jobs/s whatever the database can do,
// so this second reference shows what the database itself sustains.
const BURST_WORK_OPTIONS: WorkOptions = { ...BARE_WORK_OPTIONS, burstWhenBatchFull: true };
// SWITCHBOARD_WORKER_CONCURRENCY's default, so the engine runs as a fresh install would.
const ENGINE_CONCURRENCY = 4;
// A drain slower than this is stopped and reported as completed/elapsed, so a slow subject cannot
// hold the whole run for an hour; the rate then describes the steady state it had reached.
const MAX_DRAIN_SECONDS = Number(process.env.BENCH_JOBS_MAX_SECONDS ?? 30);
const COUNT_INTERVAL_MS = 50;

export type BackendName = 'pglite' | 'postgres';

export interface BackendPlan {
  name: BackendName;
  /** Jobs drained per round. */
  jobs: number;
  /** How many of them are queued one `send` at a time (timed separately), the rest with `insert`. */
  sends: number;
  /**
   * Finished jobs already in the queue before the round (pg-boss keeps them deleteAfterSeconds; the engine
   * keeps them retentionDays), so a completion statement that scans the queue shows its real cost.
   */
  history: number;
  /** Which subjects this plan measures. */
  subjects: readonly SubjectKey[];
}

export interface TrialResult {
  sendPerSecond: number;
  insertPerSecond: number;
  drainPerSecond: number;
  drained: number;
  drainSeconds: number;
  capped: boolean;
}

/** What the "ours" trial needs from an engine, so a prototype copy of JobEngine can be measured the same way. */
export interface EngineLike {
  readonly boss: PgBoss;
  start(): Promise<void>;
  work(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
  send<Payload>(definition: JobDefinition<Payload>, payload: Payload, options: SendOptions): Promise<string>;
}

export type EngineFactory = (database: DatabaseHandle, definitions: JobDefinition<{ i: number }>[]) => EngineLike;

interface Fixture {
  boss: PgBoss;
  /** Stops the workers, so the last completed count and the teardown do not race them. */
  stopWorkers(): Promise<void>;
  execute(text: string, params: unknown[]): Promise<void>;
  countCompleted(): Promise<number>;
  dispose(): Promise<void>;
}

const noop = defineJob({
  name: QUEUE,
  payload: z.object({ i: z.number().int() }),
  // Fails fast and never retries: a no-op job that fails means the benchmark is broken.
  retry: { limit: 0 },
  async handler() {
    return null;
  },
});

const COUNT_SQL = `select count(*)::int as n from pgboss.job where name = $1 and state = 'completed'`;

async function countWithPglite(pglite: PGlite): Promise<number> {
  const result = await pglite.query<{ n: number }>(COUNT_SQL, [QUEUE]);
  return result.rows[0]?.n ?? 0;
}

// Counting runs on its own connection so it never queues behind the worker pool it is watching.
async function postgresCounter(
  url: string,
): Promise<{ count(): Promise<number>; execute(text: string, params: unknown[]): Promise<void>; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  return {
    async count() {
      const result = await client.query<{ n: number }>(COUNT_SQL, [QUEUE]);
      return result.rows[0]?.n ?? 0;
    },
    execute: async (text, params) => void (await client.query(text, params)),
    close: () => client.end(),
  };
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-jobs-'));
}

async function bareFixture(backend: BackendName, serverUrl: string | null): Promise<Fixture> {
  if (backend === 'pglite') {
    const dir = tempDir();
    // A data directory on disk, as openDatabase uses, so both subjects pay the same storage cost.
    const pglite = await PGlite.create({ dataDir: path.join(dir, 'pglite') });
    const boss = new PgBoss({ db: fromPglite(pglite), backend: 'pglite' });
    const errors = reportErrors(boss, 'bare pg-boss');
    await boss.start();
    await boss.createQueue(QUEUE);
    return {
      boss,
      async stopWorkers() {
        errors.quiet = true;
        await boss.offWork(QUEUE, { wait: true }).catch(() => {});
      },
      countCompleted: () => countWithPglite(pglite),
      execute: async (text, params) => void (await pglite.query(text, params)),
      async dispose() {
        await boss.stop({ graceful: false, close: true }).catch(() => {});
        await pglite.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createPostgresDatabase(serverUrl!, 'sb_bench_jobs');
  // The engine's pool size, so the two differ only in what the layer does.
  const boss = new PgBoss({ connectionString: database.url, max: 10 });
  const errors = reportErrors(boss, 'bare pg-boss');
  await boss.start();
  await boss.createQueue(QUEUE);
  const counter = await postgresCounter(database.url);
  return {
    boss,
    async stopWorkers() {
      errors.quiet = true;
      await boss.offWork(QUEUE, { wait: true }).catch(() => {});
    },
    countCompleted: () => counter.count(),
    execute: (text, params) => counter.execute(text, params),
    async dispose() {
      await boss.stop({ graceful: false, close: true }).catch(() => {});
      await counter.close().catch(() => {});
      await database.drop();
    },
  };
}

export const defaultEngineFactory: EngineFactory = (database, definitions) =>
  new JobEngine({
    database,
    definitions,
    logger: pino({ level: 'silent' }),
    defaultConcurrency: ENGINE_CONCURRENCY,
    maintenance: true,
  });

async function oursFixture(
  backend: BackendName,
  serverUrl: string | null,
  factory: EngineFactory,
): Promise<Fixture & { engine: EngineLike }> {
  const dir = tempDir();
  const database = backend === 'postgres' ? await createPostgresDatabase(serverUrl!, 'sb_bench_jobs') : null;
  const handle = await openDatabase({ dataDir: dir, ...(database ? { databaseUrl: database.url } : {}) });
  await migrateDatabase(handle);
  const engine = factory(handle, [noop]);
  const errors = reportErrors(engine.boss, 'JobEngine');
  await engine.start();
  const counter = handle.kind === 'postgres' ? await postgresCounter(handle.connectionString) : null;
  return {
    engine,
    boss: engine.boss,
    async stopWorkers() {
      errors.quiet = true;
      await engine.stop(2000).catch(() => {});
    },
    countCompleted: () => (handle.kind === 'pglite' ? countWithPglite(handle.pglite) : counter!.count()),
    execute: async (text, params) => void (handle.kind === 'pglite' ? await handle.pglite.query(text, params) : await handle.pool.query(text, params)),
    async dispose() {
      await engine.stop(2000).catch(() => {});
      await counter?.close().catch(() => {});
      await handle.close().catch(() => {});
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prints pg-boss errors while measuring; a worker torn down mid-batch after a capped drain is expected to complain. */
function reportErrors(boss: PgBoss, who: string): { quiet: boolean } {
  const state = { quiet: false };
  boss.on('error', (error) => {
    if (!state.quiet) console.error(`${who} error:`, error.message);
  });
  return state;
}

async function insertInChunks(boss: PgBoss, from: number, to: number, data: (i: number) => object): Promise<void> {
  for (let start = from; start < to; start += INSERT_CHUNK) {
    const end = Math.min(to, start + INSERT_CHUNK);
    const jobs = [];
    for (let i = start; i < end; i++) jobs.push({ data: data(i) });
    await boss.insert(QUEUE, jobs);
  }
}

/** Fills the queue with finished jobs, as weeks of retained history would. */
async function addHistory(fixture: Fixture, plan: BackendPlan, data: (i: number) => object): Promise<void> {
  if (plan.history === 0) return;
  await insertInChunks(fixture.boss, 0, plan.history, data);
  await fixture.execute(`update pgboss.job set state = 'completed', completed_on = now() where name = $1`, [QUEUE]);
}

/** Waits until `target` more jobs are completed or the cap passes; returns how many were and when. */
async function drain(fixture: Fixture, plan: BackendPlan, startWorkers: () => Promise<unknown>) {
  const target = plan.jobs;
  const started = performance.now();
  await startWorkers();
  const deadline = started + MAX_DRAIN_SECONDS * 1000;
  let completed: number;
  for (;;) {
    completed = (await fixture.countCompleted()) - plan.history;
    if (completed >= target || performance.now() >= deadline) break;
    await sleep(COUNT_INTERVAL_MS);
  }
  const seconds = (performance.now() - started) / 1000;
  await fixture.stopWorkers();
  return { drained: completed, drainSeconds: seconds, drainPerSecond: completed / seconds, capped: completed < target };
}

function perSecond(count: number, seconds: number): number {
  return count === 0 ? 0 : count / seconds;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

export async function bareTrial(plan: BackendPlan, serverUrl: string | null, workOptions: WorkOptions = BARE_WORK_OPTIONS): Promise<TrialResult> {
  const fixture = await bareFixture(plan.name, serverUrl);
  try {
    await addHistory(fixture, plan, (i) => ({ i }));
    const sendSeconds = await timed(async () => {
      for (let i = 0; i < plan.sends; i++) await fixture.boss.send(QUEUE, { i });
    });
    const insertSeconds = await timed(() => insertInChunks(fixture.boss, plan.sends, plan.jobs, (i) => ({ i })));
    const result = await drain(fixture, plan, () => fixture.boss.work(QUEUE, workOptions, async () => {}));
    return { sendPerSecond: perSecond(plan.sends, sendSeconds), insertPerSecond: perSecond(plan.jobs - plan.sends, insertSeconds), ...result };
  } finally {
    await fixture.dispose();
  }
}

export async function oursTrial(plan: BackendPlan, serverUrl: string | null, factory: EngineFactory = defaultEngineFactory): Promise<TrialResult> {
  const fixture = await oursFixture(plan.name, serverUrl, factory);
  try {
    await addHistory(fixture, plan, (i) => ({ workspaceId: null, payload: { i } }));
    const sendSeconds = await timed(async () => {
      for (let i = 0; i < plan.sends; i++) await fixture.engine.send(noop, { i }, { workspaceId: null });
    });
    // The shape JobEngine.send stores, written in bulk: the engine has no bulk send of its own.
    const insertSeconds = await timed(() =>
      insertInChunks(fixture.boss, plan.sends, plan.jobs, (i) => ({ workspaceId: null, payload: { i } })),
    );
    const result = await drain(fixture, plan, () => fixture.engine.work());
    return { sendPerSecond: perSecond(plan.sends, sendSeconds), insertPerSecond: perSecond(plan.jobs - plan.sends, insertSeconds), ...result };
  } finally {
    await fixture.dispose();
  }
}

// Bare pg-boss fetching as JobEngine does (see engine.ts work()), so the ratio against it is the cost of
// the layer itself (payload parsing, per-job signals and timeouts, per-job settlement, heartbeats, NOTIFY)
// rather than of its choice of batch size.
const ENGINE_LIKE_WORK_OPTIONS: WorkOptions = {
  batchSize: noop.batchSize,
  localConcurrency: ENGINE_CONCURRENCY,
  burstWhenBatchFull: true,
  pollingIntervalSeconds: 2,
};

type SubjectKey = 'bare' | 'burst' | 'same' | 'ours';
const SUBJECTS: readonly SubjectKey[] = ['bare', 'burst', 'same', 'ours'];
const SUBJECT_LABELS: Record<SubjectKey, string> = {
  bare: 'bare pg-boss',
  burst: 'bare pg-boss + burstWhenBatchFull',
  same: "bare pg-boss, JobEngine's fetch settings",
  ours: 'JobEngine',
};
const BARE_OPTIONS: Record<Exclude<SubjectKey, 'ours'>, WorkOptions> = {
  bare: BARE_WORK_OPTIONS,
  burst: BURST_WORK_OPTIONS,
  same: ENGINE_LIKE_WORK_OPTIONS,
};

// The history plans compare only the subjects with equal fetch settings: what differs is how they settle.
const HISTORY_JOBS = 50_000;

function plansFor(ctx: BenchContext): BackendPlan[] {
  const plans: BackendPlan[] = [
    { name: 'pglite', jobs: 5000, sends: 500, history: 0, subjects: SUBJECTS },
    { name: 'pglite', jobs: 5000, sends: 0, history: HISTORY_JOBS, subjects: ['same', 'ours'] },
  ];
  if (ctx.postgresUrl) {
    plans.push(
      { name: 'postgres', jobs: 10_000, sends: 1000, history: 0, subjects: SUBJECTS },
      { name: 'postgres', jobs: 10_000, sends: 0, history: HISTORY_JOBS, subjects: ['same', 'ours'] },
    );
  }
  return plans;
}

function describeTrial(label: string, trial: TrialResult): string {
  const capped = trial.capped ? ` (capped at ${MAX_DRAIN_SECONDS} s)` : '';
  return (
    `${label}: drained ${trial.drained} in ${trial.drainSeconds.toFixed(2)} s = ${Math.round(trial.drainPerSecond)}/s${capped}; ` +
    `send ${Math.round(trial.sendPerSecond)}/s, insert ${Math.round(trial.insertPerSecond)}/s`
  );
}

const benchmark: Benchmark = {
  name: 'jobs-throughput',
  description: 'no-op jobs drained per second: JobEngine vs bare pg-boss (batchSize 50, localConcurrency 4), PGlite and PostgreSQL',
  async run(ctx): Promise<BenchResult> {
    const rows: ResultRow[] = [];
    const notes: string[] = [
      `bare pg-boss works with ${JSON.stringify(BARE_WORK_OPTIONS)}, the second reference adds burstWhenBatchFull: true, the third fetches as the engine does (${JSON.stringify(ENGINE_LIKE_WORK_OPTIONS)}); the engine with its own worker settings: localConcurrency ${ENGINE_CONCURRENCY} (SWITCHBOARD_WORKER_CONCURRENCY's default) × the definition's batchSize ${noop.batchSize} (defineJob's default), bursting while batches come back full.`,
      'jobs are queued, then workers start; drain = time from work() to the last job counted completed in SQL (polled every 50 ms).',
      'ours: the first jobs are queued with engine.send one at a time (timed as "send"), the rest with engine.boss.insert in chunks of 1000 carrying { workspaceId, payload }, the shape engine.send stores.',
      `a drain still running after ${MAX_DRAIN_SECONDS} s (BENCH_JOBS_MAX_SECONDS) is stopped; its rate is completed/elapsed.`,
      `"finished jobs kept" rounds first insert ${HISTORY_JOBS.toLocaleString('en-US')} jobs and mark them completed in SQL (retained history, as retentionDays keeps it), then queue and drain as above.`,
    ];
    for (const plan of plansFor(ctx)) {
      const trials: Record<SubjectKey, TrialResult[]> = { bare: [], burst: [], same: [], ours: [] };
      const where = plan.history > 0 ? `${plan.name}, ${plan.history.toLocaleString('en-US')} finished jobs kept` : plan.name;
      for (let round = 0; round < ctx.rounds; round++) {
        // Rotate which subject goes first so a slow start or a warming cache does not favour one.
        const order = plan.subjects.map((_, i) => plan.subjects[(i + round) % plan.subjects.length]!);
        for (const key of order) {
          const trial =
            key === 'ours'
              ? await oursTrial(plan, ctx.postgresUrl)
              : await bareTrial(plan, ctx.postgresUrl, BARE_OPTIONS[key]);
          trials[key].push(trial);
          ctx.log(`${where}, round ${round + 1}, ${describeTrial(SUBJECT_LABELS[key], trial)}`);
        }
      }
      const drainRow = (key: SubjectKey) =>
        row(`${SUBJECT_LABELS[key]} on ${where}`, `drain ${plan.jobs} jobs`, 'jobs/s', trials[key].map((t) => t.drainPerSecond));
      const ours = drainRow('ours');
      const same = drainRow('same');
      if (plan.history > 0) {
        compare(ours, same, 'ours / bare same settings');
        rows.push(same, ours);
      } else {
        const bare = drainRow('bare');
        const burst = drainRow('burst');
        compare(ours, bare, 'ours / bare');
        compare(ours, burst, 'ours / bare+burst');
        compare(ours, same, 'ours / bare same settings');
        compare(burst, bare, 'burst / bare');
        // Every bare subject queues the same way, so the first one stands for them in the queueing rows.
        const queueing = (key: SubjectKey) => {
          const subject = `${SUBJECT_LABELS[key]} on ${where}`;
          return {
            send: row(subject, `send ×${plan.sends}, one at a time`, 'jobs/s', trials[key].map((t) => t.sendPerSecond)),
            insert: row(subject, `insert ×${plan.jobs - plan.sends}, chunks of ${INSERT_CHUNK}`, 'jobs/s', trials[key].map((t) => t.insertPerSecond)),
          };
        };
        const bareQueueing = queueing('bare');
        const oursQueueing = queueing('ours');
        compare(oursQueueing.send, bareQueueing.send, 'ours / bare');
        compare(oursQueueing.insert, bareQueueing.insert, 'ours / bare');
        rows.push(bare, burst, same, ours, bareQueueing.send, oursQueueing.send, bareQueueing.insert, oursQueueing.insert);
      }
      const capped = plan.subjects.filter((key) => trials[key].some((t) => t.capped));
      if (capped.length > 0) {
        notes.push(
          `${where}: drains hit the ${MAX_DRAIN_SECONDS} s cap for ${capped.map((key) => `${SUBJECT_LABELS[key]} (completed by then: ${trials[key].map((t) => t.drained).join(', ')})`).join('; ')}.`,
        );
      }
    }
    return { rows, notes };
  },
};

export default benchmark;
