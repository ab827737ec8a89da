// How Notion's documented error body (`{ object: 'error', status, code, message, request_id }`) becomes a
// check failure or an action error that names Notion's code, e.g. "Notion answered 404 object_not_found: …".
import { rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

export const TITLE = 'Notion';

function errorOf(body: unknown): { code?: string; message?: string } | undefined {
  if (!body || typeof body !== 'object' || (body as { object?: unknown }).object !== 'error') return undefined;
  const { code, message } = body as Record<string, unknown>;
  return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
}

/** "object_not_found: Could not find page with ID: …" — Notion's code, then its words. */
function detailOf(error: ProviderError): string {
  const body = errorOf(error.body);
  const words = body?.message ?? error.message.replace(`${TITLE} answered ${error.status ?? ''}`, '').replace(/^:\s*/, '');
  return [body?.code, words].filter(Boolean).join(': ');
}

export function describe(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status === undefined) return error;
  return new ProviderError({
    code: error.code,
    status: error.status,
    body: error.body,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    message: `${TITLE} answered ${error.status} ${detailOf(error)}`,
  });
}

/** Runs a provider call and rethrows its failure in Notion's own terms. */
export async function notionCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw describe(error);
  }
}

export function checkFailure(error: unknown): CheckResult {
  if (!(error instanceof ProviderError)) throw error;
  if (error.status === 401 || error.status === 403) return rejectedBy(TITLE, error.status, detailOf(error), 'credentials.token');
  const described = describe(error) as ProviderError;
  // 429 rate_limited and 5xx/529 service_overload say "later", not "wrong credential".
  if (error.status === undefined || error.status === 429 || error.status >= 500) {
    const wait = error.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
    return { ok: false, reason: 'unavailable', message: `${described.message}${wait}` };
  }
  return { ok: false, reason: 'config', message: described.message };
}
