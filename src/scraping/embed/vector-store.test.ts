// Both places vectors can live: the portable real[] column on every backend, and pgvector where the
// database has it (PGlite 0.4, a test-only dependency: the PGlite the hub runs on ships no pgvector).
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { PGlite as PGliteWithVector } from 'pglite-pgvector';
import { vector } from 'pglite-pgvector/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import { rowsOf, type Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { LEXICAL_MODEL, lexicalEmbedding } from './lexical.ts';
import { prepareVectorStore, type VectorStore } from './vector-store.ts';

const TEXTS = ['copper widget price list', 'glacier tours at dawn', 'copper kettle and widget catalogue'];

async function nearest(db: Db, store: VectorStore, workspaceId: string, query: string): Promise<string[]> {
  const vector = lexicalEmbedding(query);
  const rows = rowsOf<{ content_hash: string; similarity: number }>(
    await db.execute(sql`
      select e.content_hash, ${store.similarity(vector)} as similarity from scrape_embeddings e
      where e.workspace_id = ${workspaceId} and e.model = ${LEXICAL_MODEL}
      order by ${store.distance(vector)} limit 3`),
  );
  return rows.map((row) => row.content_hash);
}

async function exercise(db: Db, store: VectorStore) {
  const workspaceId = newId();
  await db.execute(sql`insert into workspaces (id, slug, name) values (${workspaceId}, ${`ws-${workspaceId.slice(-8)}`}, 'Vectors')`);
  await store.upsert(db, TEXTS.map((text) => ({ workspaceId, model: LEXICAL_MODEL, contentHash: text, vector: lexicalEmbedding(text) })));
  // Stored again: kept once.
  await store.upsert(db, [{ workspaceId, model: LEXICAL_MODEL, contentHash: TEXTS[0]!, vector: lexicalEmbedding(TEXTS[0]!) }]);
  expect([...(await store.existing(db, workspaceId, LEXICAL_MODEL, [TEXTS[0]!, 'missing']))]).toEqual([TEXTS[0]]);
  const ranked = await nearest(db, store, workspaceId, 'copper widget');
  expect(ranked.slice(0, 2).sort()).toEqual([TEXTS[0], TEXTS[2]].sort());
  expect(ranked[2]).toBe(TEXTS[1]);
}

describe.each(backends)('portable vectors on $name', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('uses a real[] column with cosine similarity in SQL when pgvector is missing or not wanted', async () => {
    const store = await prepareVectorStore(database.handle.db, 'portable');
    expect(store.kind).toBe('portable');
    await exercise(database.handle.db, store);
    // Start-up is repeatable: the column exists, and auto finds no pgvector on these servers.
    expect((await prepareVectorStore(database.handle.db, 'auto')).kind).toBe('portable');
  });

  it('refuses to start when pgvector is required and absent, naming the fix', async () => {
    await expect(prepareVectorStore(database.handle.db, 'pgvector')).rejects.toThrow(/SWITCHBOARD_SCRAPE_VECTORS=auto/);
  });
});

describe('pgvector vectors (PGlite with the vector extension)', () => {
  let pglite: PGliteWithVector;
  let db: Db;
  beforeAll(async () => {
    pglite = await PGliteWithVector.create({ extensions: { vector } });
    db = drizzle(pglite as never) as unknown as Db;
    await migrate(db as never, { migrationsFolder: new URL('../../platform/db/migrations', import.meta.url).pathname });
  });
  afterAll(async () => {
    await pglite?.close();
  });

  it('creates the extension, a vector column and an HNSW index, and ranks by cosine distance', async () => {
    const store = await prepareVectorStore(db, 'auto');
    expect(store.kind).toBe('pgvector');
    const index = rowsOf<{ indexdef: string }>(await db.execute(sql`select indexdef from pg_indexes where indexname = 'scrape_embeddings_lexical_hnsw'`));
    expect(index[0]?.indexdef).toMatch(/hnsw/);
    await exercise(db, store);
  });

  it('converts vectors stored while pgvector was missing, and back', async () => {
    const portable = await prepareVectorStore(db, 'portable');
    expect(portable.kind).toBe('portable');
    const count = async () => Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from scrape_embeddings where embedding is not null`))[0]!.n);
    const before = await count();
    expect((await prepareVectorStore(db, 'pgvector')).kind).toBe('pgvector');
    expect(await count()).toBe(before);
  });
});
