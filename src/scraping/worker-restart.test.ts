// A crawl survives losing its worker: on PostgreSQL a worker process is killed (SIGKILL) mid-crawl and
// another takes its pages over; on the embedded database the whole hub is killed and started again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, TEST_MASTER_KEY } from '../../test/support/databases.ts';
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site/index.ts';
import { freePort, hubEnvironment, REPO_ROOT } from '../../test/support/hub-process.ts';

const KEY = 'sb_worker_restart_test_key_0123456789';
const BASE_ENV = { SWITCHBOARD_BOOTSTRAP_API_KEY: KEY, SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' };
const PAGES = 24;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Node {
  url: string;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A hub process that can be killed outright (the shared helper only stops hubs gracefully). */
async function startNode(command: 'start' | 'api' | 'worker', env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/cli.ts', command], {
    cwd: REPO_ROOT,
    env: hubEnvironment({ SWITCHBOARD_PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const node: Node = {
    url,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the hub exited before it was ready:\n${output}`);
    if (command === 'worker' ? /ready on /.test(output) : await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return node;
    await sleep(200);
  }
  await node.kill('SIGKILL');
  throw new Error(`the hub was not ready in time:\n${output}`);
}

async function api(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.json() as Promise<any>;
}

async function startCrawl(url: string, site: FixtureSite): Promise<string> {
  // Slow pages and few slots, so the crawl is still going when its worker dies.
  const created = await api(url, 'POST', '/api/v1/scrapes', {
    urls: [`${site.url}/page/0`],
    maxPages: PAGES,
    maxConcurrency: { global: 2, perHost: 2 },
    maxRetries: 0,
  });
  if (!created.id) throw new Error(`could not start the crawl: ${JSON.stringify(created)}`);
  return created.id;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function expectCompleteCrawl(url: string, id: string, site: FixtureSite) {
  const done = await waitFor(async () => {
    const scrape = await api(url, 'GET', `/api/v1/scrapes/${id}`);
    return ['completed', 'failed', 'cancelled'].includes(scrape.status) ? scrape : undefined;
  }, 'the crawl to end');
  expect(done.status).toBe('completed');
  expect(done.progress).toMatchObject({ total: PAGES, processed: PAGES, succeeded: PAGES, failed: 0 });
  const pages = (await api(url, 'GET', `/api/v1/scrapes/${id}/pages?limit=200`)).items as { url: string; status: string }[];
  expect(new Set(pages.map((page) => page.url)).size).toBe(PAGES);
  expect(pages.every((page) => page.status === 'done')).toBe(true);
  // Pages interrupted by the kill were fetched again; none was lost.
  const fetched = new Set(site.requests.filter((request) => request.path !== '/robots.txt').map((request) => request.path));
  expect([...fetched].sort()).toEqual(pages.map((page) => new URL(page.url).pathname).sort());
}

const processed = async (url: string, id: string) => {
  const scrape = await api(url, 'GET', `/api/v1/scrapes/${id}`);
  return scrape.progress.processed >= 4 ? scrape : undefined;
};

describe('a crawl survives its worker dying', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }, 60_000);

  // Each takes a while (a dead worker's jobs are retried once its heartbeat lapses and the job layer's
  // supervisor notices): PostgreSQL, where several workers are the real case, when there is one.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'on PostgreSQL: another worker finishes the pages of a worker killed mid-crawl',
    async () => {
      const site = await startFixtureSite({ pages: PAGES, fanOut: 4, latencyMs: 250 });
      cleanups.push(() => site.close());
      const database = await createPostgresDatabase();
      cleanups.push(() => database.drop());
      const env = { ...BASE_ENV, DATABASE_URL: database.url, SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY };
      const apiNode = await startNode('api', env);
      cleanups.push(() => apiNode.kill('SIGTERM'));
      const doomed = await startNode('worker', env);
      const id = await startCrawl(apiNode.url, site);
      await waitFor(() => processed(apiNode.url, id), 'a few pages');
      await doomed.kill('SIGKILL');
      const survivor = await startNode('worker', env);
      cleanups.push(() => survivor.kill('SIGTERM'));
      await expectCompleteCrawl(apiNode.url, id, site);
    },
    150_000,
  );

  it.skipIf(!!process.env.TEST_DATABASE_URL)(
    'on the embedded database: the crawl resumes where it was after the hub is killed and started again',
    async () => {
      const site = await startFixtureSite({ pages: PAGES, fanOut: 4, latencyMs: 250 });
      cleanups.push(() => site.close());
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-restart-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const env = { ...BASE_ENV, SWITCHBOARD_DATA_DIR: dataDir };
      const first = await startNode('start', env);
      const id = await startCrawl(first.url, site);
      await waitFor(() => processed(first.url, id), 'a few pages');
      await first.kill('SIGKILL');
      // The killed hub's lock on the data folder goes stale within 10 s; starting again waits for that.
      const second = await waitFor(() => startNode('start', env), 'the hub to start again');
      cleanups.push(() => second.kill('SIGTERM'));
      await expectCompleteCrawl(second.url, id, site);
    },
    150_000,
  );
});
