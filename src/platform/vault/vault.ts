// Encrypts and decrypts secrets per workspace with envelope encryption: AES-256-GCM under a workspace data
// key, which is stored wrapped by a master key. Unwrapped data keys are cached so hot paths skip the database.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.ts';
import { isUuid, newId } from '../ids.ts';
import {
  DATA_KEY_BYTES,
  formatCiphertext,
  open,
  parseCiphertext,
  seal,
  secretAad,
  unwrapDataKeyObject,
  wrapAad,
  wrapDataKey,
} from './envelope.ts';
import { VaultDecryptError, VaultKeyringError } from './errors.ts';
import type { Keyring } from './keyring.ts';
import { keyringIds, loadKeyring, registerMasterKeys } from './master-keys.ts';
import { vaultDataKeys, vaultMasterKeys } from './tables.ts';

export interface VaultOptions {
  db: Db;
  keyring: Keyring;
  /**
   * Most unwrapped data keys kept in memory (least recently used dropped first); the same bound applies
   * to the workspace → current data key map. Default 1000. 0 turns caching off (every call reads and unwraps).
   */
  cacheSize?: number;
  /**
   * How long encryption keeps using a workspace's current data key before asking the database again.
   * Default 60 000 ms: after `rotateDataKey` in another process, this one follows within a minute
   * (its older version keeps working meanwhile, so nothing fails).
   */
  activeKeyTtlMs?: number;
  /** Clock for that TTL, for tests. Default Date.now. */
  now?: () => number;
}

/** A decrypted value: what was given to `encrypt`, objects having made a JSON round trip. */
export type Plaintext = string | object;

export interface CacheStats {
  /** Unwrapped data keys held now. */
  size: number;
  hits: number;
  misses: number;
  /** Data keys unwrapped (or created) by this vault since it started. */
  unwraps: number;
}

export interface Vault {
  /**
   * Seals `plaintext` under the workspace's current data key (created on first use). `aad` names where
   * the ciphertext will live (`integration:<id>:credential`); `decrypt` must be given the same.
   * Call it outside database transactions: on PGlite a vault query cannot run while a transaction is open.
   */
  encrypt(workspaceId: string, plaintext: Plaintext, aad?: string): Promise<string>;
  /** Throws VaultDecryptError when the ciphertext does not open for this workspace and aad. */
  decrypt(workspaceId: string, ciphertext: string, aad?: string): Promise<Plaintext>;
  /** `decrypt` for a value encrypted as a string. */
  decryptString(workspaceId: string, ciphertext: string, aad?: string): Promise<string>;
  /** `decrypt` for a value encrypted as an object. T is not checked: validate with the caller's schema. */
  decryptObject<T extends object = Record<string, unknown>>(workspaceId: string, ciphertext: string, aad?: string): Promise<T>;
  /** Re-seals under the workspace's current data key (after `rotateDataKey`); returns the input if already current. */
  reencrypt(workspaceId: string, ciphertext: string, aad?: string): Promise<string>;
  /** Starts the workspace's next data key version for new encryptions; older versions still decrypt. */
  rotateDataKey(workspaceId: string): Promise<{ dataKeyId: string; version: number }>;
  /** Registers and checks the keyring against the database. Call at start-up to fail there, not on a request. */
  ready(): Promise<void>;
  cacheStats(): CacheStats;
  /** Drops every unwrapped key held in memory. */
  clearCache(): void;
}

interface DataKeyEntry {
  id: string;
  workspaceId: string;
  version: number;
  /** A KeyObject keeps the bytes in OpenSSL memory; dropping it from the cache frees them on collection. */
  key: KeyObject;
}

interface DataKeyRow {
  id: string;
  workspaceId: string;
  version: number;
  masterKeyId: string;
  wrappedKey: string;
}

const dataKeyColumns = {
  id: vaultDataKeys.id,
  workspaceId: vaultDataKeys.workspaceId,
  version: vaultDataKeys.version,
  masterKeyId: vaultDataKeys.masterKeyId,
  wrappedKey: vaultDataKeys.wrappedKey,
};

const KIND_STRING = 0x73; // 's'
const KIND_OBJECT = 0x6a; // 'j'
// Conflicts come from other processes creating or rotating the same workspace's key at the same moment;
// each retry reads what they committed, so a few always suffice.
const MAX_KEY_ATTEMPTS = 5;

/** Raised inside a transaction to roll it back and try again. */
class KeyConflict extends Error {}

