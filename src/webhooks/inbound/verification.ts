// What every inbound verifier takes and answers: the raw request, the clock, and either a de-duplication
// key for the accepted delivery or the reason it was refused (a value, never a throw).
import { createHash, timingSafeEqual } from 'node:crypto';

export interface InboundRequest {
  /** The body exactly as received: signatures cover these bytes, not a re-serialised JSON. */
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

export type Verification = { ok: true; dedupKey: string } | { ok: false; reason: string };

/** Reference verifiers (Standard Webhooks, Stripe, Svix) allow this much clock difference either way. */
export const TOLERANCE_SECONDS = 5 * 60;

/** A unix timestamp header checked against the clock; a reason when it is unusable or out of tolerance. */
export function timestampProblem(value: string, nowMs: number, toleranceSeconds = TOLERANCE_SECONDS): string | null {
  if (!/^\d{1,12}$/.test(value.trim())) return 'the timestamp header is not a unix time in seconds';
  const skew = Math.floor(nowMs / 1000) - Number(value);
  if (skew > toleranceSeconds) return `the timestamp is ${skew} s old (more than ${toleranceSeconds} s): a replay, or a clock far off`;
  if (skew < -toleranceSeconds) return `the timestamp is ${-skew} s in the future (more than ${toleranceSeconds} s)`;
  return null;
}

/** Constant-time comparison of two byte strings of possibly different lengths. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A replay of the same signed request carries the same signature: its digest identifies it. */
export function signatureKey(signature: string): string {
  return `sig:${createHash('sha256').update(signature).digest('hex')}`;
}
