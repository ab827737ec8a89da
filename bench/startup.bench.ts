// Start-to-ready time, idle memory and stop time of `switchboard start`, cold and warm, on PGlite and
// PostgreSQL, against an empty Node HTTP server started the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { compare, createPostgresDatabase, freePort, row, type BenchContext, type BenchResult, type Benchmark, type ResultRow } from './harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 120_000;
const POLL_INTERVAL_MS = 10;
// Long enough for start-up garbage to be collected and timers (job polling, lock refresh) to settle.
const IDLE_MS = Number(process.env.BENCH_STARTUP_IDLE_MS ?? 5000);
const EXIT_TIMEOUT_MS = 30_000;

interface StartSample {
  readyMs: number;
  idleRssMiB: number;
  stopMs: number;
}

interface Launch {
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The path that answers 200 once the process is ready to serve. */
  readyPath: string;
}

function readRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Spawns, waits for the first 200, idles, reads RSS, then stops it with SIGTERM and times the exit. */
async function measureStart(launch: Launch): Promise<StartSample> {
  const port = await freePort();
  const env = { ...launch.env, SWITCHBOARD_PORT: String(port) };
  const args = launch.args.map((arg) => arg.replaceAll('{PORT}', String(port)));
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept only to explain a failure; the tail is what says why a start-up died.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let early: Exit | undefined;
  void exited(child).then((exit) => {
    early = exit;
  });
  try {
    const url = `http://127.0.0.1:${port}${launch.readyPath}`;
    for (;;) {
      if (early) throw new Error(`exited with ${describeExit(early)} before it was ready:\n${output}`);
      if (await answers200(url)) break;
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready after ${READY_TIMEOUT_MS} ms:\n${output}`);
      await sleep(POLL_INTERVAL_MS);
    }
    const readyMs = performance.now() - started;
    await sleep(IDLE_MS);
    const idleRssMiB = readRssMiB(child.pid!);
    const stopping = performance.now();
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited(child), sleep(EXIT_TIMEOUT_MS).then(() => 'timeout' as const)]);
    if (stopped === 'timeout') throw new Error(`still running ${EXIT_TIMEOUT_MS} ms after SIGTERM:\n${output}`);
    const stopMs = performance.now() - stopping;
    // The empty server has no handler and dies of the signal itself; the hub must catch it and exit 0.
    if (stopped.code !== 0 && stopped.signal !== 'SIGTERM') {
      throw new Error(`exited with ${describeExit(stopped)} after SIGTERM:\n${output}`);
    }
    return { readyMs, idleRssMiB, stopMs };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
}

function hubEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHBOARD_ADMIN_PASSWORD: 'bench-password-123456',
    SWITCHBOARD_LOG_LEVEL: 'warn',
    ...extra,
  };
  // A DATABASE_URL from the caller's shell would silently turn the PGlite subject into a PostgreSQL one.
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  if (!extra.SWITCHBOARD_MASTER_KEY) delete env.SWITCHBOARD_MASTER_KEY;
  return env;
}

const HUB_ARGS = ['src/cli.ts', 'start'];
const BASELINE: Launch = {
  args: ['-e', "require('http').createServer((q,s)=>s.end('ok')).listen({PORT}, '127.0.0.1')"],
  env: { PATH: process.env.PATH ?? '' },
  readyPath: '/',
};

// The embedded database alone, opened the way openDatabase opens it and then serving HTTP: separates
// what PGlite costs from what the hub adds on top of it.
const PGLITE_ONLY_SCRIPT = [
  "import { PGlite } from '@electric-sql/pglite';",
  "import http from 'node:http';",
  "const db = await PGlite.create({ dataDir: process.env.BENCH_PGLITE_DIR });",
  "await db.query('select 1');",
  "http.createServer((q, s) => s.end('ok')).listen({PORT}, '127.0.0.1');",
  "process.on('SIGTERM', () => { db.close().then(() => process.exit(0)); });",
].join('\n');

async function pgliteOnlyColdWarm(): Promise<[StartSample, StartSample]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-start-'));
  try {
    const launch: Launch = {
      args: ['--input-type=module', '-e', PGLITE_ONLY_SCRIPT],
      env: { PATH: process.env.PATH ?? '', BENCH_PGLITE_DIR: path.join(dir, 'pglite') },
      readyPath: '/',
    };
    const cold = await measureStart(launch);
    const warm = await measureStart(launch);
    return [cold, warm];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Cold (empty data directory: first run with migrations and bootstrap) then warm (same directory again). */
async function pgliteColdWarm(): Promise<[StartSample, StartSample]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-start-'));
  try {
    const launch: Launch = { args: HUB_ARGS, env: hubEnv({ SWITCHBOARD_DATA_DIR: dataDir }), readyPath: '/readyz' };
    const cold = await measureStart(launch);
    const warm = await measureStart(launch);
    return [cold, warm];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Cold on a new empty database, then warm on the same one. */
async function postgresColdWarm(serverUrl: string): Promise<[StartSample, StartSample]> {
  const database = await createPostgresDatabase(serverUrl, 'sb_bench_start');
  // Unused on PostgreSQL, but given anyway so nothing lands in the repository's ./.switchboard.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-start-'));
  try {
    const launch: Launch = {
      args: HUB_ARGS,
      // Required with DATABASE_URL (processes sharing a database must share the credential key).
      env: hubEnv({ SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: database.url, SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('base64') }),
      readyPath: '/readyz',
    };
    const cold = await measureStart(launch);
    const warm = await measureStart(launch);
    return [cold, warm];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  }
}

type SubjectKey = 'baseline' | 'pglite-only cold' | 'pglite-only warm' | 'pglite cold' | 'pglite warm' | 'postgres cold' | 'postgres warm';
const LABELS: Record<SubjectKey, string> = {
  baseline: 'empty node http server',
  'pglite-only cold': 'node + PGlite alone, cold (new dir)',
  'pglite-only warm': 'node + PGlite alone, warm',
  'pglite cold': 'hub on PGlite, cold (first run)',
  'pglite warm': 'hub on PGlite, warm',
  'postgres cold': 'hub on PostgreSQL, cold (new database)',
  'postgres warm': 'hub on PostgreSQL, warm',
};

const benchmark: Benchmark = {
  name: 'startup',
  description: '`switchboard start` start-to-ready, idle RSS and SIGTERM-to-exit, cold and warm, vs an empty Node HTTP server',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const samples = new Map<SubjectKey, StartSample[]>();
    const add = (key: SubjectKey, sample: StartSample) => {
      samples.set(key, [...(samples.get(key) ?? []), sample]);
      ctx.log(`${LABELS[key]}: ready ${Math.round(sample.readyMs)} ms, idle RSS ${sample.idleRssMiB.toFixed(1)} MiB, stop ${Math.round(sample.stopMs)} ms`);
    };
    type Step = () => Promise<void>;
    const steps: Step[] = [
      async () => add('baseline', await measureStart(BASELINE)),
      async () => {
        const [cold, warm] = await pgliteOnlyColdWarm();
        add('pglite-only cold', cold);
        add('pglite-only warm', warm);
      },
      async () => {
        const [cold, warm] = await pgliteColdWarm();
        add('pglite cold', cold);
        add('pglite warm', warm);
      },
    ];
    const serverUrl = ctx.postgresUrl;
    if (serverUrl) {
      steps.push(async () => {
        const [cold, warm] = await postgresColdWarm(serverUrl);
        add('postgres cold', cold);
        add('postgres warm', warm);
      });
    }
    for (let round = 0; round < ctx.rounds; round++) {
      ctx.log(`round ${round + 1}`);
      // Rotated so the baseline is not always measured on a machine that is just waking up.
      for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]!();
    }

    const rows: ResultRow[] = [];
    const metric = (key: SubjectKey, name: 'readyMs' | 'idleRssMiB' | 'stopMs') => {
      const list = samples.get(key) ?? [];
      const labels = { readyMs: ['start to first 200', 'ms'], idleRssMiB: [`RSS after ${IDLE_MS / 1000} s idle`, 'MiB'], stopMs: ['SIGTERM to exit', 'ms'] } as const;
      return row(LABELS[key], labels[name][0], labels[name][1], list.map((s) => s[name]));
    };
    for (const name of ['readyMs', 'idleRssMiB', 'stopMs'] as const) {
      const baseline = metric('baseline', name);
      const pgliteOnly = { cold: metric('pglite-only cold', name), warm: metric('pglite-only warm', name) };
      rows.push(baseline, compare(pgliteOnly.cold, baseline, 'vs empty node'), compare(pgliteOnly.warm, baseline, 'vs empty node'));
      for (const key of ['pglite cold', 'pglite warm', 'postgres cold', 'postgres warm'] as const) {
        if (!samples.has(key)) continue;
        const hub = compare(metric(key, name), baseline, 'hub / empty node');
        // The PGlite hub against PGlite alone in the same state: what the hub adds over its database.
        if (key === 'pglite cold') compare(hub, pgliteOnly.cold, 'hub / PGlite alone');
        if (key === 'pglite warm') compare(hub, pgliteOnly.warm, 'hub / PGlite alone');
        rows.push(hub);
      }
    }
    const notes = [
      'each start is a new `node src/cli.ts start` on a free port with SWITCHBOARD_LOG_LEVEL=warn; ready = GET /readyz answers 200 (the baseline: GET / answers 200), polled every 10 ms from spawn.',
      'cold = empty SWITCHBOARD_DATA_DIR or new empty database (migrations, first-start bootstrap); warm = a second start on the same one.',
      'RSS is VmRSS from /proc/<pid>/status of the node process itself.',
      '"node + PGlite alone" opens PGlite on a data directory as openDatabase does, runs select 1, then serves HTTP: the floor under the PGlite hub.',
    ];
    if (!serverUrl) notes.push('no PostgreSQL answered: the PostgreSQL subjects were skipped.');
    return { rows, notes };
  },
};

export default benchmark;
