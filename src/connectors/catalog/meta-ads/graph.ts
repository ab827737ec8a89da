// Meta's Graph API conventions shared by the Meta Ads and Instagram connectors: the version in the base URL,
// the error body `{ error: { message, type, code, error_subcode, fbtrace_id } }` turned into statuses the hub
// acts on (a bad token is an auth failure, throttling is a 429 with a wait), the usage headers Meta reports
// its throttling in, and `paging.next` links that must stay on graph.facebook.com.
// Docs used:
//   https://developers.facebook.com/docs/graph-api/guides/error-handling        (error object, codes 1, 2, 4, 17, 190, 341, 368, 613)
//   https://developers.facebook.com/docs/graph-api/overview/rate-limiting       (X-App-Usage, X-Business-Use-Case-Usage, estimated_time_to_regain_access)
//   https://developers.facebook.com/docs/marketing-api/overview/rate-limiting   (X-Ad-Account-Usage, codes 17/2446079, 613/1487742, 80000-80014)
//   https://developers.facebook.com/docs/graph-api/results                      (cursor paging: paging.cursors.after, paging.next)
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError, type ProviderResponse } from '../../sdk/provider-http.ts';
import type { Page } from '../../sdk/paginate.ts';

/** The Graph API version every call is pinned to; Meta supports a version for two years after release. */
export const GRAPH_VERSION = 'v25.0';
export const GRAPH_ORIGIN = 'https://graph.facebook.com';
export const GRAPH_BASE = `${GRAPH_ORIGIN}/${GRAPH_VERSION}`;

interface GraphErrorObject {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  error_user_msg?: string;
}

/** The `error` object of a Graph answer, when it has one. */
export function graphErrorOf(body: unknown): GraphErrorObject | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  return error && typeof error === 'object' ? (error as GraphErrorObject) : undefined;
}

/** Access token problems: 190 (expired, revoked, invalid), 102 (session), 463/467 subcodes ride on 190. */
const AUTH_CODES = new Set([102, 190]);
/** Permission problems: 10 and 200-299 (the token lacks a permission, or the user a role on the object). */
const isPermissionCode = (code: number) => code === 10 || (code >= 200 && code <= 299);
/**
 * Throttling: 4 (app), 17 (user), 32 (page), 613 (too many calls), 80000-80014 (business use case limits:
 * 80000 ads insights, 80002 Instagram, 80004 ads management, ...). Meta answers these with HTTP 400 or 403.
 */
const isThrottleCode = (code: number) => code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80014);

function headerText(headers: ProviderResponse<unknown>['headers'] | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface GraphUsage {
  /** The highest share (0-100) of any reported budget: app, business use case or ad account. */
  maxPercent: number;
  /** How long Meta says the caller is blocked for, when it says so. */
  regainAccessMs?: number;
}

/**
 * Reads X-App-Usage, X-Business-Use-Case-Usage and X-Ad-Account-Usage. The business use case header is
 * `{ "<business id>": [{ type, call_count, total_cputime, total_time, estimated_time_to_regain_access (minutes) }] }`;
 * the ad account header `{ acc_id_util_pct, reset_time_duration (seconds) }`. Undefined when none is present.
 */
export function graphUsage(headers: ProviderResponse<unknown>['headers'] | undefined): GraphUsage | undefined {
  const percents: number[] = [];
  const waits: number[] = [];
  const app = parseJson(headerText(headers, 'x-app-usage')) as Record<string, unknown> | undefined;
  if (app && typeof app === 'object') for (const key of ['call_count', 'total_cputime', 'total_time']) if (typeof app[key] === 'number') percents.push(app[key]);
  const buc = parseJson(headerText(headers, 'x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as Array<Record<string, unknown>>) {
        for (const key of ['call_count', 'total_cputime', 'total_time']) if (typeof entry[key] === 'number') percents.push(entry[key]);
        const minutes = entry.estimated_time_to_regain_access;
        if (typeof minutes === 'number' && minutes > 0) waits.push(minutes * 60_000);
      }
    }
  }
  const account = parseJson(headerText(headers, 'x-ad-account-usage')) as Record<string, unknown> | undefined;
  if (account && typeof account === 'object') {
    if (typeof account.acc_id_util_pct === 'number') percents.push(account.acc_id_util_pct);
    // The reset time only means a wait once the account's budget is used up.
    if (typeof account.reset_time_duration === 'number' && account.reset_time_duration > 0 && typeof account.acc_id_util_pct === 'number' && account.acc_id_util_pct >= 100) {
      waits.push(account.reset_time_duration * 1000);
    }
  }
  if (percents.length === 0 && waits.length === 0) return undefined;
  return { maxPercent: percents.length > 0 ? Math.max(...percents) : 0, ...(waits.length > 0 ? { regainAccessMs: Math.max(...waits) } : {}) };
}

