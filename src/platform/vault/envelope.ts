// AES-256-GCM sealing and the two string formats: secrets (`sbv1.…`) under data keys, data keys (`w1.…`)
// under master keys. Pure functions with no database, so the formats are tested and reasoned about alone.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { isUuid } from '../ids.ts';

export const CIPHERTEXT_PREFIX = 'sbv1';
const WRAPPED_PREFIX = 'w1';
const ALGORITHM = 'aes-256-gcm';
// 96-bit random IVs: with one data key per workspace version, a key seals far fewer than the 2^32
// messages after which random 96-bit IVs risk a collision.
const IV_BYTES = 12;
// Fixed at 16 on both sides: without authTagLength Node accepts a truncated tag, which weakens forgery resistance.
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function seal(key: KeyObject, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Throws Node's "unable to authenticate data" when anything (key, iv, tag, ciphertext, aad) differs. */
export function open(key: KeyObject, sealed: Sealed, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  // update() hands out plaintext before final() has checked the tag: zero it whether or not the check passes.
  const head = decipher.update(sealed.ciphertext);
  try {
    const tail = decipher.final();
    const plaintext = Buffer.concat([head, tail]);
    tail.fill(0);
    return plaintext;
  } finally {
    head.fill(0);
  }
}

/** `sbv1.<dataKeyId>.<iv>.<tag>.<ciphertext>`, binary parts in base64url without padding. */
export function formatCiphertext(dataKeyId: string, sealed: Sealed): string {
  return [CIPHERTEXT_PREFIX, dataKeyId, ...encodeParts(sealed)].join('.');
}

export interface ParsedCiphertext extends Sealed {
  dataKeyId: string;
}

/** Undefined for anything that is not a well-formed vault ciphertext. */
export function parseCiphertext(value: unknown): ParsedCiphertext | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== CIPHERTEXT_PREFIX) return undefined;
  const [, dataKeyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (!isUuid(dataKeyId)) return undefined;
  const sealed = decodeParts(iv, tag, ciphertext);
  return sealed && { dataKeyId: dataKeyId.toLowerCase(), ...sealed };
}

/**
 * The associated data of a secret: the format, the workspace, the data key and the caller's context
 * (e.g. `integration:<id>:credential`). A ciphertext copied to another workspace, row or field, or
 * relabelled with another key id, fails authentication. JSON keeps the fields unambiguous.
 */
export function secretAad(workspaceId: string, dataKeyId: string, aad: string | undefined): Buffer {
  return Buffer.from(JSON.stringify([CIPHERTEXT_PREFIX, workspaceId.toLowerCase(), dataKeyId, aad ?? '']));
}

export interface DataKeyIdentity {
  id: string;
  workspaceId: string;
  version: number;
}

/** Binds a wrapped key to its row and master key: swapping wrapped keys between rows in the database fails. */
export function wrapAad(dataKey: DataKeyIdentity, masterKeyId: string): Buffer {
  return Buffer.from(JSON.stringify(['sb-data-key-v1', dataKey.id, dataKey.workspaceId, dataKey.version, masterKeyId]));
}

export function wrapDataKey(masterKey: KeyObject, rawKey: Buffer, aad: Buffer): string {
  return [WRAPPED_PREFIX, ...encodeParts(seal(masterKey, rawKey, aad))].join('.');
}

/**
 * Opens a wrapped data key into raw bytes. The caller owns them and must zero them (`fill(0)`) when done;
 * `unwrapDataKeyObject` does that for the usual case.
 */
export function unwrapDataKey(masterKey: KeyObject, wrapped: string, aad: Buffer): Buffer {
  const parts = wrapped.split('.');
  const sealed = parts.length === 4 && parts[0] === WRAPPED_PREFIX ? decodeParts(parts[1]!, parts[2]!, parts[3]!) : undefined;
  if (!sealed) throw new Error('the wrapped key is not in the w1 format');
  const raw = open(masterKey, sealed, aad);
  if (raw.length !== DATA_KEY_BYTES) {
    raw.fill(0);
    throw new Error('the wrapped key does not hold a 32-byte key');
  }
  return raw;
}

/** Unwraps into a KeyObject (key bytes held by OpenSSL, out of the JS heap) and zeroes the raw copy. */
export function unwrapDataKeyObject(masterKey: KeyObject, wrapped: string, aad: Buffer): KeyObject {
  const raw = unwrapDataKey(masterKey, wrapped, aad);
  try {
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}

function encodeParts(sealed: Sealed): [string, string, string] {
  return [sealed.iv.toString('base64url'), sealed.tag.toString('base64url'), sealed.ciphertext.toString('base64url')];
}

function decodeParts(iv: string, tag: string, ciphertext: string): Sealed | undefined {
  const decoded = [iv, tag, ciphertext].map(decodeBase64url);
  const [ivBytes, tagBytes, ciphertextBytes] = decoded;
  if (!ivBytes || !tagBytes || !ciphertextBytes) return undefined;
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES || ciphertextBytes.length === 0) return undefined;
  return { iv: ivBytes, tag: tagBytes, ciphertext: ciphertextBytes };
}

function decodeBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // The last character of a length that is not a multiple of 3 carries unused bits; only the canonical
  // spelling is accepted, so every altered character of a ciphertext is a different ciphertext.
  return bytes.toString('base64url') === text ? bytes : undefined;
}
