// How ElevenLabs' error bodies become check failures and action errors: `{ detail: { status, message } }`
// for its own errors (invalid_api_key, voice_not_found, quota_exceeded, too_many_concurrent_requests …)
// and FastAPI's `{ detail: [{ loc, msg, type }] }` for a request that fails validation (422).
import { providerErrors } from '../../sdk/provider-errors.ts';

export const TITLE = 'ElevenLabs';

/** ElevenLabs' own `detail.status` code of an error body, e.g. `invalid_api_key`. */
export function statusCodeOf(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return undefined;
  const status = (detail as { status?: unknown }).status;
  return typeof status === 'string' ? status : undefined;
}

/** "invalid_api_key: Invalid API key", or "body.text: Field required" for a validation error. */
function detailOf(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (Array.isArray(detail)) {
    const issues = detail
      .map((issue: { loc?: unknown; msg?: unknown }) => `${Array.isArray(issue.loc) ? issue.loc.join('.') : 'request'}: ${typeof issue.msg === 'string' ? issue.msg : 'invalid'}`)
      .slice(0, 3);
    if (issues.length > 0) return issues.join('; ');
  }
  if (detail && typeof detail === 'object') {
    const { status, message } = detail as { status?: unknown; message?: unknown };
    const parts = [typeof status === 'string' ? status : undefined, typeof message === 'string' ? message : undefined].filter(Boolean);
    if (parts.length > 0) return parts.join(': ');
  }
  return undefined;
}

const errors = providerErrors({ title: TITLE, detail: detailOf, credentialField: 'credentials.apiKey' });

/** Runs a provider call and rethrows its failure in ElevenLabs' own terms. */
export const elevenLabsCall = errors.call;
export const checkFailure = errors.checkFailure;
