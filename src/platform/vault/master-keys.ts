// The keyring as the vault uses it (keys as KeyObjects, by id) and its registration in vault_master_keys,
// which is how a process learns that its SWITCHBOARD_MASTER_KEY disagrees with the one the data was written with.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { inArray, or } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { VaultKeyringError } from './errors.ts';
import { fingerprintOf, validateKeyring, type Keyring } from './keyring.ts';
import { vaultMasterKeys } from './tables.ts';

export interface LoadedMasterKey {
  id: string;
  key: KeyObject;
  fingerprint: string;
}

export interface LoadedKeyring {
  active: LoadedMasterKey;
  byId: ReadonlyMap<string, LoadedMasterKey>;
}

/** Copies the keys into KeyObjects, so later changes to the caller's buffers change nothing here. */
export function loadKeyring(keyring: Keyring): LoadedKeyring {
  const valid = validateKeyring(keyring);
  const load = ({ id, key }: { id: string; key: Buffer }): LoadedMasterKey => ({
    id,
    key: createSecretKey(key),
    fingerprint: fingerprintOf(key),
  });
  const active = load(valid.active);
  const byId = new Map<string, LoadedMasterKey>([[active.id, active]]);
  for (const entry of valid.previous) byId.set(entry.id, load(entry));
  return { active, byId };
}

/** `k2 (active), k1` — ids only, for messages. */
export function keyringIds(keyring: LoadedKeyring): string {
  return [...keyring.byId.keys()].map((id) => (id === keyring.active.id ? `${id} (active)` : id)).join(', ');
}

/**
 * Records each key of the keyring (id and fingerprint) the first time it is seen, and checks the ones
 * already recorded. States are left to rotation: a key first seen as active starts active, one first
 * seen as previous starts retiring, and nothing else changes here.
 */
export async function registerMasterKeys(db: Db, keyring: LoadedKeyring): Promise<void> {
  const keys = [...keyring.byId.values()];
  await db
    .insert(vaultMasterKeys)
    .values(
      keys.map((key) => ({
        id: key.id,
        fingerprint: key.fingerprint,
        state: key.id === keyring.active.id ? ('active' as const) : ('retiring' as const),
      })),
    )
    .onConflictDoNothing();
  const rows = await db
    .select({ id: vaultMasterKeys.id, fingerprint: vaultMasterKeys.fingerprint })
    .from(vaultMasterKeys)
    .where(
      or(
        inArray(
          vaultMasterKeys.id,
          keys.map((key) => key.id),
        ),
        inArray(
          vaultMasterKeys.fingerprint,
          keys.map((key) => key.fingerprint),
        ),
      ),
    );
  for (const key of keys) {
    const sameId = rows.find((row) => row.id === key.id);
    if (sameId && sameId.fingerprint !== key.fingerprint) {
      throw new VaultKeyringError(
        'fingerprint_mismatch',
        `Master key '${key.id}' is not the key this database knows under that id (the fingerprints differ). ` +
          `Restore the original key for '${key.id}'; a new key needs a new id.`,
      );
    }
    const sameKey = rows.find((row) => row.fingerprint === key.fingerprint && row.id !== key.id);
    if (sameKey) {
      throw new VaultKeyringError(
        'fingerprint_mismatch',
        `The key given as '${key.id}' is registered in this database as '${sameKey.id}': list it under the id '${sameKey.id}'.`,
      );
    }
  }
}
