// The YouTube Data API's error body, `{ error: { code, message, errors: [{ domain, reason, message }], status } }`,
// in the SDK's error dialect: YouTube's words with its reason, a refused key (keyInvalid comes as 400) as a
// refusal of credentials.apiKey, quota and rate limits (403) as a 429 — the daily quota resets at midnight
// Pacific time.
// Docs: https://developers.google.com/youtube/v3/docs/errors (keyInvalid, quotaExceeded, rateLimitExceeded…)
//       https://developers.google.com/youtube/v3/getting-started#quota (10,000 units a day; list calls cost 1)
import { providerErrors } from '../../sdk/provider-errors.ts';
import type { ProviderError } from '../../sdk/provider-http.ts';

export const TITLE = 'YouTube';

export function youtubeReason(body: unknown): string | undefined {
  const errors = (body as { error?: { errors?: unknown } } | null)?.error?.errors;
  const reason = Array.isArray(errors) ? (errors[0] as { reason?: unknown } | undefined)?.reason : undefined;
  return typeof reason === 'string' ? reason : undefined;
}

/** "API key not valid. Please pass a valid API key. (keyInvalid)". */
function detail(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message !== 'string') return undefined;
  const reason = youtubeReason(body);
  return reason ? `${message} (${reason})` : message;
}

const DAILY = new Set(['quotaExceeded', 'dailyLimitExceeded']);
const THROTTLED = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
const KEY_REFUSED = new Set(['keyInvalid', 'keyExpired', 'ipRefererBlocked', 'accessNotConfigured']);

/** Until the next midnight in Los Angeles, when YouTube resets the daily quota (approximated as UTC-8). */
export function untilQuotaReset(now = Date.now()): number {
  const pacific = now - 8 * 3_600_000;
  const nextMidnight = Math.floor(pacific / 86_400_000 + 1) * 86_400_000;
  return nextMidnight - pacific;
}

function classify(error: ProviderError): { status?: number; retryAfterMs?: number } | undefined {
  const reason = youtubeReason(error.body);
  if (reason === undefined) return undefined;
  if (DAILY.has(reason)) return { status: 429, retryAfterMs: untilQuotaReset() };
  if (THROTTLED.has(reason)) return { status: 429, retryAfterMs: error.retryAfterMs ?? 60_000 };
  if (KEY_REFUSED.has(reason)) return { status: 401 };
  return undefined;
}

/** The dialect with the credential field a refusal points at (`credentials.apiKey`; none for OAuth). */
export function youtubeErrors(credentialField: string) {
  return providerErrors({ title: TITLE, detail, credentialField, classify });
}
export type YouTubeErrors = ReturnType<typeof youtubeErrors>;

/** For calls: the credential field only matters to a connection check. */
export const errors = youtubeErrors('credentials.apiKey');
