// GLM's business error codes: it answers HTTP 429 for rate limits (1302–1305), its 5-hour usage cap
// (1308) *and* an empty balance (1113), so only the code in the body says which one happened.
import { describeFailure, errorObject, type ProviderFailure } from '../../../ai/providers/sdk.ts';

export const TITLE = 'GLM';

const AUTH = new Set(['1000', '1001', '1002', '1003', '1004', '1112', '1120']);
const RATE_LIMITED = new Set(['1302', '1303', '1304', '1305', '1308', '1309']);
const NOT_FOUND = new Set(['1211', '1220', '1221', '1222']);
const SERVER = new Set(['1230', '1234']);
// Without a reset time in the answer, a 5-hour cap is waited out in steps of this.
const USAGE_CAP_COOLDOWN_MS = 15 * 60_000;

/**
 * GLM states when a usage cap resets ("…将在 2026-03-01 12:00:00 重置" / "…will reset at 2026-03-01
 * 12:00:00"), in Beijing time (UTC+8).
 */
export function capResetMs(message: string | undefined, now = Date.now()): number | undefined {
  const match = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(message ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const at = Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
  return at > now ? at - now : undefined;
}

export function classifyGlmError(status: number, body: unknown, retryAfterMs: number | undefined): ProviderFailure {
  const error = errorObject(body);
  const code = error?.code;
  const message = describeFailure(TITLE, status, body);
  const base = { message, status, ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (code === '1113') return { ...base, class: 'out_of_balance' };
  if (code && RATE_LIMITED.has(code)) {
    const wait = retryAfterMs ?? (code === '1308' ? (capResetMs(error?.message) ?? USAGE_CAP_COOLDOWN_MS) : undefined);
    return { ...base, class: 'rate_limited', ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if ((code && AUTH.has(code)) || status === 401 || status === 403) return { ...base, class: 'auth' };
  if (code && NOT_FOUND.has(code)) return { ...base, class: 'not_found' };
  if ((code && SERVER.has(code)) || status === 408 || status >= 500) return { ...base, class: 'server_error' };
  if (status === 402) return { ...base, class: 'out_of_balance' };
  if (status === 429) return { ...base, class: 'rate_limited' };
  if (status === 404) return { ...base, class: 'not_found' };
  return { ...base, class: 'bad_request' };
}
