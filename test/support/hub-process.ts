// Runs a real hub as a child process (`node src/cli.ts start`) on a fresh data directory, for end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HubProcess {
  url: string;
  dataDir: string;
  /** Everything the hub printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, wait for the exit (SIGKILL after the grace period), remove a data directory it created; the exit code. */
  stop(): Promise<number | null>;
  /** Sends a signal (SIGKILL for a crash) and waits for the exit; the data directory stays. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A port that was free a moment ago: the hub has no way to report one it picked itself. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the port of a probe socket'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startHubProcess(options: {
  env?: Record<string, string>;
  /** The role to run: `start` (default), `api` or `worker` (the last two need DATABASE_URL in env). */
  command?: 'start' | 'api' | 'worker';
  /** Reuse this data directory (it is then left in place on stop); default: a fresh one. */
  dataDir?: string;
  /** How long /readyz may take to answer 200. */
  readyTimeoutMs?: number;
  /** How long the hub may take to exit after SIGTERM before it is killed. */
  stopGraceMs?: number;
} = {}): Promise<HubProcess> {
  const { readyTimeoutMs = 60_000, stopGraceMs = 20_000 } = options;
  const command = options.command ?? 'start';
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'switchboard-hub-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(process.execPath, ['src/cli.ts', command], {
    cwd: REPO_ROOT,
    env: hubEnvironment({ SWITCHBOARD_PORT: String(port), SWITCHBOARD_DATA_DIR: dataDir, ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      await exited(child);
      clearTimeout(killer);
    }
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    return child.exitCode;
  };

  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited(child);
  };

  const deadline = Date.now() + readyTimeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`The hub exited (${child.exitCode ?? child.signalCode}) before it was ready. Its output:\n${output}`);
    }
    // A worker serves no HTTP; it says so on stdout once its job engine runs.
    if (command === 'worker') {
      if (/ready on /.test(output)) return { url, dataDir, output: () => output, stop, kill };
      await sleep(250);
      continue;
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return { url, dataDir, output: () => output, stop, kill };
      lastProblem = `/readyz answered ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`The hub was not ready within ${readyTimeoutMs / 1000} s (${lastProblem}). Its output:\n${output}`);
}

/**
 * The environment of a hub child process. The hub reads its whole configuration from the environment;
 * settings of the developer's own hub (a DATABASE_URL, a bootstrap key) must not leak into a test's.
 */
export function hubEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHBOARD_') && name !== 'DATABASE_URL' && name !== 'REDIS_URL'),
  );
  return { ...inherited, SWITCHBOARD_HOST: '127.0.0.1', SWITCHBOARD_LOG_LEVEL: 'warn', ...env };
}

/** Runs one `switchboard` command to completion. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['src/cli.ts', ...args], { cwd: REPO_ROOT, env: hubEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
