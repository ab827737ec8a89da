// What connector code calls providers with: requests relative to the connector's base URL, auth already
// injected, through the shared outbound client (timeouts, retries, breaker, rate budget, SSRF guard).
import type { OutboundErrorCode, ResponseHeaders, RetryOptions } from '../../platform/outbound/contracts.ts';

export interface ProviderRequest {
  method?: string;
  /** Relative to the base URL (`/v1/voices`), or absolute when a provider hands out full URLs (pagination links). */
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  body?: string | Uint8Array;
  /** How to read the answer. Default 'json'. */
  responseType?: 'json' | 'text' | 'bytes';
  /** Overrides the outbound client's default (retry on for idempotent methods). */
  retry?: RetryOptions | false;
  timeoutMs?: number;
  /** Cache a 2xx GET this long (the connector's cacheTtlMs when true). */
  cache?: boolean | number;
}

export interface ProviderResponse<T> {
  status: number;
  headers: ResponseHeaders;
  data: T;
}

/** A provider call that did not produce a 2xx answer; `body` is the provider's error body, parsed when JSON. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly code: OutboundErrorCode | 'invalid_response';
  readonly status: number | undefined;
  readonly body: unknown;
  readonly retryAfterMs: number | undefined;
  /** The answer's headers, when there was an answer (Meta reports its throttling state in them, even on errors). */
  readonly headers: ResponseHeaders | undefined;

  constructor(input: {
    code: OutboundErrorCode | 'invalid_response';
    message: string;
    status?: number;
    body?: unknown;
    retryAfterMs?: number;
    headers?: ResponseHeaders;
  }) {
    super(input.message);
    this.code = input.code;
    this.status = input.status;
    this.body = input.body;
    this.retryAfterMs = input.retryAfterMs;
    this.headers = input.headers;
  }
}

export interface ProviderHttp {
  /** Resolves with a 2xx answer; rejects with ProviderError otherwise. */
  request<T = unknown>(request: ProviderRequest): Promise<ProviderResponse<T>>;
  get<T = unknown>(path: string, options?: Omit<ProviderRequest, 'path' | 'method'>): Promise<ProviderResponse<T>>;
  post<T = unknown>(path: string, json?: unknown, options?: Omit<ProviderRequest, 'path' | 'method' | 'json'>): Promise<ProviderResponse<T>>;
}
