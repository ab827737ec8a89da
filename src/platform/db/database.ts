// Opens the hub's database: embedded PGlite in a data directory (held by a lock file), or PostgreSQL.
// Both speak the same SQL and apply the same migration set, so every capability is written once.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import * as tables from './tables.ts';

export type Tables = typeof tables;
export type Db = PgDatabase<PgQueryResultHKT, Tables>;
export type Tx = PgTransaction<PgQueryResultHKT, Tables, ExtractTablesWithRelations<Tables>>;
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any fixed number works; it only has to be the same for every process migrating one database.
const MIGRATION_LOCK_ID = 4_206_917;

export type DatabaseHandle =
  | { kind: 'pglite'; db: Db; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Db; pool: pg.Pool; connectionString: string; close(): Promise<void> };

export class DataDirectoryLockedError extends Error {
  override name = 'DataDirectoryLockedError';
}

// node-postgres returns int8 as strings by default; the schema reads bigints as numbers on both drivers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client that loses its connection emits 'error'; without a listener Node would crash.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema: tables }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      pool,
      connectionString: options.databaseUrl,
      close: () => pool.end(),
    };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const release = await lockDataDirectory(options.dataDir);
  try {
    const pglite = await PGlite.create({ dataDir: path.join(options.dataDir, 'pglite') });
    const db = drizzlePglite(pglite, { schema: tables }) as unknown as Db;
    return {
      kind: 'pglite',
      db,
      pglite,
      close: async () => {
        await pglite.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * PGlite has no lock of its own: two processes on one directory silently lose rows. The lock is a
 * folder beside the database whose mtime the holder refreshes; a crashed holder's lock goes stale.
 */
async function lockDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, 'switchboard.lock'),
      stale: 10_000,
      update: 2_000,
      realpath: false,
      onCompromised: (error) => {
        // Another process took the directory over (our updates stalled for longer than `stale`):
        // continuing would corrupt the database, so stop at once.
        console.error(`Switchboard lost the lock on ${dataDir}: ${error.message}. Stopping to protect the data.`);
        process.exit(70);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DataDirectoryLockedError(
        `The data directory ${dataDir} is in use by another Switchboard process. ` +
          'Stop that process first, or give this one its own directory with SWITCHBOARD_DATA_DIR. ' +
          '(If the other process crashed, its lock expires within 10 seconds.) ' +
          'To run several processes on one database, use PostgreSQL: set DATABASE_URL.',
      );
    }
    throw error;
  }
}

/** Applies the migration set. On PostgreSQL an advisory lock lets many processes start at once. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await handle.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg(client, { schema: tables }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    client.release();
  }
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** The rows of a raw `db.execute(sql…)` result; both drivers return them under `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
