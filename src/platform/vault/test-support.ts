// Shared set-up for the vault's tests: a database with the vault's tables, workspaces, random master keys.
import { randomBytes } from 'node:crypto';
import type { Backend, TestDatabase } from '../../../test/support/databases.ts';
import type { Db } from '../db/database.ts';
import { workspaces } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { masterKey, type MasterKey } from './keyring.ts';
import { ensureVaultTables } from './migration.ts';

export async function openVaultDatabase(backend: Backend): Promise<TestDatabase> {
  const database = await backend.create();
  await ensureVaultTables(database.handle.db);
  return database;
}

export async function createWorkspaces(db: Db, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId());
  await db.insert(workspaces).values(ids.map((id) => ({ id, slug: `ws-${id}`, name: `Workspace ${id}` })));
  return ids;
}

export function randomMasterKey(id: string): MasterKey {
  return masterKey(id, randomBytes(32));
}

/** Every textual form an error takes on its way into a log line or an API response. */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    texts.push(current.message, String(current.stack), JSON.stringify(current), JSON.stringify({ ...current }));
  }
  return texts;
}
