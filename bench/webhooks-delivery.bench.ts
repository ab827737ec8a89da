// Webhook deliveries per second to a local receiver, with signing, attempt logging and the retry machinery
// on (the hub's own delivery jobs on PostgreSQL), against a bare loop that signs and POSTs the same payloads
// in the same run; and event-to-delivery latency (p50/p99) while events are emitted at a fixed rate.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { startHub, type RunningHub } from '../src/hub.ts';
import { loadConfig } from '../src/platform/config.ts';
import { emitEvent } from '../src/webhooks/index.ts';
import { compare, createPostgresDatabase, row, type BenchContext, type BenchResult, type Benchmark, type ResultRow } from './harness.ts';

const KEY = 'sb_bench_webhooks_key_0123456789abcdef';
const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 10_000);
/** Deliveries in flight at once, for both subjects (the hub's per-endpoint limit, and the bare loop's workers). */
const CONCURRENCY = 64;
/** Fixed emit rates of the latency runs: the 500/s, and a rate this machine's emitters can hold. */
const LATENCY_RATES = (process.env.BENCH_WEBHOOK_RATES ?? '250,500').split(',').map(Number);
const LATENCY_SECONDS = Number(process.env.BENCH_WEBHOOK_LATENCY_SECONDS ?? 10);
const EMIT_CHUNK = 100;
/**
 * Emitting callers at once in the latency run. More is slower here: every transaction that queues a
 * runnable job NOTIFYs, and PostgreSQL serialises the commits of notifying transactions.
 */
const EMITTERS = 6;
const MAX_DRAIN_SECONDS = 120;

