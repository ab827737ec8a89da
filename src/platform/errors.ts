// The API's error vocabulary: every error response is { error: { code, message, details? } } with a
// stable code from this table. The table is the documentation (README and OpenAPI are generated from it).

export const ERROR_CODES = {
  validation_failed: { status: 400, meaning: 'The request body, query or path has invalid fields; `details` lists each field and why.' },
  bad_request: { status: 400, meaning: 'The request is malformed (for example, the body is not valid JSON).' },
  ai_bad_request: { status: 400, meaning: 'The AI provider refused the request as invalid (the caller\'s input): not retried and not sent to another provider; `details` carries its answer.' },
  unauthenticated: { status: 401, meaning: 'No valid API key or session. Send `Authorization: Bearer <key>` or sign in.' },
  invalid_credentials: { status: 401, meaning: 'Email or password is wrong.' },
  budget_exceeded: { status: 402, meaning: "The workspace's AI budget (tokens or cost, per day or month) has no room for this request's worst case; `details.resetsAt` says when it resets." },
  forbidden: { status: 403, meaning: 'Authenticated, but the role or key scope does not allow this.' },
  not_found: { status: 404, meaning: 'No such resource in this workspace (resources of other workspaces also answer this).' },
  route_not_found: { status: 404, meaning: 'No such route. The API lives under /api/v1; see /docs.' },
  conflict: { status: 409, meaning: 'The change conflicts with the current state (for example, a duplicate name).' },
  idempotency_key_in_use: { status: 409, meaning: 'A request with this Idempotency-Key is still being processed; retry later.' },
  payload_too_large: { status: 413, meaning: 'The body is larger than SWITCHBOARD_BODY_LIMIT.' },
  unsupported_media_type: { status: 415, meaning: 'Send JSON with Content-Type: application/json.' },
  connection_failed: { status: 422, meaning: 'The provider refused the credential or settings, or could not be reached; the message quotes its answer and `details.field` names the field when known. Nothing was stored.' },
  provider_rejected: { status: 422, meaning: "The provider refused the request (a 4xx of its own); `details` carries its status and error body." },
  idempotency_key_reused: { status: 422, meaning: 'This Idempotency-Key was used for a different request (method, path or body).' },
  rate_limited: { status: 429, meaning: 'Too many requests for this API key; wait for the Retry-After header.' },
  ai_rate_limited: { status: 429, meaning: "The workspace's AI requests-per-minute or tokens-per-minute limit is used up; wait for Retry-After." },
  provider_rate_limited: { status: 429, meaning: "The provider's rate limit was reached (after retries); wait for Retry-After." },
  internal_error: { status: 500, meaning: 'An unexpected error; the response carries a request id to find it in the logs.' },
  provider_unavailable: { status: 502, meaning: 'The provider failed (5xx, timeout, network, open circuit breaker) or answered in an undocumented shape.' },
  ai_route_exhausted: { status: 502, meaning: 'Every target of the AI route failed or was skipped; `details.attempts` and `details.skipped` say why for each.' },
  ai_unavailable: { status: 503, meaning: 'No AI target could be tried: none is configured for the route, or all are cooling down, filtered out or behind an open breaker.' },
  ai_timeout: { status: 504, meaning: "The AI route's whole-call time limit passed before a target answered." },
  not_ready: { status: 503, meaning: 'The hub is starting or stopping.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldProblem {
  /** Dotted path of the field, prefixed by where it was: body.name, query.limit, params.id. */
  field: string;
  message: string;
}

/** Thrown by route handlers to answer with a documented error; anything else thrown becomes internal_error. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} was not found in this workspace.`);
}

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