export function createVault(options: VaultOptions): Vault {
  const { db } = options;
  const keyring = loadKeyring(options.keyring);
  const cacheSize = options.cacheSize ?? 1000;
  const activeKeyTtlMs = options.activeKeyTtlMs ?? 60_000;
  const now = options.now ?? Date.now;

  const dataKeys = new LruCache<DataKeyEntry>(cacheSize);
  const currentKeyIds = new LruCache<{ dataKeyId: string; expiresAt: number }>(cacheSize);
  // One database read and unwrap per key, however many requests miss the cache at once.
  const loading = new Map<string, Promise<DataKeyEntry>>();
  const resolvingCurrent = new Map<string, Promise<DataKeyEntry>>();
  const stats = { hits: 0, misses: 0, unwraps: 0 };
  let registered: Promise<void> | undefined;

  function ready(): Promise<void> {
    registered ??= registerMasterKeys(db, keyring).catch((error: unknown) => {
      registered = undefined;
      throw error;
    });
    return registered;
  }

  function remember(entry: DataKeyEntry): DataKeyEntry {
    dataKeys.set(entry.id, entry);
    return entry;
  }

  function unwrapRow(row: DataKeyRow): DataKeyEntry {
    const master = keyring.byId.get(row.masterKeyId);
    const options = { dataKeyId: row.id, masterKeyId: row.masterKeyId };
    if (!master) {
      throw new VaultDecryptError(
        'master_key_missing',
        `Data key ${row.id} (version ${row.version}) is wrapped by master key '${row.masterKeyId}', which is not in ` +
          `this process's keyring (${keyringIds(keyring)}). Add '${row.masterKeyId}' to SWITCHBOARD_MASTER_KEY as a previous key.`,
        options,
      );
    }
    try {
      const key = unwrapDataKeyObject(master.key, row.wrappedKey, wrapAad(row, row.masterKeyId));
      stats.unwraps++;
      return { id: row.id, workspaceId: row.workspaceId, version: row.version, key };
    } catch (cause) {
      throw new VaultDecryptError(
        'master_key_mismatch',
        `Master key '${row.masterKeyId}' did not open data key ${row.id}: the keyring holds another key under that id, ` +
          'or the stored wrapped key was altered.',
        { ...options, cause },
      );
    }
  }

  async function dataKeyById(dataKeyId: string): Promise<DataKeyEntry> {
    const cached = dataKeys.get(dataKeyId);
    if (cached) {
      stats.hits++;
      return cached;
    }
    stats.misses++;
    let pending = loading.get(dataKeyId);
    if (!pending) {
      pending = (async () => {
        const [row] = await db.select(dataKeyColumns).from(vaultDataKeys).where(eq(vaultDataKeys.id, dataKeyId));
        if (!row) {
          throw new VaultDecryptError(
            'unknown_data_key',
            `No data key ${dataKeyId} exists: its workspace was deleted, or the ciphertext's key id was altered.`,
            { dataKeyId },
          );
        }
        return remember(unwrapRow(row));
      })().finally(() => loading.delete(dataKeyId));
      loading.set(dataKeyId, pending);
    }
    return pending;
  }

  async function currentDataKey(workspaceId: string): Promise<DataKeyEntry> {
    const pointer = currentKeyIds.get(workspaceId);
    if (pointer && pointer.expiresAt > now()) return dataKeyById(pointer.dataKeyId);
    let pending = resolvingCurrent.get(workspaceId);
    if (!pending) {
      pending = resolveCurrentDataKey(workspaceId).finally(() => resolvingCurrent.delete(workspaceId));
      resolvingCurrent.set(workspaceId, pending);
    }
    return pending;
  }

  function pointTo(entry: DataKeyEntry): DataKeyEntry {
    currentKeyIds.set(entry.workspaceId, { dataKeyId: entry.id, expiresAt: now() + activeKeyTtlMs });
    return entry;
  }

  async function resolveCurrentDataKey(workspaceId: string): Promise<DataKeyEntry> {
    await ready();
    for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
      const [row] = await db
        .select(dataKeyColumns)
        .from(vaultDataKeys)
        .where(and(eq(vaultDataKeys.workspaceId, workspaceId), eq(vaultDataKeys.state, 'active')));
      if (row) return pointTo(dataKeys.get(row.id) ?? remember(unwrapRow(row)));
      try {
        return pointTo(await insertDataKey(workspaceId, { retireCurrent: false }));
      } catch (error) {
        if (!(error instanceof KeyConflict)) throw error;
      }
    }
    throw new Error(`Could not settle on a data key for workspace ${workspaceId} after ${MAX_KEY_ATTEMPTS} attempts.`);
  }

  /**
   * Creates the workspace's next data key version, wrapped by the active master key. The master key's
   * row is share-locked so a rotation cannot retire it between this check and the insert.
   */
  async function insertDataKey(workspaceId: string, { retireCurrent }: { retireCurrent: boolean }): Promise<DataKeyEntry> {
    const raw = randomBytes(DATA_KEY_BYTES);
    const id = newId();
    try {
      const version = await db.transaction(async (tx) => {
        await lockActiveMasterKey(tx);
        if (retireCurrent) {
          await tx
            .update(vaultDataKeys)
            .set({ state: 'retired' })
            .where(and(eq(vaultDataKeys.workspaceId, workspaceId), eq(vaultDataKeys.state, 'active')));
        }
        const [latest] = await tx
          .select({ version: sql<number | null>`max(${vaultDataKeys.version})` })
          .from(vaultDataKeys)
          .where(eq(vaultDataKeys.workspaceId, workspaceId));
        const next = (latest?.version ?? 0) + 1;
        const inserted = await tx
          .insert(vaultDataKeys)
          .values({
            id,
            workspaceId,
            version: next,
            state: 'active',
            masterKeyId: keyring.active.id,
            wrappedKey: wrapDataKey(keyring.active.key, raw, wrapAad({ id, workspaceId, version: next }, keyring.active.id)),
          })
          // Another process created this version, or an active key, first: start over from what it committed.
          .onConflictDoNothing()
          .returning({ id: vaultDataKeys.id });
        if (inserted.length === 0) throw new KeyConflict();
        return next;
      });
      stats.unwraps++;
      return remember({ id, workspaceId, version, key: createSecretKey(raw) });
    } catch (error) {
      if (pgErrorCode(error) === '23503') {
        throw new Error(`Workspace ${workspaceId} does not exist: the vault keeps data keys only for existing workspaces.`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      raw.fill(0);
    }
  }

  async function lockActiveMasterKey(tx: Tx): Promise<void> {
    const [master] = await tx
      .select({ state: vaultMasterKeys.state })
      .from(vaultMasterKeys)
      .where(eq(vaultMasterKeys.id, keyring.active.id))
      .for('share');
    if (!master) {
      // ready() inserted it; only a hand-edited database gets here.
      throw new VaultKeyringError(
        'master_key_missing',
        `Master key '${keyring.active.id}' is not registered in vault_master_keys; restart the process to register it.`,
      );
    }
    if (master.state === 'retired') {
      throw new VaultKeyringError(
        'master_key_retired',
        `Master key '${keyring.active.id}' was retired by a rotation, so it cannot wrap new data keys: this process ` +
          'runs with an out-of-date SWITCHBOARD_MASTER_KEY. Give it the current keyring (the new key first) and restart it.',
      );
    }
  }

  async function openCiphertext(workspaceId: string, ciphertext: string, aad: string | undefined) {
    const workspace = normaliseWorkspaceId(workspaceId);
    const parsed = parseCiphertext(ciphertext);
    if (!parsed) {
      throw new VaultDecryptError(
        'malformed_ciphertext',
        'The value is not a vault ciphertext (expected sbv1.<data key id>.<iv>.<tag>.<ciphertext> in base64url, ' +
          'with a 12-byte iv and a 16-byte tag).',
      );
    }
    const entry = await dataKeyById(parsed.dataKeyId);
    if (entry.workspaceId !== workspace) {
      throw new VaultDecryptError(
        'wrong_workspace',
        `Data key ${entry.id} does not belong to workspace ${workspace}: the ciphertext was moved, or the wrong workspace was asked for.`,
        { dataKeyId: entry.id },
      );
    }
    let body: Buffer;
    try {
      body = open(entry.key, parsed, secretAad(workspace, entry.id, aad));
    } catch (cause) {
      throw new VaultDecryptError(
        'authentication_failed',
        `A ciphertext under data key ${entry.id} (workspace ${workspace}, version ${entry.version}) failed authentication: ` +
          'it was altered, or it was sealed for another field (its aad differs).',
        { dataKeyId: entry.id, cause },
      );
    }
    return { entry, value: decodePlaintext(body, entry.id) };
  }

  async function encrypt(workspaceId: string, plaintext: Plaintext, aad?: string): Promise<string> {
    const workspace = normaliseWorkspaceId(workspaceId);
    const body = encodePlaintext(plaintext);
    try {
      const entry = await currentDataKey(workspace);
      return formatCiphertext(entry.id, seal(entry.key, body, secretAad(workspace, entry.id, aad)));
    } finally {
      body.fill(0);
    }
  }

  async function decrypt(workspaceId: string, ciphertext: string, aad?: string): Promise<Plaintext> {
    return (await openCiphertext(workspaceId, ciphertext, aad)).value;
  }

  return {
    encrypt,
    decrypt,
    async decryptString(workspaceId, ciphertext, aad) {
      const { entry, value } = await openCiphertext(workspaceId, ciphertext, aad);
      if (typeof value !== 'string') throw unexpectedKind(entry.id, 'a string', 'an object');
      return value;
    },
    async decryptObject<T extends object>(workspaceId: string, ciphertext: string, aad?: string) {
      const { entry, value } = await openCiphertext(workspaceId, ciphertext, aad);
      if (typeof value === 'string') throw unexpectedKind(entry.id, 'an object', 'a string');
      return value as T;
    },
    async reencrypt(workspaceId, ciphertext, aad) {
      const { entry, value } = await openCiphertext(workspaceId, ciphertext, aad);
      const current = await currentDataKey(normaliseWorkspaceId(workspaceId));
      return current.id === entry.id ? ciphertext : encrypt(workspaceId, value, aad);
    },
    async rotateDataKey(workspaceId) {
      const workspace = normaliseWorkspaceId(workspaceId);
      await ready();
      for (let attempt = 0; attempt < MAX_KEY_ATTEMPTS; attempt++) {
        try {
          const entry = pointTo(await insertDataKey(workspace, { retireCurrent: true }));
          return { dataKeyId: entry.id, version: entry.version };
        } catch (error) {
          if (!(error instanceof KeyConflict)) throw error;
        }
      }
      throw new Error(`Could not start a new data key for workspace ${workspace} after ${MAX_KEY_ATTEMPTS} attempts.`);
    },
    ready,
    cacheStats: () => ({ size: dataKeys.size, ...stats }),
    clearCache() {
      dataKeys.clear();
      currentKeyIds.clear();
    },
  };
}

function normaliseWorkspaceId(workspaceId: string): string {
  if (typeof workspaceId !== 'string' || !isUuid(workspaceId)) throw new TypeError('workspaceId must be a UUID');
  return workspaceId.toLowerCase();
}

/** One kind byte, then UTF-8: the kind is inside the sealed bytes, so it is authenticated too. */
function encodePlaintext(plaintext: Plaintext): Buffer {
  let kind: number;
  let text: string | undefined;
  if (typeof plaintext === 'string') {
    kind = KIND_STRING;
    text = plaintext;
  } else if (typeof plaintext === 'object' && plaintext !== null) {
    kind = KIND_OBJECT;
    text = JSON.stringify(plaintext) as string | undefined;
  }
  if (text === undefined) throw new TypeError('The vault encrypts a string or a JSON-serialisable object.');
  // Written straight into one buffer, so the only copy outside the caller's string is the one zeroed after sealing.
  const body = Buffer.alloc(1 + Buffer.byteLength(text));
  body[0] = kind!;
  body.write(text, 1);
  return body;
}

function decodePlaintext(body: Buffer, dataKeyId: string): Plaintext {
  try {
    const text = body.toString('utf8', 1);
    if (body[0] === KIND_STRING) return text;
    if (body[0] === KIND_OBJECT) return JSON.parse(text) as object;
  } finally {
    body.fill(0);
  }
  // Authenticated bytes of unknown kind: written by a newer format this code does not know.
  throw new VaultDecryptError('malformed_ciphertext', `A ciphertext under data key ${dataKeyId} holds a value kind this version does not read.`, {
    dataKeyId,
  });
}

function unexpectedKind(dataKeyId: string, wanted: string, found: string): VaultDecryptError {
  return new VaultDecryptError('unexpected_kind', `Expected ${wanted} under data key ${dataKeyId}, found ${found}.`, { dataKeyId });
}

/** The SQLSTATE of a driver error, looking through Drizzle's wrapper. */
function pgErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** A Map in recency order: reads move an entry to the end, inserts past the bound drop from the front. */
class LruCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.limit <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
