// Added latency (p50/p99) of the hub's integration proxy (`ALL /api/v1/integrations/:id/proxy/*`) and of an
// action (`POST /api/v1/integrations/:id/actions/getJson`) over a local fixture API, against calling that
// fixture directly, in the same run, with the hub on the embedded database and on PostgreSQL. The fixture
// and each hub run in processes of their own.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { freePort, median, percentile, row, startChild, startHubProcess, stopChild, waitFor, type BenchContext, type BenchResult, type Benchmark, type HubProcess, type ResultRow } from './harness.ts';

const HUB_KEY = 'sb_bench_integrations_proxy_key_0123456789';
const FIXTURE_TOKEN = 'fixture-token-0123456789abcdef';
// Sequential requests per latency sample, after a warm-up.
const LATENCY_REQUESTS = Number(process.env.BENCH_PROXY_LATENCY_REQUESTS ?? 2000);
const WARMUP_REQUESTS = 300;
const ITEM = JSON.stringify({ id: 1, name: 'Widget', price: { amount: 1299, currency: 'EUR' }, tags: ['blue', 'small'] });

interface Target {
  name: string;
  /** The hub process serving it: its CPU time per request is measured (null for the fixture). */
  pid: number | null;
  origin: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A provider API stand-in: GET /api/items/:id answers a small JSON object to the right bearer token. */
async function startFixture(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await freePort();
  const script = `
    const http = await import('node:http');
    const item = ${JSON.stringify(ITEM)};
    http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.headers.authorization !== 'Bearer ${FIXTURE_TOKEN}') { response.writeHead(401, { 'content-type': 'application/json' }); return response.end('{"error":"unauthorized"}'); }
        response.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '999' });
        response.end(item);
      });
    }).listen(${port}, '127.0.0.1', () => console.log('FIXTURE READY'));`;
  const { child, output } = startChild(['--input-type=module', '-e', script], process.env);
  await waitFor(async () => output().includes('FIXTURE READY'), 'the fixture API', output);
  return { baseUrl: `http://127.0.0.1:${port}/api`, stop: () => stopChild(child) };
}

/** User + system CPU time of a process in milliseconds (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startHub(fixtureBaseUrl: string, postgresServer: string | null): Promise<HubProcess & { integrationId: string }> {
  const hub = await startHubProcess({ name: 'proxy', apiKey: HUB_KEY, postgresServer });
  try {
    const response = await fetch(`${hub.origin}/api/v1/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HUB_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ connectorId: 'rest', name: 'bench fixture', config: { baseUrl: fixtureBaseUrl, authMode: 'bearer', healthPath: 'items/1' }, credentials: { apiKey: FIXTURE_TOKEN } }),
    });
    if (response.status !== 201) throw new Error(`connecting the fixture answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    return { ...hub, integrationId: id };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

async function send(pool: Pool, target: Target): Promise<void> {
  const response = await pool.request({ method: target.method, path: target.path, headers: target.headers, ...(target.body ? { body: target.body } : {}) });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${target.name} answered ${response.statusCode}: ${text.slice(0, 300)}`);
}

/**
 * Sequential requests over one connection: per-request latency in milliseconds, and the serving hub's CPU
 * time per request (which a neighbour's load does not inflate the way it inflates wall-clock latency).
 */
async function latencies(target: Target): Promise<{ samples: number[]; cpuPerRequestMs: number | null }> {
  const pool = new Pool(target.origin, { connections: 1 });
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await send(pool, target);
    const samples: number[] = [];
    const cpuBefore = target.pid ? cpuMs(target.pid) : 0;
    for (let i = 0; i < LATENCY_REQUESTS; i++) {
      const started = performance.now();
      await send(pool, target);
      samples.push(performance.now() - started);
    }
    const cpuPerRequestMs = target.pid ? (cpuMs(target.pid) - cpuBefore) / LATENCY_REQUESTS : null;
    return { samples, cpuPerRequestMs };
  } finally {
    await pool.close();
  }
}

function hubTargets(name: string, hub: { origin: string; pid: number; integrationId: string }): Target[] {
  const auth = { authorization: `Bearer ${HUB_KEY}` };
  return [
    { name: `${name}-proxy`, pid: hub.pid, origin: hub.origin, method: 'GET', path: `/api/v1/integrations/${hub.integrationId}/proxy/items/1`, headers: auth },
    {
      name: `${name}-action`,
      pid: hub.pid,
      origin: hub.origin,
      method: 'POST',
      path: `/api/v1/integrations/${hub.integrationId}/actions/getJson`,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ path: 'items/1' }),
    },
  ];
}

