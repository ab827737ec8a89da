// How ElevenLabs' error bodies become check failures and action errors: `{ detail: { status, message } }`
// for its own errors (invalid_api_key, voice_not_found, quota_exceeded, too_many_concurrent_requests …)
// and FastAPI's `{ detail: [{ loc, msg, type }] }` for a request that fails validation (422).
import { rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

export const TITLE = 'ElevenLabs';

/** ElevenLabs' own `detail.status` code of an error body, e.g. `invalid_api_key`. */
export function statusCodeOf(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return undefined;
  const status = (detail as { status?: unknown }).status;
  return typeof status === 'string' ? status : undefined;
}

/** "invalid_api_key: Invalid API key", or "body.text: Field required" for a validation error. */
function detailOf(error: ProviderError): string {
  const detail = (error.body as { detail?: unknown } | null)?.detail;
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
  return error.message.replace(`${TITLE} answered ${error.status ?? ''}`, '').replace(/^:\s*/, '');
}

export function describe(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status === undefined) return error;
  return new ProviderError({
    code: error.code,
    status: error.status,
    body: error.body,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    message: `${TITLE} answered ${error.status} ${detailOf(error)}`.trimEnd(),
  });
}

/** Runs a provider call and rethrows its failure in ElevenLabs' own terms. */
export async function elevenLabsCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw describe(error);
  }
}

export function checkFailure(error: unknown): CheckResult {
  if (!(error instanceof ProviderError)) throw error;
  if (error.status === 401 || error.status === 403) return rejectedBy(TITLE, error.status, detailOf(error), 'credentials.apiKey');
  const described = describe(error) as ProviderError;
  if (error.status === undefined || error.status === 429 || error.status >= 500) {
    const wait = error.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
    return { ok: false, reason: 'unavailable', message: `${described.message}${wait}` };
  }
  return { ok: false, reason: 'config', message: described.message };
}
