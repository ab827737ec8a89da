// Added latency (p50/p99) and throughput of the hub's OpenAI-compatible /v1/chat/completions over a fake
// OpenAI upstream, against calling that upstream directly and against Portkey's open-source gateway
// pointed at the same upstream, at equal concurrency, in the same run. Each server runs in its own process.
//
// Portkey is not a dependency: install it in a scratch folder (see /work/shared/PEERS.md) and point
// BENCH_PORTKEY_DIR at it (default /tmp/portkey); without it that comparison is skipped with a note.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { compare, freePort, median, percentile, repoRoot, row, startChild, startHubProcess, stopChild, waitFor, type BenchContext, type BenchResult, type Benchmark, type HubProcess, type ResultRow } from './harness.ts';

const HUB_KEY = 'sb_bench_ai_router_key_0123456789abcdef';
const PORTKEY_DIR = process.env.BENCH_PORTKEY_DIR ?? '/tmp/portkey';
const PORTKEY_ENTRY = path.join(PORTKEY_DIR, 'node_modules/@portkey-ai/gateway/build/start-server.js');
// Sequential requests per latency sample, after a warm-up; concurrency and duration of a throughput sample.
const LATENCY_REQUESTS = Number(process.env.BENCH_AI_LATENCY_REQUESTS ?? 2000);
const WARMUP_REQUESTS = 300;
const CONCURRENCY = Number(process.env.BENCH_AI_CONCURRENCY ?? 16);
const THROUGHPUT_MS = Number(process.env.BENCH_AI_THROUGHPUT_MS ?? 4000);
const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }], max_tokens: 32 });

interface Target {
  name: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
}

/** The fake OpenAI upstream of the AI tests, in a process of its own. */
async function startUpstream(): Promise<{ baseUrl: string; apiKey: string; stop(): Promise<void> }> {
  const module = pathToFileURL(path.join(repoRoot, 'src/ai/testing/fake-upstreams.ts')).href;
  const script = `const { startFakeUpstream } = await import(${JSON.stringify(module)}); const f = await startFakeUpstream('openai'); console.log('UPSTREAM ' + JSON.stringify({ baseUrl: f.baseUrl, apiKey: f.apiKey }));`;
  const { child, output } = startChild(['--input-type=module', '-e', script], process.env);
  let found: { baseUrl: string; apiKey: string } | undefined;
  await waitFor(async () => {
    const line = /UPSTREAM (\{.*\})/.exec(output());
    if (line) found = JSON.parse(line[1]!);
    return found !== undefined;
  }, 'the fake upstream', output);
  return { ...found!, stop: () => stopChild(child) };
}

