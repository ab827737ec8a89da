import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/ids.ts';
import { contentHash, upsertRecords } from '../src/syncs/store.ts';
import { createPostgresDatabase } from '../bench/harness.ts';

const N = 20000, B = 500;
function makeRecord(i: number, version: number) {
  return { externalId: `order-${i}`, data: { id: i, status: version % 2 === 0 ? 'processing' : 'completed', total: (i * 1.37).toFixed(2), currency: 'EUR',
    customer: { id: i % 997, email: `customer${i % 997}@example.test`, name: `Customer ${i % 997}` },
    line_items: [ { sku: `SKU-${i % 50}`, quantity: 1 + (i % 3), price: '12.50' }, { sku: `SKU-${(i + 7) % 50}`, quantity: 1, price: '4.20' } ], version } };
}
const first = Array.from({ length: N }, (_, i) => makeRecord(i, 0));
const second = Array.from({ length: N }, (_, i) => makeRecord(i, i % 10 === 0 ? 1 : 0));
const db0 = await createPostgresDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'h10prof');
const handle = await openDatabase({ databaseUrl: db0.url, dataDir: '/tmp' });
try {
  await migrateDatabase(handle);
  const ws = newId();
  await handle.db.execute(sql`insert into workspaces (id, slug, name) values (${ws}::uuid, 'bench', 'Bench')`);
  let t = performance.now();
  for (const r of first) contentHash(r.data);
  console.log('hash 20k ms', performance.now() - t);
  t = performance.now();
  for (let i = 0; i < N; i += B) JSON.stringify(first.slice(i, i + B));
  console.log('stringify 20k ms', performance.now() - t);
  const integ = newId();
  const scope = { workspaceId: ws, integrationId: integ, model: 'Order', runId: null, trackSeen: false, now: new Date() };
  t = performance.now();
  for (let i = 0; i < N; i += B) await upsertRecords(handle.db, scope, first.slice(i, i + B));
  console.log('ours load /s', N / ((performance.now() - t) / 1000));
  t = performance.now();
  for (let i = 0; i < N; i += B) await upsertRecords(handle.db, scope, second.slice(i, i + B));
  console.log('ours resync /s', N / ((performance.now() - t) / 1000));
  if (process.env.EXPLAIN) {
    const { Client } = (await import('pg')).default;
    // capture the SQL by auto_explain-ish: use session setting
    const c = new Client({ connectionString: db0.url }); await c.connect();
    await c.query(`load 'auto_explain'`).catch((e) => console.log('no auto_explain', e.message));
    await c.end();
  }
} finally { await handle.close(); await db0.drop(); }
