// Master keys: SWITCHBOARD_MASTER_KEY parsed into a keyring, the embedded default key file, fingerprints.
import { createHmac, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { VaultKeyringError } from './errors.ts';

export interface MasterKey {
  readonly id: string;
  /** 32 random bytes. Keyrings from this module keep it non-enumerable, so logging one prints no key. */
  readonly key: Buffer;
}

export interface Keyring {
  /** Wraps every new data key; rotation re-wraps the others under it. */
  readonly active: MasterKey;
  /** Older keys, still accepted to unwrap data keys until a rotation has moved them all to `active`. */
  readonly previous: readonly MasterKey[];
}

export const MASTER_KEY_BYTES = 32;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const FINGERPRINT_LABEL = 'switchboard/vault/master-key-fingerprint/v1';
export const MASTER_KEY_FILE = 'master.key';

/**
 * A one-way fingerprint (hex) that identifies a master key without revealing it. Keyed with the key
 * itself rather than a plain hash, so it is not a hash of the secret that could be reused elsewhere.
 */
export function fingerprintOf(key: Buffer): string {
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex');
}

/** The id a key listed without one gets: stable for that key, different for any other key. */
export function derivedKeyId(key: Buffer): string {
  return `mk-${fingerprintOf(key).slice(0, 12)}`;
}

/** A new random master key in the format SWITCHBOARD_MASTER_KEY accepts (same as `openssl rand -base64 32`). */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/** Builds a keyring entry whose key bytes stay out of JSON.stringify, util.inspect and therefore logs. */
export function masterKey(id: string, key: Buffer): MasterKey {
  const entry = { id } as MasterKey;
  Object.defineProperty(entry, 'key', { value: key, enumerable: false });
  return Object.freeze(entry);
}

/**
 * Parses SWITCHBOARD_MASTER_KEY (or the key file, which uses the same format).
 *
 * Format: one or more entries separated by commas or new lines; the first is the active key, the rest are
 * previous keys. An entry is `<id>:<key>` or just `<key>`, where the key is 32 bytes in base64 (44
 * characters, `openssl rand -base64 32`; base64url accepted) or hex (64 characters, `openssl rand -hex 32`),
 * and an id is 1-64 letters, digits, `_` or `-`. A key without an id gets `mk-` + 12 hex digits of its
 * fingerprint. Lines starting with `#` are comments. Examples:
 *   SWITCHBOARD_MASTER_KEY=Zm9vYmFy…=                        one key
 *   SWITCHBOARD_MASTER_KEY=2026-05:Q2hh…=,2025-01:Zm9v…=       rotating from 2025-01 to 2026-05
 */
export function keyringFromEnv(value: string, source = 'SWITCHBOARD_MASTER_KEY'): Keyring {
  const isComment = (text: string) => text.trim().startsWith('#');
  // Comment lines go first: their prose may hold commas.
  const entries = value
    .split('\n')
    .filter((line) => !isComment(line))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !isComment(entry));
  if (entries.length === 0) {
    throw new VaultKeyringError(
      'invalid_format',
      `${source} is empty. Set it to a key from \`openssl rand -base64 32\`, or to several \`id:key\` entries separated by commas.`,
    );
  }
  const keys = entries.map((entry, index) => parseEntry(entry, `${source} entry ${index + 1}`));
  const [active, ...previous] = keys as [MasterKey, ...MasterKey[]];
  return validateKeyring({ active, previous }, source);
}

function parseEntry(entry: string, where: string): MasterKey {
  const colon = entry.indexOf(':');
  const id = colon === -1 ? undefined : entry.slice(0, colon).trim();
  const encoded = colon === -1 ? entry : entry.slice(colon + 1).trim();
  if (id !== undefined && !ID_PATTERN.test(id)) {
    // The id is a label, not a secret, but it may be a mangled key: show only its length.
    throw new VaultKeyringError(
      'invalid_format',
      `${where}: the id before ':' (${id.length} characters) must be 1-64 letters, digits, '_' or '-', starting with a letter or digit.`,
    );
  }
  const key = decodeKey(encoded);
  if (!key) {
    throw new VaultKeyringError(
      'invalid_format',
      `${where}${id ? ` ('${id}')` : ''}: the key must be ${MASTER_KEY_BYTES} random bytes, written as base64 ` +
        `(44 characters, from \`openssl rand -base64 32\`) or hex (64 characters, from \`openssl rand -hex 32\`); ` +
        `this one is ${encoded.length} characters and is neither.`,
    );
  }
  return masterKey(id ?? derivedKeyId(key), key);
}