/** When a throttled caller should try again: Meta's own estimate, else a minute (its windows are rolling hours). */
const DEFAULT_THROTTLE_WAIT_MS = 60_000;

/** "Error validating access token: … (OAuthException, code 190, subcode 463, fbtrace_id …)"; fbtrace_id is what Meta support asks for. */
export function graphDetail(body: unknown): string | undefined {
  const graph = graphErrorOf(body);
  if (!graph) return undefined;
  const ids = [graph.type, typeof graph.code === 'number' ? `code ${graph.code}` : undefined, graph.error_subcode !== undefined ? `subcode ${graph.error_subcode}` : undefined, graph.fbtrace_id ? `fbtrace_id ${graph.fbtrace_id}` : undefined]
    .filter(Boolean)
    .join(', ');
  const words = graph.error_user_msg || graph.message || 'no message';
  return ids ? `${words} (${ids})` : words;
}

/**
 * What the hub should do about a Graph failure whatever HTTP status it came with: a dead token is a 401 (the
 * integration is marked expired), a missing permission a 403, throttling (which Meta answers with 400) a 429
 * with the wait the usage headers announce.
 */
function classifyGraphError(error: ProviderError): { status?: number; retryAfterMs?: number } | undefined {
  const code = graphErrorOf(error.body)?.code;
  if (typeof code !== 'number') return undefined;
  if (AUTH_CODES.has(code)) return { status: 401 };
  if (isPermissionCode(code)) return { status: 403 };
  if (isThrottleCode(code)) return { status: 429, retryAfterMs: graphUsage(error.headers)?.regainAccessMs ?? error.retryAfterMs ?? DEFAULT_THROTTLE_WAIT_MS };
  return undefined;
}

/**
 * The Graph API's error dialect for a connector (Meta Ads, Instagram). `credentialField` is empty for OAuth
 * connectors, whose token is no form field.
 */
export function graphErrors(title: string, credentialField = '') {
  return providerErrors({ title, detail: graphDetail, credentialField, classify: classifyGraphError });
}

/**
 * Graph paging hands out absolute `paging.next` URLs; the bearer token goes wherever they point, so a page
 * whose next link leaves graph.facebook.com stops the walk before it is followed.
 */
export function assertNextOnGraph(title: string, page: Page<unknown>): void {
  if (page.next && new URL(page.next).origin !== GRAPH_ORIGIN) {
    throw new ProviderError({ code: 'invalid_response', message: `${title} returned a next-page link outside ${GRAPH_ORIGIN}; it was not followed` });
  }
}

/** Past this share of any budget a sync stops and is retried later rather than be blocked for an hour. */
export const SYNC_USAGE_CEILING_PERCENT = 95;

/** Throws a 429 when the usage headers of a sync page say the next calls would be throttled. */
export function stopNearThrottle(title: string, response: ProviderResponse<unknown>): void {
  const usage = graphUsage(response.headers);
  if (!usage || (usage.maxPercent < SYNC_USAGE_CEILING_PERCENT && usage.regainAccessMs === undefined)) return;
  throw new ProviderError({
    code: 'http_error',
    status: 429,
    retryAfterMs: usage.regainAccessMs ?? DEFAULT_THROTTLE_WAIT_MS,
    message: `${title} reports ${Math.round(usage.maxPercent)}% of its rate limit used; the sync pauses here and resumes from its checkpoint`,
  });
}