async function startHub(upstream: { baseUrl: string; apiKey: string }, postgresServer: string | null): Promise<HubProcess> {
  const hub = await startHubProcess({ name: 'ai', apiKey: HUB_KEY, postgresServer });
  const api = async (method: string, url: string, body: unknown) => {
    const response = await fetch(`${hub.origin}${url}`, { method, headers: { authorization: `Bearer ${HUB_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  };
  try {
    await api('POST', '/api/v1/integrations', { connectorId: 'openai', name: 'bench upstream', config: { baseUrl: upstream.baseUrl }, credentials: { apiKey: upstream.apiKey } });
    await api('PUT', '/api/v1/ai/routes/default', { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
  } catch (error) {
    await hub.stop();
    throw error;
  }
  return hub;
}

async function startPortkey(): Promise<{ origin: string; stop(): Promise<void> } | null> {
  if (!existsSync(PORTKEY_ENTRY)) return null;
  const port = await freePort();
  const { child, output } = startChild([PORTKEY_ENTRY, `--port=${port}`, '--headless'], process.env);
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${origin}/`)).status < 500, 'Portkey', output);
  return { origin, stop: () => stopChild(child) };
}

async function send(pool: Pool, target: Target): Promise<void> {
  const response = await pool.request({ method: 'POST', path: target.path, headers: { 'content-type': 'application/json', ...target.headers }, body: BODY });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${target.name} answered ${response.statusCode}: ${text.slice(0, 300)}`);
}

/** Sequential requests: per-request latency in milliseconds. */
async function latencies(target: Target): Promise<number[]> {
  const pool = new Pool(target.origin, { connections: 1 });
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await send(pool, target);
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_REQUESTS; i++) {
      const started = performance.now();
      await send(pool, target);
      samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    await pool.close();
  }
}

/** Requests per second with CONCURRENCY requests in flight for THROUGHPUT_MS. */
async function throughput(target: Target): Promise<number> {
  const pool = new Pool(target.origin, { connections: CONCURRENCY });
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < 20; i++) await send(pool, target);
    }));
    let done = 0;
    const started = performance.now();
    const deadline = started + THROUGHPUT_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          await send(pool, target);
          done += 1;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

const benchmark: Benchmark = {
  name: 'ai-router',
  description: 'AI router: added latency and throughput of /v1/chat/completions over a fake OpenAI upstream, vs direct and vs Portkey',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const notes: string[] = [];
    const upstream = await startUpstream();
    const hub = await startHub(upstream, null).catch(async (error: unknown) => {
      await upstream.stop();
      throw error;
    });
    // Production runs on PostgreSQL: measured too when a server answers.
    const hubPg = ctx.postgresUrl ? await startHub(upstream, ctx.postgresUrl) : null;
    if (!hubPg) notes.push('No PostgreSQL answered: the hub was measured on the embedded database only.');
    const portkey = await startPortkey();
    if (!portkey) notes.push(`Portkey skipped: no ${PORTKEY_ENTRY} (npm i @portkey-ai/gateway in ${PORTKEY_DIR} with the overrides in PEERS.md, or set BENCH_PORTKEY_DIR).`);
    const upstreamUrl = new URL(upstream.baseUrl);
    const targets: Target[] = [
      { name: 'direct', origin: upstreamUrl.origin, path: `${upstreamUrl.pathname}/chat/completions`, headers: { authorization: `Bearer ${upstream.apiKey}` } },
      { name: 'hub', origin: hub.origin, path: '/v1/chat/completions', headers: { authorization: `Bearer ${HUB_KEY}` } },
      ...(hubPg ? [{ name: 'hub-pg', origin: hubPg.origin, path: '/v1/chat/completions', headers: { authorization: `Bearer ${HUB_KEY}` } }] : []),
      ...(portkey
        ? [{ name: 'portkey', origin: portkey.origin, path: '/v1/chat/completions', headers: { authorization: `Bearer ${upstream.apiKey}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstream.baseUrl } }]
        : []),
    ];
    const p50: Record<string, number[]> = {};
    const p99: Record<string, number[]> = {};
    const rps: Record<string, number[]> = {};
    try {
      for (let round = 0; round < ctx.rounds; round++) {
        // Alternate the order so no subject always runs on a warmer or busier machine.
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const samples = await latencies(target);
          (p50[target.name] ??= []).push(percentile(samples, 50));
          (p99[target.name] ??= []).push(percentile(samples, 99));
          (rps[target.name] ??= []).push(await throughput(target));
          ctx.log(`round ${round + 1} ${target.name}: p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms, ${rps[target.name]!.at(-1)!.toFixed(0)} req/s`);
        }
      }
    } finally {
      await Promise.all([hub.stop(), hubPg?.stop(), upstream.stop(), portkey?.stop()]);
    }
    const rows: ResultRow[] = [];
    const added = (name: string, values: Record<string, number[]>) => values[name]!.map((value, i) => value - values.direct![i]!);
    rows.push(row('direct upstream', 'latency p50', 'ms', p50.direct!), row('direct upstream', 'latency p99', 'ms', p99.direct!));
    const SUBJECTS: Record<string, string> = { hub: 'Switchboard hub (PGlite)', 'hub-pg': 'Switchboard hub (PostgreSQL)', portkey: 'Portkey gateway 1.15' };
    for (const name of ['hub', 'hub-pg', 'portkey'].filter((n) => p50[n])) {
      const subject = SUBJECTS[name]!;
      rows.push(row(subject, 'added latency p50', 'ms', added(name, p50)), row(subject, 'added latency p99', 'ms', added(name, p99)));
    }
    const direct = row('direct upstream', `throughput at ${CONCURRENCY} in flight`, 'req/s', rps.direct!);
    rows.push(direct);
    const portkeyRps = rps.portkey ? compare(row(SUBJECTS.portkey!, `throughput at ${CONCURRENCY} in flight`, 'req/s', rps.portkey), direct, 'portkey / direct') : null;
    for (const name of ['hub', 'hub-pg'].filter((n) => rps[n])) {
      const hubRps = compare(row(SUBJECTS[name]!, `throughput at ${CONCURRENCY} in flight`, 'req/s', rps[name]!), direct, 'hub / direct');
      if (portkeyRps) compare(hubRps, portkeyRps, 'hub / portkey');
      rows.push(hubRps);
    }
    if (portkeyRps) rows.push(portkeyRps);
    notes.push(
      `Non-streamed chat completions with a ${BODY.length}-byte body; latency over ${LATENCY_REQUESTS} sequential requests after ${WARMUP_REQUESTS} warm-up ones; throughput over ${THROUGHPUT_MS / 1000} s with ${CONCURRENCY} requests in flight.`,
      'The hub answers from its default route (one OpenAI target) with API-key authentication, the per-key rate limit, route and integration caches, quota checks (no budget set), the usage ledger and routing headers; each server runs in its own process on the same machine.',
      `Median direct p50 ${median(p50.direct!).toFixed(3)} ms.`,
      'API keys are resolved through the short principal cache of platform/auth/principal-cache.ts (5 s), so a busy key is looked up in the database once per 5 s, not per request.',
    );
    return { rows, notes };
  },
};

export default benchmark;
