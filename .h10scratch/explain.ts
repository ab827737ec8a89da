import { sql, type SQL } from 'drizzle-orm';
import { migrateDatabase, openDatabase, rowsOf } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/ids.ts';
import { upsertRecords } from '../src/syncs/store.ts';
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
const explaining = { execute: async (q: SQL) => { const r = await handle.db.execute(sql`explain (analyze, buffers) ${q}`); console.log(rowsOf<Record<string,string>>(r).map((x) => Object.values(x)[0]).join('\n')); return { rows: [] }; } } as any;
try {
  await migrateDatabase(handle);
  const ws = newId();
  await handle.db.execute(sql`insert into workspaces (id, slug, name) values (${ws}::uuid, 'bench', 'Bench')`);
  const integ = newId();
  const scope = { workspaceId: ws, integrationId: integ, model: 'Order', runId: null, trackSeen: false, now: new Date() };
  for (let i = 0; i < N - B; i += B) await upsertRecords(handle.db, scope, first.slice(i, i + B));
  console.log('=== LOAD batch'); await upsertRecords(explaining, scope, first.slice(N - B));
  for (let i = 0; i < N - B; i += B) await upsertRecords(handle.db, scope, second.slice(i, i + B));
  console.log('=== RESYNC batch'); await upsertRecords(explaining, scope, second.slice(N - B));
} finally { await handle.close(); await db0.drop(); }