const SUBJECTS: Record<string, string> = {
  'pglite-proxy': 'proxy GET (PGlite)',
  'pglite-action': 'action getJson (PGlite)',
  'pg-proxy': 'proxy GET (PostgreSQL)',
  'pg-action': 'action getJson (PostgreSQL)',
};

const benchmark: Benchmark = {
  name: 'integrations-proxy',
  description: 'Integrations: added latency of the proxy and of an action over a local fixture API, vs calling it directly',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const notes: string[] = [];
    const fixture = await startFixture();
    const hubs: { stop(): Promise<void> }[] = [];
    const targets: Target[] = [];
    const fixtureUrl = new URL(fixture.baseUrl);
    targets.push({ name: 'direct', pid: null, origin: fixtureUrl.origin, method: 'GET', path: `${fixtureUrl.pathname}/items/1`, headers: { authorization: `Bearer ${FIXTURE_TOKEN}` } });
    const p50: Record<string, number[]> = {};
    const p99: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    try {
      const embedded = await startHub(fixture.baseUrl, null);
      hubs.push(embedded);
      targets.push(...hubTargets('pglite', embedded));
      // Production runs on PostgreSQL: measured too when a server answers.
      if (ctx.postgresUrl) {
        const onPostgres = await startHub(fixture.baseUrl, ctx.postgresUrl);
        hubs.push(onPostgres);
        targets.push(...hubTargets('pg', onPostgres));
      } else {
        notes.push('No PostgreSQL answered: the hub was measured on the embedded database only.');
      }
      for (let round = 0; round < ctx.rounds; round++) {
        // Alternate the order so no subject always runs on a warmer or busier machine; the direct
        // baseline runs before and after the hub subjects, and each round's baseline is their mean.
        const hubOrder = round % 2 === 0 ? targets.slice(1) : targets.slice(1).reverse();
        const directBefore = (await latencies(targets[0]!)).samples;
        for (const target of hubOrder) {
          const { samples, cpuPerRequestMs } = await latencies(target);
          (p50[target.name] ??= []).push(percentile(samples, 50));
          (p99[target.name] ??= []).push(percentile(samples, 99));
          (cpu[target.name] ??= []).push(cpuPerRequestMs!);
          ctx.log(`round ${round + 1} ${target.name}: p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms, hub CPU ${cpuPerRequestMs!.toFixed(3)} ms/request`);
        }
        const directAfter = (await latencies(targets[0]!)).samples;
        (p50.direct ??= []).push((percentile(directBefore, 50) + percentile(directAfter, 50)) / 2);
        (p99.direct ??= []).push((percentile(directBefore, 99) + percentile(directAfter, 99)) / 2);
        ctx.log(`round ${round + 1} direct: p50 ${p50.direct.at(-1)!.toFixed(3)} ms, p99 ${p99.direct.at(-1)!.toFixed(3)} ms`);
      }
    } finally {
      await Promise.all([...hubs.map((hub) => hub.stop()), fixture.stop()]);
    }
    const rows: ResultRow[] = [row('direct fixture GET', 'latency p50', 'ms', p50.direct!), row('direct fixture GET', 'latency p99', 'ms', p99.direct!)];
    const added = (name: string, values: Record<string, number[]>) => values[name]!.map((value, i) => value - values.direct![i]!);
    for (const name of Object.keys(SUBJECTS).filter((n) => p50[n])) {
      rows.push(
        row(SUBJECTS[name]!, 'added latency p50', 'ms', added(name, p50)),
        row(SUBJECTS[name]!, 'added latency p99', 'ms', added(name, p99)),
        row(SUBJECTS[name]!, 'hub CPU per request', 'ms', cpu[name]!),
      );
    }
    notes.push(
      `Latency over ${LATENCY_REQUESTS} sequential requests on one keep-alive connection after ${WARMUP_REQUESTS} warm-up ones; the fixture answers a ${ITEM.length}-byte JSON object to a bearer token.`,
      'Both hub paths run the generic REST connector with bearer auth: API-key authentication (through the principal cache), the per-key rate limit, the integration row and its opened credential (through their short caches), the outbound client (SSRF guard, breaker, retry policy), the scrub of secrets from the answer, and an operation-log row per call, queued and stored in batches after the answer.',
      `Median direct p50 ${median(p50.direct!).toFixed(3)} ms; "added" is the hub's figure minus the direct one of the same round.`,
      "Hub CPU per request: the hub process's user + system time (/proc, 10 ms ticks) over the latency loop divided by its requests; it includes the hub's background work (job polling) during the loop, so it is an upper bound on the request path's own cost.",
    );
    return { rows, notes };
  },
};

export default benchmark;
