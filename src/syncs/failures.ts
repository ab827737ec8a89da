// How a failed sync attempt is judged: retryable (network, timeouts, 5xx, 429: the provider may recover)
// or not (a refused credential after a refresh, 403, 404, an answer or record that breaks the schema),
// and when the next attempt comes: 1, 2, 4, 8, 16 minutes by default, each moved by up to ±10 %.
import { z } from 'zod';
import { ProviderError } from '../connectors/sdk/provider-http.ts';

export const JITTER = 0.1;

export interface FailureVerdict {
  retryable: boolean;
  message: string;
  status: number | null;
  /** The provider asked for this wait (Retry-After on a 429/503). */
  retryAfterMs?: number;
  /** The provider refused the credential: the integration is marked as needing attention. */
  credentialRefused: boolean;
}

/** A failure another attempt cannot fix (the integration is gone, the sync no longer exists). */
export class SyncStoppedError extends Error {
  override name = 'SyncStoppedError';
}

/** A record the sync produced does not match its schema: a connector bug or a provider change, not a blip. */
export class RecordSchemaError extends SyncStoppedError {
  override name = 'RecordSchemaError';
}

const RETRYABLE_CODES = new Set(['network', 'timeout', 'circuit_open', 'rate_limited_locally']);

export function judgeFailure(error: unknown): FailureVerdict {
  if (error instanceof ProviderError) {
    const status = error.status ?? null;
    const retryable =
      RETRYABLE_CODES.has(error.code) || (error.code === 'http_error' && status !== null && (status >= 500 || status === 429 || status === 408) && status !== 501);
    return {
      retryable,
      message: error.message,
      status,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      // provider-http has already tried one refresh for OAuth credentials before a 401 reaches us.
      credentialRefused: status === 401,
    };
  }
  if (error instanceof SyncStoppedError || error instanceof z.ZodError) {
    return { retryable: false, message: error.message, status: null, credentialRefused: false };
  }
  // Anything else (the database went away, a worker timeout) may well pass: retry it.
  return { retryable: true, message: error instanceof Error ? error.message : String(error), status: null, credentialRefused: false };
}

/** The wait before retry number `retry` (1-based): base · 2^(retry-1), jittered, at least what the provider asked. */
export function retryDelayMs(retry: number, baseSeconds: number, retryAfterMs = 0, random: () => number = Math.random): number {
  const planned = baseSeconds * 1000 * 2 ** (retry - 1);
  const jittered = planned * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.max(jittered, Math.min(retryAfterMs, 24 * 3_600_000)));
}
