import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import type { Db } from '../db/database.ts';
import { VaultDecryptError, VaultKeyringError } from './errors.ts';
import type { MasterKey } from './keyring.ts';
import { rotateMasterKey, type RotationProgress } from './rotation.ts';
import { vaultDataKeys, vaultMasterKeys } from './tables.ts';
import { createWorkspaces, errorTexts, openVaultDatabase, randomMasterKey } from './test-support.ts';
import { createVault, type Vault } from './vault.ts';

interface Sealed {
  workspaceId: string;
  aad: string;
  plaintext: string | object;
  ciphertext: string;
}

/** Writes secrets under `vault` into `count` workspaces; every other workspace gets a second data key version. */
async function seed(db: Db, vault: Vault, count: number): Promise<Sealed[]> {
  const spaces = await createWorkspaces(db, count);
  const sealed: Sealed[] = [];
  for (const [i, workspaceId] of spaces.entries()) {
    for (let round = 0; round < (i % 2 === 0 ? 2 : 1); round++) {
      if (round > 0) await vault.rotateDataKey(workspaceId);
      for (const plaintext of [`token-${i}-${round}`, { apiKey: `key-${i}-${round}`, round }]) {
        const aad = `integration:${i}:credential`;
        sealed.push({ workspaceId, aad, plaintext, ciphertext: await vault.encrypt(workspaceId, plaintext, aad) });
      }
    }
  }
  return sealed;
}

async function expectAllOpen(vault: Vault, sealed: Sealed[]): Promise<void> {
  for (const item of sealed) expect(await vault.decrypt(item.workspaceId, item.ciphertext, item.aad)).toEqual(item.plaintext);
}

async function masterKeyStates(db: Db): Promise<Record<string, string>> {
  const rows = await db.select().from(vaultMasterKeys);
  return Object.fromEntries(rows.map((row) => [row.id, row.state]));
}

async function dataKeysByMaster(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ masterKeyId: vaultDataKeys.masterKeyId }).from(vaultDataKeys);
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.masterKeyId] = (counts[row.masterKeyId] ?? 0) + 1;
  return counts;
}