// The receiver runs in its own process so it does not share an event loop with either subject.
const RECEIVER_SOURCE = `
const http = require('node:http');
let count = 0; let latencies = [];
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    const sorted = latencies.slice().sort((a, b) => a - b);
    const at = (q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
    res.end(JSON.stringify({ count, p50: at(0.5), p99: at(0.99) }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/reset') { count = 0; latencies = []; res.end('reset'); return; }
    count++;
    if (req.url === '/latency') {
      const sent = Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp);
      latencies.push(Date.now() - sent);
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

interface Receiver {
  url: string;
  stats(): Promise<{ count: number; p50: number | null; p99: number | null }>;
  reset(): Promise<void>;
  close(): void;
}

async function startReceiverProcess(dir: string): Promise<Receiver> {
  const file = path.join(dir, 'receiver.cjs');
  writeFileSync(file, RECEIVER_SOURCE);
  const child: ChildProcess = fork(file, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (message) => resolve(Number(message))));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async stats() {
      const response = await fetch(url);
      return (await response.json()) as { count: number; p50: number | null; p99: number | null };
    },
    async reset() {
      await (await fetch(`${url}/reset`, { method: 'POST' })).text();
    },
    close: () => child.kill(),
  };
}

/** CPU seconds used so far by every process named postgres (Linux /proc), or null where that cannot be read. */
function postgresCpuSeconds(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The process ended while being read.
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** Where a run's CPU went, in milliseconds per delivery: this process, and PostgreSQL's server processes. */
interface CpuSplit {
  processMs: number;
  postgresMs: number | null;
}

async function measureCpu<T>(count: () => number, work: () => Promise<T>): Promise<{ value: T; cpu: CpuSplit }> {
  const processBefore = process.cpuUsage();
  const postgresBefore = postgresCpuSeconds();
  const value = await work();
  const used = process.cpuUsage(processBefore);
  const postgresAfter = postgresCpuSeconds();
  const n = count();
  return {
    value,
    cpu: {
      processMs: (used.user + used.system) / 1000 / n,
      postgresMs: postgresBefore === null || postgresAfter === null ? null : ((postgresAfter - postgresBefore) * 1000) / n,
    },
  };
}

interface HubFixture {
  hub: RunningHub;
  workspaceId: string;
  counter: pg.Client;
  succeeded(): Promise<number>;
  dispose(): Promise<void>;
}

async function hubFixture(serverUrl: string, dir: string, receiverUrl: string, pathName: string): Promise<HubFixture> {
  const database = await createPostgresDatabase(serverUrl, 'sb_bench_webhooks');
  const config = loadConfig({
    DATABASE_URL: database.url,
    SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
    SWITCHBOARD_DATA_DIR: dir,
    SWITCHBOARD_PORT: '0',
    SWITCHBOARD_BOOTSTRAP_API_KEY: KEY,
    SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    // One endpoint here: let it use all 64 of the process's delivery slots, as the bare loop does.
    SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
    SWITCHBOARD_LOG_LEVEL: 'silent',
    // Emitting callers each hold a connection for their transaction while the workers use theirs.
    DATABASE_POOL_SIZE: '20',
  });
  // Workers start only once the backlog is in, so the drain is timed from an idle start.
  const hub = await startHub(config, { api: true, worker: false }, { logger: pino({ level: 'silent' }) });
  const inject = hub.app!.inject.bind(hub.app!);
  const auth = { authorization: `Bearer ${KEY}` };
  const workspaceId = (await inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: auth })).json().workspace.id as string;
  const created = await inject({ method: 'POST', url: '/api/v1/webhooks/endpoints', headers: auth, payload: { url: `${receiverUrl}${pathName}`, eventTypes: ['custom.bench.*'] } });
  if (created.statusCode !== 201) throw new Error(`endpoint: ${created.body}`);
  const counter = new pg.Client({ connectionString: database.url });
  await counter.connect();
  return {
    hub,
    workspaceId,
    counter,
    async succeeded() {
      const result = await counter.query<{ n: number }>(`select count(*)::int as n from webhook_deliveries where status = 'succeeded'`);
      return result.rows[0]?.n ?? 0;
    },
    async dispose() {
      await hub.stop().catch(() => {});
      await counter.end().catch(() => {});
      await database.drop();
    },
  };
}

function payloadOf(i: number) {
  return { order: i, customer: `customer-${i % 97}@example.com`, total: (i % 1000) / 10, items: [{ sku: `sku-${i % 13}`, qty: 1 + (i % 3) }] };
}

async function emitMany(fixture: HubFixture, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += EMIT_CHUNK) {
    await fixture.hub.context.db.transaction(async (tx) => {
      for (let i = start; i < Math.min(to, start + EMIT_CHUNK); i++) {
        await emitEvent(fixture.hub.context.jobs, tx, { workspaceId: fixture.workspaceId, type: 'custom.bench.order', source: 'api', payload: payloadOf(i) });
      }
    });
  }
}

/** The hub: queue N events (with their delivery jobs), start the workers, time until all N succeeded. */
async function oursTrial(serverUrl: string, dir: string, receiver: Receiver): Promise<{ perSecond: number; emitPerSecond: number; cpu: CpuSplit }> {
  const fixture = await hubFixture(serverUrl, dir, receiver.url, '/throughput');
  try {
    const emitStarted = performance.now();
    await emitMany(fixture, 0, DELIVERIES);
    const emitSeconds = (performance.now() - emitStarted) / 1000;
    const started = performance.now();
    let done = 0;
    const { cpu } = await measureCpu(
      () => Math.max(1, done),
      async () => {
        await fixture.hub.context.jobs.work();
        const deadline = started + MAX_DRAIN_SECONDS * 1000;
        while (done < DELIVERIES && performance.now() < deadline) {
          await sleep(50);
          done = await fixture.succeeded();
        }
      },
    );
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: done / seconds, emitPerSecond: DELIVERIES / emitSeconds, cpu };
  } finally {
    await fixture.dispose();
  }
}

/** The same bodies, signed by the same library and POSTed by `CONCURRENCY` workers over keep-alive sockets. */
async function bareTrial(receiver: Receiver): Promise<{ perSecond: number; cpu: CpuSplit }> {
  const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
  const signer = new Webhook(secret);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const bodies = Array.from({ length: DELIVERIES }, (_, i) =>
    JSON.stringify({ id: `evt_${i}`, type: 'custom.bench.order', version: 1, timestamp: new Date().toISOString(), source: 'api', data: payloadOf(i) }),
  );
  let next = 0;
  const started = performance.now();
  const { cpu } = await measureCpu(() => DELIVERIES, () => Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < DELIVERIES; i = next++) {
        const now = new Date();
        const response = await request(`${receiver.url}/bare`, {
          method: 'POST',
          dispatcher: agent,
          headers: {
            'content-type': 'application/json',
            'webhook-id': `evt_${i}`,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signer.sign(`evt_${i}`, now, bodies[i]!),
          },
          body: bodies[i],
        });
        await response.body.text();
        if (response.statusCode !== 200) throw new Error(`bare loop got ${response.statusCode}`);
      }
    }),
  ));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return { perSecond: DELIVERIES / seconds, cpu };
}

/** Events emitted one transaction each at a fixed rate while workers run; latency measured by the receiver. */
async function latencyTrial(serverUrl: string, dir: string, receiver: Receiver, rate: number): Promise<{ p50: number; p99: number; achievedRate: number }> {
  const fixture = await hubFixture(serverUrl, dir, receiver.url, '/latency');
  try {
    await fixture.hub.context.jobs.work();
    await receiver.reset();
    const total = rate * LATENCY_SECONDS;
    const started = performance.now();
    // Emitted as independent callers would (API requests, sync runs): each in its own transaction, several
    // at once on the pool, each started on schedule whether or not the previous one has committed.
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      while (inFlight.size >= EMITTERS) await Promise.race(inFlight);
      const emitted = fixture.hub.context.db
        .transaction((tx) => emitEvent(fixture.hub.context.jobs, tx, { workspaceId: fixture.workspaceId, type: 'custom.bench.order', source: 'api', payload: payloadOf(i) }))
        .finally(() => inFlight.delete(emitted));
      inFlight.add(emitted);
    }
    await Promise.all(inFlight);
    const achievedRate = total / ((performance.now() - started) / 1000);
    const deadline = performance.now() + MAX_DRAIN_SECONDS * 1000;
    let stats = await receiver.stats();
    while (stats.count < total && performance.now() < deadline) {
      await sleep(100);
      stats = await receiver.stats();
    }
    return { p50: stats.p50 ?? Number.NaN, p99: stats.p99 ?? Number.NaN, achievedRate };
  } finally {
    await fixture.dispose();
  }
}

const benchmark: Benchmark = {
  name: 'webhooks-delivery',
  description: `signed webhook deliveries per second to a local receiver (hub delivery jobs vs a bare sign-and-POST loop), and p50/p99 event-to-delivery latency at ${LATENCY_RATES.join(' and ')} events/s, on PostgreSQL`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    if (!ctx.postgresUrl) return { rows: [], notes: ['No PostgreSQL answered: this benchmark measures the PostgreSQL deployment only.'] };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-webhooks-'));
    const receiver = await startReceiverProcess(dir);
    const ours: number[] = [];
    const bare: number[] = [];
    const oursCpu: CpuSplit[] = [];
    const bareCpu: CpuSplit[] = [];
    const emits: number[] = [];
    const latency = new Map(LATENCY_RATES.map((rate) => [rate, { p50: [] as number[], p99: [] as number[], achieved: [] as number[] }]));
    try {
      for (let round = 0; round < ctx.rounds; round++) {
        const b = await bareTrial(receiver);
        const o = await oursTrial(ctx.postgresUrl, dir, receiver);
        bare.push(b.perSecond);
        bareCpu.push(b.cpu);
        ours.push(o.perSecond);
        oursCpu.push(o.cpu);
        emits.push(o.emitPerSecond);
        ctx.log(
          `round ${round + 1}: hub ${Math.round(o.perSecond)}/s (emitted ${Math.round(o.emitPerSecond)}/s), bare loop ${Math.round(b.perSecond)}/s; ` +
            `CPU per delivery: hub ${o.cpu.processMs.toFixed(3)} ms + PostgreSQL ${o.cpu.postgresMs?.toFixed(3) ?? '?'} ms, bare ${b.cpu.processMs.toFixed(3)} ms`,
        );
        for (const rate of LATENCY_RATES) {
          const measured = await latencyTrial(ctx.postgresUrl, dir, receiver, rate);
          const samples = latency.get(rate)!;
          samples.p50.push(measured.p50);
          samples.p99.push(measured.p99);
          samples.achieved.push(measured.achievedRate);
          ctx.log(`round ${round + 1}: asked ${rate}/s, emitted ${Math.round(measured.achievedRate)}/s, latency p50 ${measured.p50} ms, p99 ${measured.p99} ms`);
        }
      }
    } finally {
      receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const oursRow = row('hub delivery jobs on postgres', `drain ${DELIVERIES} deliveries`, 'deliveries/s', ours);
    const bareRow = row('bare sign + POST loop', `${DELIVERIES} deliveries`, 'deliveries/s', bare);
    compare(oursRow, bareRow, 'hub / bare loop');
    const rows: ResultRow[] = [
      oursRow,
      bareRow,
      row('hub process CPU', 'per delivery, during the drain', 'ms', oursCpu.map((c) => c.processMs)),
      ...(oursCpu.every((c) => c.postgresMs !== null) ? [row('PostgreSQL server CPU', 'per delivery, during the drain', 'ms', oursCpu.map((c) => c.postgresMs!))] : []),
      row('bare loop process CPU', 'per delivery', 'ms', bareCpu.map((c) => c.processMs)),
      row('hub emitEvent on postgres', `${DELIVERIES} events, ${EMIT_CHUNK} per transaction`, 'events/s', emits),
      ...[...latency].flatMap(([rate, samples]) => [
        row('hub event → delivery', `p50, events asked at ${rate}/s`, 'ms', samples.p50),
        row('hub event → delivery', `p99, events asked at ${rate}/s`, 'ms', samples.p99),
        row('hub emitEvent, one per transaction', `emitted when asked for ${rate}/s`, 'events/s', samples.achieved),
      ]),
    ];
    return {
      rows,
      notes: [
        `both subjects keep up to ${CONCURRENCY} deliveries in flight (hub: SWITCHBOARD_WEBHOOK_ENDPOINT_CONCURRENCY=${CONCURRENCY} for its one endpoint, fed by the delivery job's 8 fetch loops × 32; bare: ${CONCURRENCY} async workers on one undici Agent).`,
        'hub drain: events (with their delivery jobs) are queued first, then workers start; timed until every delivery row says succeeded (attempt logged, state committed).',
        'bare loop: the same bodies signed with standardwebhooks and POSTed with undici; no database.',
        `latency: ${LATENCY_SECONDS} s of events emitted one transaction each at a fixed rate by up to ${EMITTERS} concurrent callers, while workers run in the same process; the receiver (its own process) measures arrival minus the event's timestamp (the transaction's start). When the emitters cannot hold the rate, the achieved rate is the row beside it.`,
      ],
    };
  },
};

export default benchmark;
