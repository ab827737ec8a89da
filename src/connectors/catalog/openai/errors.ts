// How OpenAI's documented error body (`{ error: { message, type, param, code } }`) becomes a check failure
// or an action error, with the key fragment OpenAI echoes on a 401 removed before anyone sees it.
import { rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

export const TITLE = 'OpenAI';

interface OpenAiErrorBody {
  message?: string;
  type?: string;
  code?: string;
}

/** The `error` object of an OpenAI error body, when the body has one. */
export function errorOf(body: unknown): OpenAiErrorBody | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return undefined;
  const { message, type, code } = error as Record<string, unknown>;
  return {
    ...(typeof message === 'string' ? { message: withoutKeyEcho(message) } : {}),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/**
 * OpenAI's 401 says "Incorrect API key provided: sk-proj-ab***…wxyz." — the first characters of the key
 * the user pasted. Those must not reach API answers, logs or audit entries, so the fragment goes.
 */
export function withoutKeyEcho(message: string): string {
  return message.replace(/(API key provided):\s*\S+?(\.?)(?=\s|$)/i, '$1$2');
}

/** Same body with the message cleaned; everything else (type, param, code) kept for callers that branch on it. */
function cleanBody(body: unknown): unknown {
  const error = errorOf(body);
  if (!error) return body;
  return { error: { ...(body as { error: Record<string, unknown> }).error, ...(error.message !== undefined ? { message: error.message } : {}) } };
}

/** "401 invalid_api_key: Incorrect API key provided." — status, OpenAI's code (or type), then its words. */
function detailOf(error: ProviderError): string {
  const body = errorOf(error.body);
  const code = body?.code ?? body?.type;
  const words = body?.message ?? error.message.replace(`${TITLE} answered ${error.status ?? ''}`, '').replace(/^:\s*/, '');
  return [code, words].filter(Boolean).join(': ');
}

/** Rewrites a provider failure so actions report OpenAI's code and cleaned message. */
export function describe(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status === undefined) return error;
  return new ProviderError({
    code: error.code,
    status: error.status,
    body: cleanBody(error.body),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    message: `${TITLE} answered ${error.status} ${detailOf(error)}`,
  });
}

/** Runs a provider call and rethrows its failure in OpenAI's own terms. */
export async function openAiCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw describe(error);
  }
}

/** A check that could not succeed: the key refused, OpenAI busy, or something the user must change. */
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
