// When to try a provider again: which answers are worth retrying, how long the server asked us to wait
// (Retry-After and the common rate-limit headers), and the jittered backoff when it did not say.
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { ResponseHeaders } from './contracts.ts';

/** 408 and 429 are "try later"; 5xx is the server's fault, except 501 which will never start working. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

/**
 * The wait, in milliseconds, that the response asks for, or undefined when it names none.
 * Retry-After counts on any status; reset headers only on 429, because GitHub-style APIs send them on
 * every response and a 503 must not wait for an hourly quota window.
 */
export function serverRequestedDelayMs(status: number, headers: ResponseHeaders, nowMs: number): number | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined) {
    const parsed = parseRetryAfter(retryAfter, nowMs);
    if (parsed !== undefined) return parsed;
  }
  if (status !== 429) return undefined;

  // IETF draft: `ratelimit-reset: 30` (seconds), or the structured `ratelimit: limit=100, remaining=0, reset=30`.
  const draftReset = first(headers['ratelimit-reset']) ?? /\breset=(\d+)/.exec(first(headers['ratelimit']) ?? '')?.[1];
  if (draftReset !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(draftReset)) return Number(draftReset) * 1000;

  const resetAfter = first(headers['x-ratelimit-reset-after']);
  if (resetAfter !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(resetAfter)) return Number(resetAfter) * 1000;

  const candidates = [
    first(headers['x-ratelimit-reset']),
    first(headers['x-rate-limit-reset']),
    // OpenAI: per-dimension resets written as durations (`1s`, `6m0s`); the longest one is the binding one.
    first(headers['x-ratelimit-reset-requests']),
    first(headers['x-ratelimit-reset-tokens']),
  ]
    .map((value) => (value === undefined ? undefined : parseResetValue(value, nowMs)))
    .filter((value): value is number => value !== undefined);
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

function parseRetryAfter(value: string, nowMs: number): number | undefined {
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  // Only an HTTP-date has letters (day and month names); V8 would happily read "1.5" as a date.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A bare number is an epoch (ms or s) when it is large enough to be one, else seconds from now. */
function parseResetValue(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n >= 1e12) return Math.max(0, n - nowMs);
    if (n >= 1e9) return Math.max(0, n * 1000 - nowMs);
    return n * 1000;
  }
  const duration = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(trimmed);
  if (!duration || trimmed === '') return undefined;
  const [, h = '0', m = '0', s = '0', ms = '0'] = duration;
  return Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface BackoffOptions {
  /** Upper bound of the first delay; each later retry doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter (each delay uniform in [0, min(max, base·2ⁿ))), from cockatiel.
 * Returns a function giving the next delay each time it is called.
 */
export function jitteredBackoff({ baseDelayMs, maxDelayMs }: BackoffOptions): () => number {
  const factory = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: baseDelayMs, maxDelay: maxDelayMs });
  let current: IBackoff<unknown> | undefined;
  return () => {
    current = current ? current.next(undefined) : factory.next();
    return current.duration;
  };
}
