// The database backends a suite runs against: always the embedded PGlite, and PostgreSQL as well when
// TEST_DATABASE_URL points at a server (CI sets it). Each opened database is new and empty.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, migrateDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';

/** A fixed master key for hubs on PostgreSQL in tests (the embedded database generates its own). */
export const TEST_MASTER_KEY = 'test:' + Buffer.alloc(32, 7).toString('base64');

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Settings to give a hub process that should use this database. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

export const pgliteBackend: Backend = {
  name: 'pglite',
  async create({ migrate = true } = {}) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
    const handle = await openDatabase({ dataDir });
    if (migrate) await migrateDatabase(handle);
    return {
      handle,
      env: { SWITCHBOARD_DATA_DIR: dataDir },
      async dispose() {
        await handle.close().catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** A new database on the TEST_DATABASE_URL server, dropped on dispose. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sb_test_${newId().replaceAll('-', '').slice(-16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const postgresBackend: Backend = {
  name: 'postgres',
  async create({ migrate = true } = {}) {
    const database = await createPostgresDatabase();
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: os.tmpdir() });
    if (migrate) await migrateDatabase(handle);
    return {
      handle,
      env: { DATABASE_URL: database.url, SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY },
      async dispose() {
        await handle.close().catch(() => {});
        await database.drop();
      },
    };
  },
};

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. Use with describe.each. */
export const backends: Backend[] = process.env.TEST_DATABASE_URL ? [pgliteBackend, postgresBackend] : [pgliteBackend];
