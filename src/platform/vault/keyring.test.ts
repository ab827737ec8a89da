import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultKeyringError } from './errors.ts';
import {
  derivedKeyId,
  describeKeyring,
  ensureLocalMasterKey,
  fingerprintOf,
  generateMasterKey,
  keyringFromEnv,
  masterKey,
  validateKeyring,
} from './keyring.ts';

function keyringError(run: () => unknown): VaultKeyringError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultKeyringError);
    return error as VaultKeyringError;
  }
  throw new Error('expected a VaultKeyringError');
}

describe('keyringFromEnv', () => {
  it('reads one bare base64 key as the active key, with an id derived from its fingerprint', () => {
    const key = randomBytes(32);
    const keyring = keyringFromEnv(key.toString('base64'));
    expect(keyring.active.key.equals(key)).toBe(true);
    expect(keyring.active.id).toBe(derivedKeyId(key));
    expect(keyring.active.id).toMatch(/^mk-[0-9a-f]{12}$/);
    expect(keyring.previous).toEqual([]);
  });

  it('reads several id:key entries, the first active, in base64, base64url or hex, with comments and new lines', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const keyring = keyringFromEnv(
      ` 2026-05:${a.toString('base64')} ,2025-01:${b.toString('base64url')}\n# the oldest\nold_1:${c.toString('hex')}\n`,
    );
    expect(keyring.active.id).toBe('2026-05');
    expect(keyring.active.key.equals(a)).toBe(true);
    expect(keyring.previous.map((entry) => entry.id)).toEqual(['2025-01', 'old_1']);
    expect(keyring.previous[0]!.key.equals(b)).toBe(true);
    expect(keyring.previous[1]!.key.equals(c)).toBe(true);
  });

  it('rejects bad values with a message naming the entry and never the key text', () => {
    const good = randomBytes(32).toString('base64');
    const short = randomBytes(31).toString('base64');
    const long = randomBytes(33).toString('base64');
    // One character changed in the unused low bits of the last base64 digit: decodes to the same bytes.
    const nonCanonical = good.slice(0, 42) + String.fromCharCode(good.charCodeAt(42) ^ 1) + '=';
    const cases: [string, RegExp][] = [
      ['', /is empty/],
      [' , # only a comment', /is empty/],
      [short, /entry 1: the key must be 32 random bytes/],
      [`k1:${good},k2:${long}`, /entry 2 \('k2'\): the key must be 32 random bytes/],
      [`k1:${good.slice(0, 20)}!${good.slice(21)}`, /entry 1 \('k1'\)/],
      [`bad id:${good}`, /entry 1: the id before ':'/],
      [`k1:${good},k1:${randomBytes(32).toString('base64')}`, /'k1' is listed twice/],
      [`k1:${good},k2:${good}`, /'k1' and 'k2' are the same key/],
    ];
    if (Buffer.from(nonCanonical, 'base64').equals(Buffer.from(good, 'base64'))) {
      cases.push([nonCanonical, /entry 1: the key must be/]);
    }
    for (const [value, message] of cases) {
      const error = keyringError(() => keyringFromEnv(value));
      expect(error.code).toBe('invalid_format');
      expect(error.message).toMatch(message);
      for (const secret of [good, short, long, good.slice(0, 20)]) expect(error.message).not.toContain(secret);
    }
  });

  it('keeps key bytes out of JSON, util.inspect and therefore logs', () => {
    const key = randomBytes(32);
    const keyring = keyringFromEnv(`k1:${key.toString('base64')}`);
    const printed = [JSON.stringify(keyring), inspect(keyring, { depth: 10 }), JSON.stringify({ config: { keyring } })];
    for (const text of printed) {
      expect(text).toContain('k1');
      expect(text).not.toContain(key.toString('base64'));
      expect(text).not.toContain(key.toString('hex'));
      // Buffers inspect as <Buffer 1a 2b …>.
      expect(text).not.toContain(key.toString('hex').slice(0, 2) + ' ' + key.toString('hex').slice(2, 4));
    }
    expect(keyring.active.key.equals(key)).toBe(true);
  });

  it('describes a keyring by ids and short fingerprints', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const keyring = validateKeyring({ active: masterKey('new', a), previous: [masterKey('old', b)] });
    expect(describeKeyring(keyring)).toEqual({
      active: { id: 'new', fingerprint: fingerprintOf(a).slice(0, 16) },
      previous: [{ id: 'old', fingerprint: fingerprintOf(b).slice(0, 16) }],
    });
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(b));
    expect(fingerprintOf(a)).not.toContain(a.toString('hex'));
  });

  it('generates keys that parse', () => {
    const value = generateMasterKey();
    expect(Buffer.from(value, 'base64')).toHaveLength(32);
    expect(keyringFromEnv(value).active.key.toString('base64')).toBe(value);
  });
});

describe('ensureLocalMasterKey', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  function dataDir(): string {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'switchboard-vault-'));
    directories.push(directory);
    return path.join(directory, 'data');
  }

  it('generates <dataDir>/master.key with mode 0600 on first start and reuses it afterwards', () => {
    const dir = dataDir();
    const first = ensureLocalMasterKey(dir);
    expect(first.created).toBe(true);
    expect(first.path).toBe(path.join(dir, 'master.key'));
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(first.warning).toContain('SWITCHBOARD_MASTER_KEY');
    expect(first.warning).toContain(first.path);
    expect(first.warning).not.toContain(first.keyring.active.key.toString('base64'));

    const second = ensureLocalMasterKey(dir);
    expect(second.created).toBe(false);
    expect(second.warning).toContain('SWITCHBOARD_MASTER_KEY');
    expect(second.keyring.active.id).toBe(first.keyring.active.id);
    expect(second.keyring.active.key.equals(first.keyring.active.key)).toBe(true);
  });

  it('tightens a key file other users can read, and says so', () => {
    const dir = dataDir();
    const { path: file } = ensureLocalMasterKey(dir);
    chmodSync(file, 0o644);
    const again = ensureLocalMasterKey(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(again.warning).toMatch(/reset to 0600/);
  });

  it('reads a key file an operator edited to rotate (new key first)', () => {
    const dir = dataDir();
    const { path: file, keyring } = ensureLocalMasterKey(dir);
    const next = randomBytes(32);
    const old = readFileSync(file, 'utf8').split('\n').find((line) => line && !line.startsWith('#'))!;
    writeFileSync(file, `next:${next.toString('base64')}\n${old}\n`, { mode: 0o600 });
    const rotated = ensureLocalMasterKey(dir);
    expect(rotated.keyring.active.id).toBe('next');
    expect(rotated.keyring.previous.map((entry) => entry.id)).toEqual([keyring.active.id]);
  });
});
