// Records per second through the records store on PostgreSQL (content-hash dedup, change history, one
// statement per batch) against a bare batched `INSERT … ON CONFLICT DO UPDATE` of the same rows into a table
// of the same shape without hash or history, in the same run. Two passes each: a first load (every record
// new) and a re-sync where 10 % of the records changed (the others must cost no write on our side).
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/ids.ts';
import { upsertRecords } from '../src/syncs/store.ts';
import { compare, createPostgresDatabase, row, type BenchContext, type BenchResult, type Benchmark } from './harness.ts';

const RECORDS = Number(process.env.BENCH_SYNC_RECORDS ?? 20_000);
const BATCH = Number(process.env.BENCH_SYNC_BATCH ?? 500);

function makeRecord(i: number, version: number) {
  return {
    externalId: `order-${i}`,
    data: {
      id: i,
      status: version % 2 === 0 ? 'processing' : 'completed',
      total: (i * 1.37).toFixed(2),
      currency: 'EUR',
      customer: { id: i % 997, email: `customer${i % 997}@example.test`, name: `Customer ${i % 997}` },
      line_items: [
        { sku: `SKU-${i % 50}`, quantity: 1 + (i % 3), price: '12.50' },
        { sku: `SKU-${(i + 7) % 50}`, quantity: 1, price: '4.20' },
      ],
      version,
    },
  };
}

/** Each pass's records: version 0 for all, then version 1 for every tenth. */
function pass(changedEvery: number, version: number) {
  return Array.from({ length: RECORDS }, (_, i) => makeRecord(i, i % changedEvery === 0 ? version : 0));
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function runOurs(handle: DatabaseHandle, workspaceId: string, records: ReturnType<typeof pass>, integrationId: string): Promise<void> {
  const scope = { workspaceId, integrationId, model: 'Order', runId: null, trackSeen: false, now: new Date() };
  for (let i = 0; i < records.length; i += BATCH) await upsertRecords(handle.db, scope, records.slice(i, i + BATCH));
}

async function runBare(handle: DatabaseHandle, workspaceId: string, records: ReturnType<typeof pass>, integrationId: string): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) {
    const input = JSON.stringify(records.slice(i, i + BATCH).map((record) => ({ i: record.externalId, d: record.data })));
    await handle.db.execute(sql`
      insert into bench_bare_records (workspace_id, integration_id, model, external_id, data, updated_at)
      select ${workspaceId}::uuid, ${integrationId}::uuid, 'Order', e->>'i', e->'d', now() from jsonb_array_elements(${input}::jsonb) e
      on conflict (workspace_id, integration_id, model, external_id) do update set data = excluded.data, updated_at = excluded.updated_at`);
  }
}

const benchmark: Benchmark = {
  name: 'syncs-records',
  description: `records store upserts (dedup by content hash + history) vs a bare batched INSERT … ON CONFLICT, ${RECORDS} records in batches of ${BATCH}, PostgreSQL`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    if (!ctx.postgresUrl) return { rows: [], notes: ['Skipped: needs PostgreSQL (BENCH_DATABASE_URL).'] };
    const database = await createPostgresDatabase(ctx.postgresUrl, 'bench_syncs');
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '/tmp' });
    try {
      await migrateDatabase(handle);
      const workspaceId = newId();
      await handle.db.execute(sql`insert into workspaces (id, slug, name) values (${workspaceId}::uuid, 'bench', 'Bench')`);
      await handle.db.execute(sql`create table bench_bare_records (workspace_id uuid not null, integration_id uuid not null, model text not null,
        external_id text not null, data jsonb not null, updated_at timestamptz not null, primary key (workspace_id, integration_id, model, external_id))`);
      const first = pass(1, 0);
      const second = pass(10, 1);
      const samples = { oursLoad: [] as number[], bareLoad: [] as number[], oursResync: [] as number[], bareResync: [] as number[] };
      for (let round = 0; round < ctx.rounds; round++) {
        const ours = newId();
        const bare = newId();
        // Back to back, alternating which goes first, so load from neighbours hits both sides.
        const order = round % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours'];
        for (const which of order) {
          if (which === 'ours') samples.oursLoad.push(RECORDS / (await timed(() => runOurs(handle, workspaceId, first, ours))));
          else samples.bareLoad.push(RECORDS / (await timed(() => runBare(handle, workspaceId, first, bare))));
        }
        for (const which of order) {
          if (which === 'ours') samples.oursResync.push(RECORDS / (await timed(() => runOurs(handle, workspaceId, second, ours))));
          else samples.bareResync.push(RECORDS / (await timed(() => runBare(handle, workspaceId, second, bare))));
        }
        ctx.log(`round ${round + 1}: load ${Math.round(samples.oursLoad.at(-1)!)} vs ${Math.round(samples.bareLoad.at(-1)!)} /s; re-sync ${Math.round(samples.oursResync.at(-1)!)} vs ${Math.round(samples.bareResync.at(-1)!)} /s`);
      }
      const bareLoad = row('bare INSERT … ON CONFLICT', 'first load', 'records/s', samples.bareLoad);
      const bareResync = row('bare INSERT … ON CONFLICT', 're-sync, 10 % changed', 'records/s', samples.bareResync);
      const oursLoad = compare(row('records store (hash + history)', 'first load', 'records/s', samples.oursLoad), bareLoad, 'ours / bare');
      const oursResync = compare(row('records store (hash + history)', 're-sync, 10 % changed', 'records/s', samples.oursResync), bareResync, 'ours / bare');
      return {
        rows: [oursLoad, bareLoad, oursResync, bareResync],
        notes: [
          `Both sides send each batch of ${BATCH} as one jsonb parameter expanded with jsonb_array_elements, in one statement per batch, on one connection.`,
          'Ours also hashes each record (SHA-256 of canonical JSON, in Node), skips unchanged ones in the ON CONFLICT … WHERE, writes a history row per change from the upsert\'s RETURNING and renumbers the paging sequence, into two tables (2 + 3 indexes, a workspace foreign key each); the bare loop rewrites every row of one table with one index.',
        ],
      };
    } finally {
      await handle.close();
      await database.drop();
    }
  },
};

export default benchmark;
