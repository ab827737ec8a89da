// Shared vocabulary of the benchmarks: what a benchmark module exports, result rows with repeated samples,
// ratios against a baseline measured in the same run, machine facts, and small helpers (ports, databases).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Comparison {
  /** What the ratio means, e.g. `ours / bare pg-boss`. */
  label: string;
  /** Median of the per-round ratios (paired rounds cancel out drift of a noisy machine). */
  ratio: number;
  min: number;
  max: number;
}

export interface ResultRow {
  subject: string;
  metric: string;
  /** Median of the samples. */
  value: number;
  unit: string;
  min: number;
  max: number;
  samples: number[];
  comparisons: Comparison[];
}

export interface BenchResult {
  rows: ResultRow[];
  /** Facts a reader needs to interpret the rows (what was capped, which path was used, …). */
  notes: string[];
}

export interface BenchContext {
  /** Rounds per measurement (BENCH_ROUNDS, default 3). */
  rounds: number;
  /** A PostgreSQL server URL that answered, or null: benchmarks then measure the embedded database only. */
  postgresUrl: string | null;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function row(subject: string, metric: string, unit: string, samples: readonly number[]): ResultRow {
  return {
    subject,
    metric,
    value: median(samples),
    unit,
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: [...samples],
    comparisons: [],
  };
}

/**
 * Adds `subject / baseline` to a row. Rounds are paired (round i of one against round i of the other,
 * measured back to back) so a burst of load from a neighbour moves both sides of a ratio together.
 */
export function compare(subject: ResultRow, baseline: ResultRow, label: string): ResultRow {
  const pairs = Math.min(subject.samples.length, baseline.samples.length);
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) ratios.push(subject.samples[i]! / baseline.samples[i]!);
  subject.comparisons.push({ label, ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) });
  return subject;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started: a busy neighbour shows here. */
  loadAverage: number;
  date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
    date: new Date().toISOString(),
  };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['subject', 'metric', 'median', 'min', 'max', 'unit', 'comparisons'];
  const body = rows.map((r) => [
    r.subject,
    r.metric,
    formatNumber(r.value),
    formatNumber(r.min),
    formatNumber(r.max),
    r.unit,
    r.comparisons
      .map((c) => `${c.label}: ${formatNumber(c.ratio)}× (${formatNumber(c.min)}–${formatNumber(c.max)})`)
      .join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** BENCH_DATABASE_URL or the local default, if a server answers there within a few seconds. */
export async function findPostgres(): Promise<string | null> {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_POSTGRES_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

let databaseCounter = 0;

/** A new empty database on the server; `drop` removes it even if connections are still open. */
export async function createPostgresDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  databaseCounter += 1;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${databaseCounter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Node child process in the repository root, its output kept (the last 8 KB) for error messages. */
export function startChild(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  return { child, output: () => output };
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

/** Polls `check` until it answers true; fails with the child's output after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${output()}`);
}

/** The p-th percentile (nearest rank) of the values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface HubProcess {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `switchboard start` as a child process on a free port, on a fresh embedded database or (with
 * `postgresServer`) a fresh PostgreSQL database, with `apiKey` as its bootstrap key, resolved once ready.
 * The per-key API limit is lifted so it is not what a benchmark measures; stop() removes what it made.
 */
export async function startHubProcess(options: { name: string; apiKey: string; postgresServer: string | null }): Promise<HubProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `switchboard-bench-${options.name}-`));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHBOARD_') && name !== 'DATABASE_URL' && name !== 'REDIS_URL'));
  const database = options.postgresServer ? await createPostgresDatabase(options.postgresServer, `bench_${options.name.replace(/-/g, '_')}`) : null;
  const databaseEnv = database ? { DATABASE_URL: database.url, SWITCHBOARD_MASTER_KEY: `bench:${Buffer.alloc(32, 9).toString('base64')}` } : {};
  const { child, output } = startChild(['src/cli.ts', 'start'], {
    ...env,
    SWITCHBOARD_HOST: '127.0.0.1',
    SWITCHBOARD_PORT: String(port),
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_LOG_LEVEL: 'warn',
    SWITCHBOARD_BOOTSTRAP_API_KEY: options.apiKey,
    SWITCHBOARD_ADMIN_PASSWORD: 'bench-owner-password',
    SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    SWITCHBOARD_API_RATE_LIMIT: '1000000000',
    ...databaseEnv,
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    // A fresh embedded database is migrated first: slow on a busy machine.
    await waitFor(async () => (await fetch(`${origin}/readyz`)).status === 200, 'the hub', output, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, pid: child.pid!, stop };
}