function decodeKey(encoded: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(encoded)) return Buffer.from(encoded, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) return undefined;
  // Node's decoder skips characters it does not expect and ignores stray trailing bits; re-encoding
  // catches both, so a typo fails here instead of silently becoming another key.
  const key = Buffer.from(encoded, 'base64');
  const canonical = encoded.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (key.length !== MASTER_KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== canonical) return undefined;
  return key;
}

/** Checks a keyring built by hand (tests, CLI) the same way a parsed one is checked. */
export function validateKeyring(keyring: Keyring, source = 'the keyring'): Keyring {
  const all = [keyring.active, ...keyring.previous];
  const ids = new Set<string>();
  const fingerprints = new Map<string, string>();
  for (const { id, key } of all) {
    if (!ID_PATTERN.test(id)) {
      throw new VaultKeyringError('invalid_format', `${source}: master key id '${id}' must be 1-64 letters, digits, '_' or '-'.`);
    }
    if (!Buffer.isBuffer(key) || key.length !== MASTER_KEY_BYTES) {
      throw new VaultKeyringError('invalid_format', `${source}: master key '${id}' must be ${MASTER_KEY_BYTES} bytes.`);
    }
    if (ids.has(id)) throw new VaultKeyringError('invalid_format', `${source}: master key id '${id}' is listed twice.`);
    ids.add(id);
    const fingerprint = fingerprintOf(key);
    const other = fingerprints.get(fingerprint);
    if (other !== undefined) {
      throw new VaultKeyringError('invalid_format', `${source}: master keys '${other}' and '${id}' are the same key.`);
    }
    fingerprints.set(fingerprint, id);
  }
  return Object.freeze({
    active: masterKey(keyring.active.id, keyring.active.key),
    previous: Object.freeze(keyring.previous.map((entry) => masterKey(entry.id, entry.key))),
  });
}

/** Ids and short fingerprints, for logs and `switchboard keys` output. */
export function describeKeyring(keyring: Keyring): { active: KeyDescription; previous: KeyDescription[] } {
  const describe = ({ id, key }: MasterKey) => ({ id, fingerprint: fingerprintOf(key).slice(0, 16) });
  return { active: describe(keyring.active), previous: keyring.previous.map(describe) };
}
export interface KeyDescription {
  id: string;
  fingerprint: string;
}

export interface LocalMasterKey {
  keyring: Keyring;
  path: string;
  /** True when this call generated the file. */
  created: boolean;
  /** Always set: a key stored beside the database it protects is for local use only. */
  warning: string;
}

/**
 * The embedded default when SWITCHBOARD_MASTER_KEY is unset: `<dataDir>/master.key`, generated on first
 * start with mode 0600. The file takes the same format as the variable, so an operator can rotate in
 * embedded mode too by editing it (new key first).
 */
export function ensureLocalMasterKey(dataDir: string): LocalMasterKey {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, MASTER_KEY_FILE);
  const created = createKeyFileIfMissing(file);
  const keyring = keyringFromEnv(readFileSync(file, 'utf8'), file);
  const notes: string[] = [];
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    try {
      chmodSync(file, 0o600);
      notes.push(`Its permissions let other users read it; they were reset to 0600.`);
    } catch {
      notes.push(`Other users can read it: run \`chmod 600 ${file}\`.`);
    }
  }
  const warning =
    `${created ? 'Generated a master key' : 'Using the master key'} in ${file}: it sits beside the data it protects, ` +
    `so anyone with a copy of the data directory can read every credential. In production set ` +
    `SWITCHBOARD_MASTER_KEY (\`openssl rand -base64 32\`), listing this file's key after it, and run ` +
    `\`switchboard keys rotate\`.${notes.length > 0 ? ` ${notes.join(' ')}` : ''}`;
  return { keyring, path: file, created, warning };
}

/**
 * Writes a complete, synced temporary file and hard-links it into place: the link either creates the
 * file or fails because another process just did, so two first starts agree on one key and nobody
 * reads a half-written file.
 */
function createKeyFileIfMissing(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const contents =
    '# Switchboard master key, generated on first start. Whoever holds it and the database can read every credential.\n' +
    '# Production: set SWITCHBOARD_MASTER_KEY instead (see src/platform/vault/README.md). Format: [id:]base64, active first.\n' +
    `${generateMasterKey()}\n`;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
    syncDirectory(path.dirname(file));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function syncDirectory(directory: string): void {
  // A lost directory entry after a crash would lose the key while the data it wrapped survived.
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file itself is synced.
  }
}
