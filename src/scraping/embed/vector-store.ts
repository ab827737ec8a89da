// Where vectors live: pgvector's `vector` column (with an HNSW index for the lexical model) where the
// database has the extension, else a portable `real[]` column with cosine similarity computed in SQL. The
// column is created here at start-up, not by a migration, so both backends share one migration set.
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Queryable } from '../../platform/db/database.ts';
import { LEXICAL_DIMENSIONS } from './lexical.ts';

export type VectorMode = 'auto' | 'pgvector' | 'portable';

export interface VectorStore {
  kind: 'pgvector' | 'portable';
  /** Stores vectors by (workspace, model, content hash); existing ones are kept. */
  upsert(tx: Queryable, rows: { workspaceId: string; model: string; contentHash: string; vector: number[] }[]): Promise<void>;
  /** Which of these hashes already have a vector of this model in the workspace. */
  existing(db: Queryable, workspaceId: string, model: string, hashes: string[]): Promise<Set<string>>;
  /** SQL for the similarity of `e.embedding` to the query vector (1 = same direction). */
  similarity(query: number[]): SQL;
  /** SQL to order by (ascending) for nearest first; uses the index where there is one. */
  distance(query: number[]): SQL;
}

// Serialises start-up DDL across processes starting at once (any fixed number; distinct from the migrator's).
const VECTOR_DDL_LOCK = 4_206_918;

export async function prepareVectorStore(db: Db, mode: VectorMode): Promise<VectorStore> {
  const kind = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${VECTOR_DDL_LOCK})`);
    let hasVector = false;
    if (mode !== 'portable') {
      hasVector = await tryCreateExtension(tx);
      if (!hasVector && mode === 'pgvector') {
        throw new Error(
          'SWITCHBOARD_SCRAPE_VECTORS=pgvector, but the database has no pgvector extension (CREATE EXTENSION vector failed). ' +
            'Install pgvector on the server, or set SWITCHBOARD_SCRAPE_VECTORS=auto to use the portable real[] column.',
        );
      }
    }
    const current = await columnType(tx);
    if (hasVector) {
      if (current === null) await tx.execute(sql`alter table scrape_embeddings add column embedding vector`);
      // Vectors stored while pgvector was missing are converted, so search keeps finding them.
      else if (current !== 'vector') await tx.execute(sql`alter table scrape_embeddings alter column embedding type vector using embedding::vector`);
      await tx.execute(
        sql.raw(
          `create index if not exists scrape_embeddings_lexical_hnsw on scrape_embeddings ` +
            `using hnsw ((embedding::vector(${LEXICAL_DIMENSIONS})) vector_cosine_ops) where dimensions = ${LEXICAL_DIMENSIONS}`,
        ),
      );
      return 'pgvector' as const;
    }
    if (current === null) await tx.execute(sql`alter table scrape_embeddings add column embedding real[]`);
    else if (current === 'vector') {
      await tx.execute(sql`drop index if exists scrape_embeddings_lexical_hnsw`);
      await tx.execute(sql`alter table scrape_embeddings alter column embedding type real[] using embedding::real[]`);
    }
    return 'portable' as const;
  });
  return kind === 'pgvector' ? pgvectorStore() : portableStore();
}

/** Creates pgvector if the server has it; a failure (not installed, no privilege) leaves the transaction usable. */
async function tryCreateExtension(tx: Queryable): Promise<boolean> {
  const installed = rowsOf<{ installed: boolean }>(
    await tx.execute(sql`select exists(select 1 from pg_extension where extname = 'vector') as installed`),
  )[0]?.installed;
  if (installed) return true;
  const available = rowsOf<{ available: boolean }>(
    await tx.execute(sql`select exists(select 1 from pg_available_extensions where name = 'vector') as available`),
  )[0]?.available;
  if (!available) return false;
  try {
    await tx.execute(sql`savepoint vector_extension`);
    await tx.execute(sql`create extension if not exists vector`);
    await tx.execute(sql`release savepoint vector_extension`);
    return true;
  } catch {
    await tx.execute(sql`rollback to savepoint vector_extension`);
    return false;
  }
}

async function columnType(tx: Queryable): Promise<string | null> {
  const rows = rowsOf<{ udt_name: string }>(
    await tx.execute(sql`
      select udt_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'scrape_embeddings' and column_name = 'embedding'`),
  );
  const type = rows[0]?.udt_name;
  return type === undefined ? null : type === '_float4' ? 'real[]' : type;
}

const literal = (vector: number[]) => `[${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
const arrayLiteral = (vector: number[]) => `{${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}}`;

async function existingHashes(db: Queryable, workspaceId: string, model: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = rowsOf<{ content_hash: string }>(
    await db.execute(sql`
      select content_hash from scrape_embeddings
      where workspace_id = ${workspaceId} and model = ${model} and content_hash = any(${`{${hashes.join(',')}}`}::text[])`),
  );
  return new Set(rows.map((row) => row.content_hash));
}

function insertRows(tx: Queryable, rows: { workspaceId: string; model: string; contentHash: string; vector: number[] }[], cast: 'vector' | 'real[]') {
  if (rows.length === 0) return Promise.resolve();
  const values = rows.map(
    (row) =>
      sql`(${row.workspaceId}::uuid, ${row.model}, ${row.contentHash}, ${row.vector.length}, ${cast === 'vector' ? literal(row.vector) : arrayLiteral(row.vector)}::${sql.raw(cast)})`,
  );
  return tx.execute(sql`
    insert into scrape_embeddings (workspace_id, model, content_hash, dimensions, embedding)
    values ${sql.join(values, sql`, `)}
    on conflict do nothing`);
}

function pgvectorStore(): VectorStore {
  return {
    kind: 'pgvector',
    upsert: async (tx, rows) => {
      await insertRows(tx, rows, 'vector');
    },
    existing: existingHashes,
    // The lexical model's vectors go through the HNSW index (it is built on the 384-dimension cast).
    similarity: (query) =>
      query.length === LEXICAL_DIMENSIONS
        ? sql`(1 - (e.embedding::vector(${sql.raw(String(LEXICAL_DIMENSIONS))}) <=> ${literal(query)}::vector(${sql.raw(String(LEXICAL_DIMENSIONS))})))`
        : sql`(1 - (e.embedding <=> ${literal(query)}::vector))`,
    distance: (query) =>
      query.length === LEXICAL_DIMENSIONS
        ? sql`(e.embedding::vector(${sql.raw(String(LEXICAL_DIMENSIONS))}) <=> ${literal(query)}::vector(${sql.raw(String(LEXICAL_DIMENSIONS))}))`
        : sql`(e.embedding <=> ${literal(query)}::vector)`,
  };
}

function portableStore(): VectorStore {
  // Vectors are stored at unit length, so the dot product is the cosine similarity.
  const dot = (query: number[]) => sql`(select coalesce(sum(a * b), 0) from unnest(e.embedding, ${arrayLiteral(query)}::real[]) as t(a, b))`;
  return {
    kind: 'portable',
    upsert: async (tx, rows) => {
      await insertRows(tx, rows, 'real[]');
    },
    existing: existingHashes,
    similarity: dot,
    distance: (query) => sql`(1 - ${dot(query)})`,
  };
}
