// How Airtable's documented error bodies read, for the shared error wording (sdk/provider-errors.ts). Airtable
// answers `{ error: { type, message } }` for most failures (AUTHENTICATION_REQUIRED,
// INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND, INVALID_REQUEST_UNKNOWN …), `{ error: "NOT_FOUND" }` for an unknown
// route or record, and `error` + `message` side by side for a 429.
import type { CheckResult } from '../../sdk/define.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

export const TITLE = 'Airtable';

/** Airtable asks for 30 s of quiet after a 429 and sends no Retry-After; this is passed on instead. */
export const RATE_LIMIT_PAUSE_MS = 30_000;

/** "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: Invalid permissions, or …", "RATE_LIMIT_REACHED: …" or "NOT_FOUND". */
export function airtableDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  const record = (body ?? {}) as { error?: unknown; message?: unknown };
  const error = record.error;
  if (typeof error === 'string') return typeof record.message === 'string' ? `${error}: ${record.message}` : error;
  if (!error || typeof error !== 'object') return undefined;
  const { type, message } = error as { type?: unknown; message?: unknown };
  const parts = [typeof type === 'string' ? type : undefined, typeof message === 'string' ? message : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

const errors = providerErrors({ title: TITLE, detail: airtableDetail, credentialField: 'credentials.token' });

/** A 429 without Retry-After gets Airtable's documented 30 s, so callers are told when to come back. */
function withPause(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status !== 429 || error.retryAfterMs !== undefined) return error;
  return new ProviderError({ code: error.code, status: error.status, body: error.body, message: error.message, retryAfterMs: RATE_LIMIT_PAUSE_MS });
}

/** Runs a provider call and rethrows its failure in Airtable's own terms. */
export async function airtableCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await errors.call(work);
  } catch (error) {
    throw withPause(error);
  }
}

export function checkFailure(error: unknown): CheckResult {
  return errors.checkFailure(withPause(error));
}
