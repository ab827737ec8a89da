// How OpenAI's documented error body (`{ error: { message, type, param, code } }`) is read by the shared
// provider-error wording, with the key fragment OpenAI echoes on a 401 removed before anyone sees it.
import { providerErrors } from '../../sdk/provider-errors.ts';

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

const errors = providerErrors({
  title: TITLE,
  // "invalid_api_key: Incorrect API key provided." — OpenAI's code (or type), then its words.
  detail(body) {
    const error = errorOf(body);
    const text = [error?.code ?? error?.type, error?.message].filter(Boolean).join(': ');
    return text === '' ? undefined : text;
  },
  credentialField: 'credentials.apiKey',
  body: cleanBody,
});

/** Runs a provider call and rethrows its failure in OpenAI's own terms. */
export const openAiCall = errors.call;
/** A check that could not succeed: the key refused, OpenAI busy, or something the user must change. */
export const checkFailure = errors.checkFailure;
