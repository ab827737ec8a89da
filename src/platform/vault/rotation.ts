// Online master-key rotation (`switchboard keys rotate`): re-wraps every data key under the keyring's active
// master key in small transactions while the hub keeps serving, then retires master keys that wrap nothing.
import { and, eq, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { unwrapDataKey, wrapAad, wrapDataKey } from './envelope.ts';
import { VaultKeyringError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import { loadKeyring, registerMasterKeys } from './master-keys.ts';
import { vaultDataKeys, vaultMasterKeys } from './tables.ts';

export interface RotateMasterKeyOptions {
  db: Db;
  /** The new key as active, every key that may still wrap data keys as previous. */
  keyring: Keyring;
  /**
   * Data keys re-wrapped per transaction. Default 100: each transaction holds its rows' locks (and, on
   * PGlite, the whole database) for a few milliseconds, so requests wait at most that long.
   */
  batchSize?: number;
  /** Stops between batches; everything committed so far stays, and the next run continues from there. */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
}

export interface RotationProgress {
  rewrapped: number;
  batches: number;
  /** Data keys still under an older master key, as counted at the start minus those done since. */
  remaining: number;
}

export interface RotationFailure {
  dataKeyId: string;
  workspaceId: string;
  masterKeyId: string;
  reason: 'master_key_missing' | 'master_key_mismatch';
}

export interface RotationResult {
  activeMasterKeyId: string;
  /** Data keys this run moved to the active master key. */
  rewrapped: number;
  batches: number;
  /** Data keys that were under the active master key before this run started. */
  alreadyCurrent: number;
  /** Data keys that could not be unwrapped; they are left as they were, with their master key. */
  failed: RotationFailure[];
  /** Master keys that wrap no data key any more, now marked retired: they can leave the keyring. */
  retiredMasterKeyIds: string[];
  /** Master keys other than the active one that still wrap data keys (because of `failed`, or writers with an old keyring). */
  remainingMasterKeyIds: string[];
  /** True when every data key is under the active master key: the previous keys can be removed. */
  complete: boolean;
}

// Writers still configured with an old active key can add data keys under it while a rotation runs; each
// round re-wraps those, and retirement (under a row lock they must share) stops new ones. Two rounds settle
// it unless such writers keep going, in which case the result says what is left.
const MAX_ROUNDS = 3;

/**
 * Idempotent and resumable: progress is the data itself (each data key records its master key), so an
 * interrupted run loses at most its uncommitted batch and the next run continues; a finished one does nothing.
 * Request paths never block on it: decryption reads a data key row without locks and sees either the old
 * wrapping or the new one, and the keyring opens both.
 */
export async function rotateMasterKey(options: RotateMasterKeyOptions): Promise<RotationResult> {
  const { db } = options;
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const keyring = loadKeyring(options.keyring);
  const active = keyring.active;
  await registerMasterKeys(db, keyring);

  const counts = await db
    .select({ masterKeyId: vaultDataKeys.masterKeyId, count: sql<number>`count(*)::int` })
    .from(vaultDataKeys)
    .groupBy(vaultDataKeys.masterKeyId);
  const unknown = counts.filter((row) => !keyring.byId.has(row.masterKeyId));
  if (unknown.length > 0) {
    const list = unknown.map((row) => `${row.count} under '${row.masterKeyId}'`).join(', ');
    throw new VaultKeyringError(
      'master_key_missing',
      `Data keys are wrapped by master keys missing from the keyring (${list}). Add ${unknown.length === 1 ? 'it' : 'them'} ` +
        'to SWITCHBOARD_MASTER_KEY after the active key and run the rotation again. Nothing was changed.',
    );
  }
  const alreadyCurrent = counts.find((row) => row.masterKeyId === active.id)?.count ?? 0;
  let remaining = counts.reduce((sum, row) => sum + (row.masterKeyId === active.id ? 0 : row.count), 0);

  // From here on new data keys, from any process with this keyring, are wrapped by the new key only.
  await db.transaction(async (tx) => {
    await tx.update(vaultMasterKeys).set({ state: 'active', retiredAt: null }).where(eq(vaultMasterKeys.id, active.id));
    await tx
      .update(vaultMasterKeys)
      .set({ state: 'retiring' })
      .where(and(ne(vaultMasterKeys.id, active.id), eq(vaultMasterKeys.state, 'active')));
  });

  const failed: RotationFailure[] = [];
  const retiredMasterKeyIds: string[] = [];
  let remainingMasterKeyIds: string[] = [];
  let rewrapped = 0;
  let batches = 0;

  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (;;) {
      options.signal?.throwIfAborted();
      const skip = failed.map((failure) => failure.dataKeyId);
      const batch = await db.transaction(async (tx) => {
        // FOR UPDATE, not SKIP LOCKED: a concurrent run or data key rotation holding a row makes this wait a
        // moment instead of skipping rows, so an empty batch really means nothing is left.
        const rows = await tx
          .select()
          .from(vaultDataKeys)
          .where(and(ne(vaultDataKeys.masterKeyId, active.id), skip.length > 0 ? notInArray(vaultDataKeys.id, skip) : undefined))
          .orderBy(vaultDataKeys.id)
          .limit(batchSize)
          .for('update');
        const problems: RotationFailure[] = [];
        let done = 0;
        for (const row of rows) {
          const from = keyring.byId.get(row.masterKeyId);
          const failure = { dataKeyId: row.id, workspaceId: row.workspaceId, masterKeyId: row.masterKeyId };
          if (!from) {
            // Created during this run by a process whose keyring has a key this one lacks.
            problems.push({ ...failure, reason: 'master_key_missing' });
            continue;
          }
          let raw: Buffer;
          try {
            raw = unwrapDataKey(from.key, row.wrappedKey, wrapAad(row, row.masterKeyId));
          } catch {
            problems.push({ ...failure, reason: 'master_key_mismatch' });
            continue;
          }
          try {
            await tx
              .update(vaultDataKeys)
              .set({
                wrappedKey: wrapDataKey(active.key, raw, wrapAad(row, active.id)),
                masterKeyId: active.id,
                rewrappedAt: sql`now()`,
              })
              .where(eq(vaultDataKeys.id, row.id));
          } finally {
            raw.fill(0);
          }
          done++;
        }
        return { selected: rows.length, done, problems };
      });
      if (batch.selected === 0) break;
      failed.push(...batch.problems);
      rewrapped += batch.done;
      remaining = Math.max(0, remaining - batch.selected);
      batches++;
      await options.onProgress?.({ rewrapped, batches, remaining });
    }

    const retirement = await retireUnusedMasterKeys(db, active.id);
    retiredMasterKeyIds.push(...retirement.retired);
    remainingMasterKeyIds = retirement.stillWrapping.map((entry) => entry.id);
    const leftOver = retirement.stillWrapping.reduce((sum, entry) => sum + entry.count, 0);
    // Only the known failures remain: another round would only meet them again.
    if (leftOver <= failed.length) break;
  }

  return {
    activeMasterKeyId: active.id,
    rewrapped,
    batches,
    alreadyCurrent,
    failed,
    retiredMasterKeyIds,
    remainingMasterKeyIds,
    complete: failed.length === 0 && remainingMasterKeyIds.length === 0,
  };
}

/**
 * Marks retired each non-active master key that wraps no data key. Its row is locked first: a process
 * creating a data key share-locks its active master key's row, so either that insert is counted here, or
 * it waits, sees 'retired' and fails loudly instead of wrapping a key with a master key about to be removed.
 */
async function retireUnusedMasterKeys(db: Db, activeId: string) {
  const candidates = await db
    .select({ id: vaultMasterKeys.id })
    .from(vaultMasterKeys)
    .where(and(ne(vaultMasterKeys.id, activeId), ne(vaultMasterKeys.state, 'retired')))
    .orderBy(vaultMasterKeys.id);
  const retired: string[] = [];
  const stillWrapping: { id: string; count: number }[] = [];
  for (const { id } of candidates) {
    await db.transaction(async (tx) => {
      await tx.select({ id: vaultMasterKeys.id }).from(vaultMasterKeys).where(eq(vaultMasterKeys.id, id)).for('update');
      const [row] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(vaultDataKeys)
        .where(eq(vaultDataKeys.masterKeyId, id));
      const count = row?.count ?? 0;
      if (count > 0) {
        stillWrapping.push({ id, count });
        return;
      }
      await tx.update(vaultMasterKeys).set({ state: 'retired', retiredAt: sql`now()` }).where(eq(vaultMasterKeys.id, id));
      retired.push(id);
    });
  }
  return { retired, stillWrapping };
}
