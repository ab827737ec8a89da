import { createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import type { Db } from '../db/database.ts';
import { workspaces } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { parseCiphertext, unwrapDataKey, wrapAad } from './envelope.ts';
import { VaultDecryptError, VaultKeyringError, type VaultDecryptErrorCode } from './errors.ts';
import { masterKey, type MasterKey } from './keyring.ts';
import { vaultDataKeys, vaultMasterKeys } from './tables.ts';
import { createWorkspaces, errorTexts, openVaultDatabase, randomMasterKey } from './test-support.ts';
import { createVault, type Vault } from './vault.ts';

const SECRET = 'sk-live-7f3a9c2e1b-the-plaintext-never-leaks';
const CREDENTIAL = { apiKey: 'el_9a8b7c6d5e4f-also-secret', region: 'eu', nested: { scopes: ['tts', 'voices'], n: 3 } };
const AAD = 'integration:0192f0aa-0000-7000-8000-000000000001:credential';

/** Replaces one character of a ciphertext part by another valid base64url character. */
function alterPart(ciphertext: string, part: number, at = 3): string {
  const parts = ciphertext.split('.');
  const text = parts[part]!;
  const replacement = text[at] === 'A' ? 'B' : 'A';
  parts[part] = text.slice(0, at) + replacement + text.slice(at + 1);
  return parts.join('.');
}

async function decryptError(promise: Promise<unknown>, code: VaultDecryptErrorCode): Promise<VaultDecryptError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected VaultDecryptError ${code}`).toBeInstanceOf(VaultDecryptError);
  expect((error as VaultDecryptError).code).toBe(code);
  return error as VaultDecryptError;
}

describe.each(backends)('vault on $name', (backend) => {
  let database: TestDatabase;
  let db: Db;
  let vault: Vault;
  let k1: MasterKey;
  let workspaceId: string;
  let otherWorkspaceId: string;
  /** Every error a test provoked, checked at the end for leaked secrets. */
  const provoked: unknown[] = [];

  async function expectDecryptError(promise: Promise<unknown>, code: VaultDecryptErrorCode) {
    const error = await decryptError(promise, code);
    provoked.push(error);
    return error;
  }

  beforeAll(async () => {
    database = await openVaultDatabase(backend);
    db = database.handle.db;
    [workspaceId, otherWorkspaceId] = (await createWorkspaces(db, 2)) as [string, string];
    k1 = randomMasterKey('k1');
    vault = createVault({ db, keyring: { active: k1, previous: [] } });
    await vault.ready();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('round-trips strings and objects, with and without aad', async () => {
    for (const value of [SECRET, '', 'ünïcødé ✓ 🔑', 'x'.repeat(100_000)]) {
      expect(await vault.decrypt(workspaceId, await vault.encrypt(workspaceId, value))).toBe(value);
    }
    const ciphertext = await vault.encrypt(workspaceId, CREDENTIAL, AAD);
    expect(await vault.decrypt(workspaceId, ciphertext, AAD)).toEqual(CREDENTIAL);
    expect(await vault.decryptObject<typeof CREDENTIAL>(workspaceId, ciphertext, AAD)).toEqual(CREDENTIAL);
    expect(await vault.decryptString(workspaceId, await vault.encrypt(workspaceId, SECRET, AAD), AAD)).toBe(SECRET);
    expect(await vault.decrypt(workspaceId, await vault.encrypt(workspaceId, [1, 'two']))).toEqual([1, 'two']);
  });

  it('writes sbv1.<data key id>.<iv>.<tag>.<ciphertext> with a fresh iv every time', async () => {
    const a = await vault.encrypt(workspaceId, SECRET);
    const b = await vault.encrypt(workspaceId, SECRET);
    expect(a).toMatch(/^sbv1\.[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).toBe(b.split('.')[1]);
    expect(a).not.toContain(SECRET);
    const [row] = await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.id, a.split('.')[1]!));
    expect(row).toMatchObject({ workspaceId, version: 1, state: 'active', masterKeyId: 'k1' });
    // The master key table holds an id and a fingerprint, never the key.
    const [master] = await db.select().from(vaultMasterKeys).where(eq(vaultMasterKeys.id, 'k1'));
    expect(master).toMatchObject({ id: 'k1', state: 'active' });
    expect(JSON.stringify(master)).not.toContain(k1.key.toString('hex'));
    expect(JSON.stringify(master)).not.toContain(k1.key.toString('base64'));
  });

  it('refuses a ciphertext with any part altered: iv, tag, ciphertext, key id', async () => {
    const ciphertext = await vault.encrypt(workspaceId, SECRET, AAD);
    await expectDecryptError(vault.decrypt(workspaceId, alterPart(ciphertext, 2), AAD), 'authentication_failed');
    await expectDecryptError(vault.decrypt(workspaceId, alterPart(ciphertext, 3), AAD), 'authentication_failed');
    await expectDecryptError(vault.decrypt(workspaceId, alterPart(ciphertext, 4, 0), AAD), 'authentication_failed');
    await expectDecryptError(vault.decrypt(workspaceId, alterPart(ciphertext, 4, ciphertext.split('.')[4]!.length - 1), AAD), 'authentication_failed');
    // A key id that exists in no table.
    const unknown = ciphertext.replace(/^sbv1\.[^.]+/, `sbv1.${newId()}`);
    const missing = await expectDecryptError(vault.decrypt(workspaceId, unknown, AAD), 'unknown_data_key');
    expect(missing.message).toContain(unknown.split('.')[1]);
    // Another real data key of the same workspace: the key id is authenticated data too.
    const { dataKeyId: newer } = await vault.rotateDataKey(workspaceId);
    const relabelled = ciphertext.replace(/^sbv1\.[^.]+/, `sbv1.${newer}`);
    const wrongKey = await expectDecryptError(vault.decrypt(workspaceId, relabelled, AAD), 'authentication_failed');
    expect(wrongKey.message).toContain(newer);
    expect(await vault.decrypt(workspaceId, ciphertext, AAD)).toBe(SECRET);
  });

  it('refuses values that are not well-formed ciphertexts', async () => {
    const ciphertext = await vault.encrypt(workspaceId, SECRET);
    const parts = ciphertext.split('.');
    const malformed = [
      '',
      SECRET,
      ciphertext.replace('sbv1', 'sbv2'),
      `${ciphertext}.extra`,
      parts.slice(0, 4).join('.'),
      ciphertext.replace(/^sbv1\.[^.]+/, 'sbv1.not-a-uuid'),
      [parts[0], parts[1], parts[2]!.slice(0, -1), parts[3], parts[4]].join('.'),
      // A tag truncated to 12 bytes: Node would accept it without authTagLength.
      [parts[0], parts[1], parts[2], parts[3]!.slice(0, 16), parts[4]].join('.'),
      [parts[0], parts[1], parts[2], parts[3], ''].join('.'),
      [parts[0], parts[1], parts[2], parts[3], `${parts[4]}=`].join('.'),
      [parts[0], parts[1], parts[2], parts[3], parts[4]!.replace(/^./, '+')].join('.'),
    ];
    for (const value of malformed) await expectDecryptError(vault.decrypt(workspaceId, value), 'malformed_ciphertext');
    await expectDecryptError(vault.decrypt(workspaceId, 42 as unknown as string), 'malformed_ciphertext');
  });

  it('accepts only the canonical base64url spelling of each part', () => {
    const tag = Buffer.alloc(16, 7).toString('base64url');
    // 16 bytes are 22 characters whose last one carries 4 unused bits: 'w' and 'x' decode alike.
    const variant = tag.slice(0, -1) + String.fromCharCode(tag.charCodeAt(21) + 1);
    expect(Buffer.from(variant, 'base64url').equals(Buffer.alloc(16, 7))).toBe(true);
    const base = `sbv1.${newId()}.${Buffer.alloc(12).toString('base64url')}`;
    expect(parseCiphertext(`${base}.${tag}.AA`)).toBeDefined();
    expect(parseCiphertext(`${base}.${variant}.AA`)).toBeUndefined();
  });

  it('binds the workspace and the aad: a ciphertext moved to another workspace or field does not open', async () => {
    const ciphertext = await vault.encrypt(workspaceId, CREDENTIAL, AAD);
    await expectDecryptError(vault.decrypt(otherWorkspaceId, ciphertext, AAD), 'wrong_workspace');
    await expectDecryptError(vault.decrypt(workspaceId, ciphertext), 'authentication_failed');
    await expectDecryptError(vault.decrypt(workspaceId, ciphertext, `${AAD}x`), 'authentication_failed');
    await expectDecryptError(vault.decrypt(workspaceId, ciphertext, 'integration:other:credential'), 'authentication_failed');
    const plain = await vault.encrypt(workspaceId, SECRET);
    await expectDecryptError(vault.decrypt(workspaceId, plain, AAD), 'authentication_failed');
    // A data key row moved to the other workspace in the database: its wrapping is bound to the row.
    const otherCiphertext = await vault.encrypt(otherWorkspaceId, SECRET);
    const otherKeyId = otherCiphertext.split('.')[1]!;
    await db.execute(sql`update vault_data_keys set workspace_id = ${workspaceId}, version = 1000, state = 'retired' where id = ${otherKeyId}`);
    const fresh = createVault({ db, keyring: { active: k1, previous: [] } });
    await expectDecryptError(fresh.decrypt(workspaceId, otherCiphertext), 'master_key_mismatch');
    await db.execute(sql`update vault_data_keys set workspace_id = ${otherWorkspaceId}, version = 1, state = 'active' where id = ${otherKeyId}`);
    expect(await fresh.decrypt(otherWorkspaceId, otherCiphertext)).toBe(SECRET);
  });

  it('says which master key is missing when the keyring lacks the one that wraps the data key', async () => {
    const ciphertext = await vault.encrypt(workspaceId, SECRET, AAD);
    const k2 = randomMasterKey('k2');
    const withoutK1 = createVault({ db, keyring: { active: k2, previous: [] } });
    const error = await expectDecryptError(withoutK1.decrypt(workspaceId, ciphertext, AAD), 'master_key_missing');
    expect(error.message).toContain("master key 'k1'");
    expect(error.message).toContain(ciphertext.split('.')[1]);
    expect(error.message).toContain('SWITCHBOARD_MASTER_KEY');
    expect(error.masterKeyId).toBe('k1');
    // With k1 as a previous key the same ciphertext opens.
    const withK1 = createVault({ db, keyring: { active: k2, previous: [k1] } });
    expect(await withK1.decrypt(workspaceId, ciphertext, AAD)).toBe(SECRET);
  });

  it('refuses another key under a known id: at start-up, and on decrypt if start-up was skipped', async () => {
    const ciphertext = await vault.encrypt(workspaceId, SECRET);
    const impostor = createVault({ db, keyring: { active: randomMasterKey('k1'), previous: [] } });
    const error = await impostor.ready().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(VaultKeyringError);
    expect((error as VaultKeyringError).code).toBe('fingerprint_mismatch');
    expect((error as VaultKeyringError).message).toContain("'k1'");
    provoked.push(error);
    const mismatch = await expectDecryptError(impostor.decrypt(workspaceId, ciphertext), 'master_key_mismatch');
    expect(mismatch.message).toContain("Master key 'k1'");
    await expect(impostor.encrypt(workspaceId, SECRET)).rejects.toBeInstanceOf(VaultKeyringError);
    // The same key under a second id is refused too: data keys name exactly one id.
    const renamed = createVault({ db, keyring: { active: masterKey('k1-again', k1.key), previous: [] } });
    await expect(renamed.ready()).rejects.toThrow(/registered in this database as 'k1'/);
  });

  it('fails loudly when a stored wrapped key was altered', async () => {
    const [workspace] = await createWorkspaces(db, 1);
    const ciphertext = await vault.encrypt(workspace!, SECRET);
    const dataKeyId = ciphertext.split('.')[1]!;
    const [row] = await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.id, dataKeyId));
    const parts = row!.wrappedKey.split('.');
    parts[3] = parts[3]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await db.update(vaultDataKeys).set({ wrappedKey: parts.join('.') }).where(eq(vaultDataKeys.id, dataKeyId));
    const fresh = createVault({ db, keyring: { active: k1, previous: [] } });
    const error = await expectDecryptError(fresh.decrypt(workspace!, ciphertext), 'master_key_mismatch');
    expect(error.dataKeyId).toBe(dataKeyId);
    // The vault that unwrapped the key before the change still has it in memory.
    expect(await vault.decrypt(workspace!, ciphertext)).toBe(SECRET);
  });

  it('checks the kind asked for', async () => {
    await expectDecryptError(vault.decryptObject(workspaceId, await vault.encrypt(workspaceId, SECRET)), 'unexpected_kind');
    await expectDecryptError(vault.decryptString(workspaceId, await vault.encrypt(workspaceId, CREDENTIAL)), 'unexpected_kind');
    await expect(vault.encrypt(workspaceId, null as unknown as string)).rejects.toThrow(TypeError);
    await expect(vault.encrypt(workspaceId, { toJSON: () => undefined })).rejects.toThrow(TypeError);
    await expect(vault.encrypt('not-a-uuid', SECRET)).rejects.toThrow(/workspaceId must be a UUID/);
    await expect(vault.encrypt(newId(), SECRET)).rejects.toThrow(/does not exist/);
  });

  it('unwraps each data key once and serves later calls from memory', async () => {
    const [workspace] = await createWorkspaces(db, 1);
    const ciphertext = await vault.encrypt(workspace!, SECRET);
    const cold = createVault({ db, keyring: { active: k1, previous: [] } });
    // Many requests missing the cache at once share one read and one unwrap.
    const values = await Promise.all(Array.from({ length: 25 }, () => cold.decrypt(workspace!, ciphertext)));
    expect(new Set(values)).toEqual(new Set([SECRET]));
    expect(cold.cacheStats()).toMatchObject({ size: 1, unwraps: 1, misses: 25 });
    for (let i = 0; i < 50; i++) await cold.decrypt(workspace!, ciphertext);
    await cold.encrypt(workspace!, SECRET);
    expect(cold.cacheStats()).toMatchObject({ size: 1, unwraps: 1 });
    expect(cold.cacheStats().hits).toBeGreaterThanOrEqual(50);
    // The cache does not hide a deleted key from a new process, and clearCache forgets.
    cold.clearCache();
    expect(cold.cacheStats().size).toBe(0);
    await cold.decrypt(workspace!, ciphertext);
    expect(cold.cacheStats().unwraps).toBe(2);
  });

  it('keeps at most cacheSize keys, dropping the least recently used', async () => {
    const spaces = await createWorkspaces(db, 4);
    const ciphertexts = await Promise.all(spaces.map((space) => vault.encrypt(space, SECRET)));
    const small = createVault({ db, keyring: { active: k1, previous: [] }, cacheSize: 2 });
    for (const [i, space] of spaces.entries()) await small.decrypt(space, ciphertexts[i]!);
    expect(small.cacheStats()).toMatchObject({ size: 2, unwraps: 4 });
    // The two most recent are still there, the first one was dropped.
    await small.decrypt(spaces[3]!, ciphertexts[3]!);
    await small.decrypt(spaces[2]!, ciphertexts[2]!);
    expect(small.cacheStats().unwraps).toBe(4);
    await small.decrypt(spaces[0]!, ciphertexts[0]!);
    expect(small.cacheStats()).toMatchObject({ size: 2, unwraps: 5 });

    const none = createVault({ db, keyring: { active: k1, previous: [] }, cacheSize: 0 });
    for (let i = 0; i < 3; i++) await none.decrypt(spaces[0]!, ciphertexts[0]!);
    expect(none.cacheStats()).toMatchObject({ size: 0, unwraps: 3 });
  });

  it('starts new data key versions: new encryptions use the newest, older ciphertexts still open', async () => {
    const [workspace] = await createWorkspaces(db, 1);
    const v1 = await vault.encrypt(workspace!, SECRET, AAD);
    const rotated = await vault.rotateDataKey(workspace!);
    expect(rotated.version).toBe(2);
    const v2 = await vault.encrypt(workspace!, SECRET, AAD);
    expect(v2.split('.')[1]).toBe(rotated.dataKeyId);
    expect(v1.split('.')[1]).not.toBe(rotated.dataKeyId);
    const fresh = createVault({ db, keyring: { active: k1, previous: [] } });
    expect(await fresh.decrypt(workspace!, v1, AAD)).toBe(SECRET);
    expect(await fresh.decrypt(workspace!, v2, AAD)).toBe(SECRET);
    // reencrypt moves a ciphertext to the newest version, and leaves one already there alone.
    const moved = await fresh.reencrypt(workspace!, v1, AAD);
    expect(moved.split('.')[1]).toBe(rotated.dataKeyId);
    expect(await fresh.decrypt(workspace!, moved, AAD)).toBe(SECRET);
    expect(await fresh.reencrypt(workspace!, v2, AAD)).toBe(v2);
    // Concurrent rotations (here, and from another process) each start a version; one stays active.
    const other = createVault({ db, keyring: { active: k1, previous: [] } });
    const results = await Promise.all([
      vault.rotateDataKey(workspace!),
      other.rotateDataKey(workspace!),
      vault.rotateDataKey(workspace!),
      other.rotateDataKey(workspace!),
    ]);
    expect(new Set(results.map((result) => result.version)).size).toBe(4);
    const rows = await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.workspaceId, workspace!));
    expect(rows.map((row) => row.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.filter((row) => row.state === 'active')).toHaveLength(1);
  });

  it('agrees on one first data key when several processes encrypt for a new workspace at once', async () => {
    const [workspace] = await createWorkspaces(db, 1);
    const processes = Array.from({ length: 4 }, () => createVault({ db, keyring: { active: k1, previous: [] } }));
    const ciphertexts = await Promise.all(processes.flatMap((p) => [p.encrypt(workspace!, SECRET), p.encrypt(workspace!, SECRET)]));
    expect(new Set(ciphertexts.map((c) => c.split('.')[1])).size).toBe(1);
    const rows = await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.workspaceId, workspace!));
    expect(rows).toHaveLength(1);
  });

  it("follows another process's data key rotation once its current-key TTL passes", async () => {
    const [workspace] = await createWorkspaces(db, 1);
    let clock = 1_000_000;
    const here = createVault({ db, keyring: { active: k1, previous: [] }, activeKeyTtlMs: 60_000, now: () => clock });
    const first = await here.encrypt(workspace!, SECRET);
    const { dataKeyId } = await vault.rotateDataKey(workspace!);
    // Within the TTL this process keeps the older version, which is still valid.
    const during = await here.encrypt(workspace!, SECRET);
    expect(during.split('.')[1]).toBe(first.split('.')[1]);
    clock += 60_001;
    const after = await here.encrypt(workspace!, SECRET);
    expect(after.split('.')[1]).toBe(dataKeyId);
    for (const c of [first, during, after]) expect(await vault.decrypt(workspace!, c)).toBe(SECRET);
  });

  it('deleting a workspace deletes its data keys, so its ciphertexts no longer open', async () => {
    const [workspace] = await createWorkspaces(db, 1);
    const ciphertext = await vault.encrypt(workspace!, SECRET);
    await db.delete(workspaces).where(eq(workspaces.id, workspace!));
    const rows = await db.select().from(vaultDataKeys).where(and(eq(vaultDataKeys.workspaceId, workspace!)));
    expect(rows).toHaveLength(0);
    const fresh = createVault({ db, keyring: { active: k1, previous: [] } });
    await expectDecryptError(fresh.decrypt(workspace!, ciphertext), 'unknown_data_key');
  });

  it('never puts plaintext or key material in an error', async () => {
    expect(provoked.length).toBeGreaterThan(20);
    const rows = await db.select().from(vaultDataKeys).where(eq(vaultDataKeys.masterKeyId, 'k1'));
    const master = createSecretKey(k1.key);
    const dataKeys = rows.flatMap((row) => {
      try {
        return [unwrapDataKey(master, row.wrappedKey, wrapAad(row, 'k1'))];
      } catch {
        return []; // the row the test above altered
      }
    });
    expect(dataKeys.length).toBeGreaterThan(10);
    const forbidden = [
      SECRET,
      CREDENTIAL.apiKey,
      k1.key.toString('base64'),
      k1.key.toString('base64url'),
      k1.key.toString('hex'),
      ...dataKeys.flatMap((key) => [key.toString('base64'), key.toString('base64url'), key.toString('hex')]),
    ];
    for (const error of provoked) {
      const texts = [...errorTexts(error), inspect(error, { depth: 5 })];
      for (const text of texts) for (const secret of forbidden) expect(text).not.toContain(secret);
    }
    for (const key of dataKeys) key.fill(0);
  });
});