describe.each(backends)('master key rotation on $name', (backend) => {
  let database: TestDatabase;
  let db: Db;
  let k1: MasterKey;
  let k2: MasterKey;
  let before: Vault;

  beforeEach(async () => {
    database = await openVaultDatabase(backend);
    db = database.handle.db;
    k1 = randomMasterKey('k1');
    k2 = randomMasterKey('k2');
    before = createVault({ db, keyring: { active: k1, previous: [] } });
  });
  afterEach(async () => {
    await database?.dispose();
  });

  it('re-wraps every data key under the new key, retires the old one, and is idempotent', async () => {
    const sealed = await seed(db, before, 9);
    const total = (await dataKeysByMaster(db)).k1!;
    expect(total).toBe(14);
    const progress: RotationProgress[] = [];
    const result = await rotateMasterKey({
      db,
      keyring: { active: k2, previous: [k1] },
      batchSize: 4,
      onProgress: (p) => void progress.push(p),
    });
    expect(result).toEqual({
      activeMasterKeyId: 'k2',
      rewrapped: total,
      batches: 4,
      alreadyCurrent: 0,
      failed: [],
      retiredMasterKeyIds: ['k1'],
      remainingMasterKeyIds: [],
      complete: true,
    });
    expect(progress.map((p) => p.remaining)).toEqual([10, 6, 2, 0]);
    expect(await dataKeysByMaster(db)).toEqual({ k2: total });
    expect(await masterKeyStates(db)).toEqual({ k1: 'retired', k2: 'active' });
    // Only the new key from here on: the old one can leave the configuration.
    await expectAllOpen(createVault({ db, keyring: { active: k2, previous: [] } }), sealed);

    const again = await rotateMasterKey({ db, keyring: { active: k2, previous: [] } });
    expect(again).toMatchObject({ rewrapped: 0, batches: 0, alreadyCurrent: total, retiredMasterKeyIds: [], complete: true });
  });

  it('serves every request while it runs: zero failed decrypts or encrypts, and only the new key at the end', async () => {
    const sealed = await seed(db, before, 16);
    // Requests run in processes that already have the new keyring (the operator's first step); one of
    // them caches nothing, so each of its calls reads and unwraps a data key while rows are re-wrapped.
    const serving = [
      createVault({ db, keyring: { active: k2, previous: [k1] }, cacheSize: 0 }),
      createVault({ db, keyring: { active: k2, previous: [k1] } }),
    ];
    const spaces = [...new Set(sealed.map((item) => item.workspaceId))];
    const failures: unknown[] = [];
    let calls = 0;
    let running = true;
    const callsAtBatch: number[] = [];

    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const vault = serving[(n + i) % serving.length]!;
        try {
          const item = sealed[(n * 7 + i * 13) % sealed.length]!;
          expect(await vault.decrypt(item.workspaceId, item.ciphertext, item.aad)).toEqual(item.plaintext);
          if (i % 3 === 0) {
            const workspaceId = spaces[(n + i) % spaces.length]!;
            const plaintext = { written: `${n}-${i}` };
            const aad = `during:${n}:${i}`;
            sealed.push({ workspaceId, aad, plaintext, ciphertext: await vault.encrypt(workspaceId, plaintext, aad) });
          }
          // New data key versions appear mid-rotation too.
          if (i % 25 === 24) await vault.rotateDataKey(spaces[(n * 3 + i) % spaces.length]!);
        } catch (error) {
          failures.push(error);
        }
        calls++;
        // Lets the rotation's queries interleave with requests on the single PGlite connection.
        if (backend.name === 'pglite') await sleep(0);
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    while (calls < 30) await sleep(5);
    const callsAtStart = calls;

    const result = await rotateMasterKey({
      db,
      keyring: { active: k2, previous: [k1] },
      batchSize: 2,
      onProgress: async () => {
        callsAtBatch.push(calls);
        // A pause between batches, as a busy database would have, so requests meet a half-rotated table.
        await sleep(10);
      },
    });
    const callsDuring = calls - callsAtStart;
    running = false;
    await Promise.all(workers);

    expect(failures.map((error) => String(error))).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.failed).toEqual([]);
    expect(result.retiredMasterKeyIds).toEqual(['k1']);
    expect(result.batches).toBeGreaterThanOrEqual(10);
    // Requests really ran between the batches, not only before and after.
    expect(callsDuring).toBeGreaterThan(result.batches);
    expect(new Set(callsAtBatch).size).toBeGreaterThan(result.batches / 2);

    expect(Object.keys(await dataKeysByMaster(db))).toEqual(['k2']);
    expect(await masterKeyStates(db)).toEqual({ k1: 'retired', k2: 'active' });
    const onlyNew = createVault({ db, keyring: { active: k2, previous: [] } });
    await expectAllOpen(onlyNew, sealed);
    expect(sealed.length).toBeGreaterThan(40);
  });

  it('resumes after an interrupted run: nothing is lost, the next run finishes the rest', async () => {
    const sealed = await seed(db, before, 10);
    const total = (await dataKeysByMaster(db)).k1!;
    const stop = new AbortController();
    const interrupted = rotateMasterKey({
      db,
      keyring: { active: k2, previous: [k1] },
      batchSize: 3,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.batches === 2) stop.abort(new Error('operator pressed Ctrl-C'));
      },
    });
    await expect(interrupted).rejects.toThrow('operator pressed Ctrl-C');

    // Half-way: some data keys under each master key, the old one still accepted and not retired.
    expect(await dataKeysByMaster(db)).toEqual({ k1: total - 6, k2: 6 });
    expect(await masterKeyStates(db)).toEqual({ k1: 'retiring', k2: 'active' });
    await expectAllOpen(createVault({ db, keyring: { active: k2, previous: [k1] } }), sealed);
    // Without k1 the keys still under it fail loudly, naming it.
    const early = createVault({ db, keyring: { active: k2, previous: [] } });
    const errors = await Promise.all(sealed.map((item) => early.decrypt(item.workspaceId, item.ciphertext, item.aad).catch((e: unknown) => e)));
    const refused = errors.filter((e) => e instanceof VaultDecryptError);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect((error as VaultDecryptError).code).toBe('master_key_missing');
      expect((error as VaultDecryptError).message).toContain("'k1'");
    }

    const resumed = await rotateMasterKey({ db, keyring: { active: k2, previous: [k1] }, batchSize: 3 });
    expect(resumed).toMatchObject({ rewrapped: total - 6, alreadyCurrent: 6, complete: true, retiredMasterKeyIds: ['k1'] });
    await expectAllOpen(createVault({ db, keyring: { active: k2, previous: [] } }), sealed);
  });

  it('changes nothing when the keyring lacks a key that still wraps data keys', async () => {
    await seed(db, before, 3);
    const k3 = randomMasterKey('k3');
    const error = await rotateMasterKey({ db, keyring: { active: k3, previous: [k2] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultKeyringError);
    expect((error as VaultKeyringError).code).toBe('master_key_missing');
    expect((error as VaultKeyringError).message).toMatch(/5 under 'k1'.*Nothing was changed/);
    expect(await dataKeysByMaster(db)).toEqual({ k1: 5 });
    expect((await masterKeyStates(db)).k1).toBe('active');
  });

  it('reports a data key it cannot unwrap, re-wraps the others, and keeps the old key until it is fixed', async () => {
    const sealed = await seed(db, before, 4);
    const [broken] = await db.select().from(vaultDataKeys).limit(1);
    const original = broken!.wrappedKey;
    await db
      .update(vaultDataKeys)
      .set({ wrappedKey: original.replace(/\.(.)([^.]*)$/, (_m, c: string, rest: string) => `.${c === 'A' ? 'B' : 'A'}${rest}`) })
      .where(eq(vaultDataKeys.id, broken!.id));
    const result = await rotateMasterKey({ db, keyring: { active: k2, previous: [k1] }, batchSize: 2 });
    expect(result.complete).toBe(false);
    expect(result.failed).toEqual([
      { dataKeyId: broken!.id, workspaceId: broken!.workspaceId, masterKeyId: 'k1', reason: 'master_key_mismatch' },
    ]);
    expect(result.remainingMasterKeyIds).toEqual(['k1']);
    expect(result.rewrapped).toBe(5);
    expect(await masterKeyStates(db)).toEqual({ k1: 'retiring', k2: 'active' });
    // Once the row is repaired (say, from a backup), the next run completes.
    await db.update(vaultDataKeys).set({ wrappedKey: original }).where(eq(vaultDataKeys.id, broken!.id));
    const fixed = await rotateMasterKey({ db, keyring: { active: k2, previous: [k1] } });
    expect(fixed).toMatchObject({ rewrapped: 1, complete: true, retiredMasterKeyIds: ['k1'] });
    await expectAllOpen(createVault({ db, keyring: { active: k2, previous: [] } }), sealed);
  });

  it('stops a process with an out-of-date keyring from wrapping new data keys with a retired key', async () => {
    await seed(db, before, 2);
    await rotateMasterKey({ db, keyring: { active: k2, previous: [k1] } });
    const [fresh] = await createWorkspaces(db, 1);
    const stale = createVault({ db, keyring: { active: k1, previous: [] } });
    const error = await stale.encrypt(fresh!, 'secret-for-a-new-workspace').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultKeyringError);
    expect((error as VaultKeyringError).code).toBe('master_key_retired');
    expect((error as VaultKeyringError).message).toContain("'k1'");
    expect(errorTexts(error).join(' ')).not.toContain('secret-for-a-new-workspace');
    expect(await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.workspaceId, fresh!))).toHaveLength(0);
    // Rotating back is an operator's explicit choice: it makes k1 active again and re-wraps everything.
    const back = await rotateMasterKey({ db, keyring: { active: k1, previous: [k2] } });
    expect(back).toMatchObject({ complete: true, retiredMasterKeyIds: ['k2'] });
    expect(await stale.encrypt(fresh!, 'now it works')).toMatch(/^sbv1\./);
  });
});
