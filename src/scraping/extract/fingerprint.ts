// Fingerprints of extracted content: a SHA-256 of the normalised text for exact duplicates (and for chunk
// identity), and a 64-bit SimHash of word shingles for near-duplicates (same article, different dates/ads).
import { createHash } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Case and whitespace do not make two pages different. */
export function contentHash(markdown: string): string {
  return sha256(markdown.toLowerCase().replace(/\s+/g, ' ').trim());
}

/** Lower-cased words of letters and digits, in any script. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// FNV-1a over UTF-16 code units, 32 bits, with a seed so two independent halves make a 64-bit hash.
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche: FNV's low bits alone are weak for similar inputs.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

export { fnv1a };

const SHINGLE = 3;

/** SimHash over word 3-shingles, as a signed 64-bit integer (the database's bigint). Null for < 3 words. */
export function simhash(text: string): bigint | null {
  const tokens = words(text);
  if (tokens.length < SHINGLE) return null;
  const weights = new Int32Array(64);
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    const shingle = tokens.slice(i, i + SHINGLE).join(' ');
    const low = fnv1a(shingle, 0);
    const high = fnv1a(shingle, 0x9e3779b9);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (low >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (high >>> bit) & 1 ? 1 : -1;
    }
  }
  let value = 0n;
  for (let bit = 63; bit >= 0; bit--) value = (value << 1n) | (weights[bit]! > 0 ? 1n : 0n);
  return BigInt.asIntN(64, value);
}

export function hammingDistance(a: bigint, b: bigint): number {
  const x = BigInt.asUintN(64, a ^ b);
  // Two 32-bit halves as plain numbers: BigInt arithmetic bit by bit is slow, and batches compare many pairs.
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Pages whose SimHashes differ in this many bits or fewer are near-duplicates. Unrelated pages differ in
 * about 32 bits (binomial, so 6 or fewer by chance is about one in 10¹¹); a page that changed only a
 * date differs in 3–5 on pages of a few hundred words, which the web-scale 3 would miss half the time.
 */
export const NEAR_DUPLICATE_BITS = 6;

// Widths of the SimHash bands (64 bits in all). There are NEAR_DUPLICATE_BITS + 1 of them, so two hashes
// within NEAR_DUPLICATE_BITS bits of each other agree exactly on at least one band (pigeonhole): looking
// pages up by band finds every near-duplicate without comparing against every page of the scrape.
const BAND_WIDTHS = [10, 9, 9, 9, 9, 9, 9];

/** The band keys of a SimHash: band index × 1024 + the band's bits, one per band. */
export function simhashBands(value: bigint): number[] {
  let bits = BigInt.asUintN(64, value);
  return BAND_WIDTHS.map((width, band) => {
    const key = band * 1024 + Number(bits & ((1n << BigInt(width)) - 1n));
    bits >>= BigInt(width);
    return key;
  });
}
