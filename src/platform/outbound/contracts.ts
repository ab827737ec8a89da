// The outbound client's vocabulary: what a caller asks for, what it gets back, and the operation record
// each call leaves for the health pages. Expected failures are values with a stable code from this table.
import type { Dispatcher } from 'undici';
import type { RateBudget } from './rate-budget.ts';

export const OUTBOUND_ERROR_CODES = {
  http_error: 'The server answered with a status outside 2xx (after any retries); `status` and `response` hold its answer.',
  timeout: 'An attempt got no complete answer within timeoutMs (connect, headers or body).',
  network: 'The connection failed: DNS, refused, reset, TLS. Nothing usable came back.',
  ssrf_refused: 'The URL or an address its host resolves to is not allowed (see SWITCHBOARD_ALLOW_PRIVATE_NETWORKS). Never retried.',
  circuit_open: 'The breaker for breakerKey is open after repeated failures; the call was not sent.',
  rate_limited_locally: "The rate budget has no room within timeoutMs; the call was not sent. `retryAfterMs` says when it will.",
  response_too_large: 'The response body exceeded maxResponseBytes and was abandoned.',
  too_many_redirects: 'followRedirects gave up after maxHops redirects.',
  aborted: "The caller's AbortSignal fired.",
} as const;

export type OutboundErrorCode = keyof typeof OUTBOUND_ERROR_CODES;

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface RetryOptions {
  /** Attempts in total, the first included (1 = never retry). Default 3. */
  maxAttempts?: number;
  /** Upper bound of the first jittered delay; doubles per retry. Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of any jittered delay. Default 10,000 ms. */
  maxDelayMs?: number;
  /**
   * Longest wait a server may ask for (Retry-After, rate-limit reset) that is still honoured in-call.
   * A longer request ends the call with `retryAfterMs` set, for a job to reschedule. Default 30,000 ms.
   */
  maxRetryAfterMs?: number;
}

export interface OutboundRequest {
  url: string | URL;
  /** Default GET. */
  method?: string;
  headers?: Readonly<Record<string, string>>;
  /** Buffered so every retry can send it again; streams are deliberately not accepted. */
  body?: string | Uint8Array;
  /** Per attempt (connect + headers + body), and the longest wait for rateBudget. Default 30,000 ms. */
  timeoutMs?: number;
  /**
   * Retries on network errors, timeouts, 408, 429 and 5xx except 501. Default: on for GET, HEAD, OPTIONS,
   * PUT and DELETE (safe to repeat), off (`false`) for POST and PATCH unless the caller opts in.
   */
  retry?: RetryOptions | false;
  /** One unit per attempt from the budget under this key; shared across calls and, with Redis, nodes. */
  rateBudget?: RateBudget;
  /** Attempts under one key share a circuit breaker; use the provider (or endpoint) id. */
  breakerKey?: string;
  signal?: AbortSignal;
  /** Opt-in: keep a 2xx GET/HEAD answer this long (in memory). */
  cacheTtlMs?: number;
  /** Default 25 MiB. */
  maxResponseBytes?: number;
  /** Copied into the operation record (integration, action, endpoint ...); never secrets. */
  labels?: Readonly<Record<string, string>>;
  /**
   * Sends through this dispatcher (an outbound proxy) instead of the guarded one. The proxy resolves the
   * target, so the caller must first check it with `guard.checkUrl` (resolved addresses), as scraping does.
   */
  dispatcher?: Dispatcher;
}

export interface OutboundResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

export interface OutboundError {
  code: OutboundErrorCode;
  message: string;
  /** The last HTTP status, when there was one. */
  status?: number;
  /** When the server (Retry-After), the breaker or the rate budget says trying again makes sense. */
  retryAfterMs?: number;
}

export type OutboundResult =
  | ({ ok: true; attempts: number; latencyMs: number; fromCache: boolean } & OutboundResponse)
  | {
      ok: false;
      error: OutboundError;
      /** The last answer for http_error (a provider's error body is what the user needs to read). */
      response?: OutboundResponse;
      attempts: number;
      latencyMs: number;
    };

/** A streamed call (server-sent events): never retried or cached, since a half-read stream cannot be replayed. */
export interface OutboundStreamRequest extends Omit<OutboundRequest, 'retry' | 'cacheTtlMs' | 'maxResponseBytes'> {
  /** For the stream: connect and answer headers only. Default 30,000 ms. */
  timeoutMs?: number;
  /** Longest silence between two chunks of the body once it flows. Default: timeoutMs. */
  idleTimeoutMs?: number;
}

export type OutboundStreamResult =
  | {
      ok: true;
      status: number;
      headers: ResponseHeaders;
      /** The body as it arrives; ends, or throws on a cut connection, idle timeout or abort. */
      body: AsyncIterable<Buffer>;
      /** Milliseconds until the answer's headers arrived. */
      latencyMs: number;
      /** Stops reading and closes the connection (a caller that gave up). */
      cancel(): void;
    }
  | Extract<OutboundResult, { ok: false }>;

/** One per request() call, for health pages and the dashboard's recent operations. */
export interface OutboundOperation {
  /** Query values replaced by `*`: API keys often travel there. */
  url: string;
  method: string;
  /** The last HTTP status seen, or null when no answer came. */
  status: number | null;
  latencyMs: number;
  /** HTTP attempts started (0 for a cache hit, or a call refused before any connection was tried). */
  attempts: number;
  errorCode: OutboundErrorCode | null;
  fromCache: boolean;
  breakerKey?: string;
  labels?: Readonly<Record<string, string>>;
  startedAt: number;
}

/** The URL as it may be shown and stored: no credentials, no fragment, no query values. */
export function redactUrl(url: URL): string {
  const names = [...url.searchParams.keys()];
  const query = names.length > 0 ? `?${names.map((name) => `${encodeURIComponent(name)}=*`).join('&')}` : '';
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}
