// One way for a connector to word a provider's failure: each provider only says how to read its own error
// body (its code and message); this turns that into action errors ("Murf answered 400 …: …") and connection
// check failures (auth / config / unavailable, with the wait a 429 asked for). The notion folder still
// carries an older per-connector copy of the same logic.
import type { z } from 'zod';
import { rejectedBy, type CheckResult } from './define.ts';
import { ProviderError } from './provider-http.ts';

export interface ErrorDialect {
  /** The provider's name as users know it (the connector's title). */
  title: string;
  /**
   * The provider's own words from an error body, e.g. "ValidationError: 'script' is required", or undefined
   * when the body is not one of its documented error shapes (the generic summary is used then).
   */
  detail(body: unknown): string | undefined;
  /** The credential field a refused credential points at, e.g. `credentials.apiKey`. */
  credentialField: string;
  /** Statuses that mean "this credential is refused". Default 401 and 403. */
  authStatuses?: readonly number[];
  /**
   * For providers whose HTTP status misleads (Meta throttles and refuses tokens with 400, YouTube's spent quota
   * is a 403): the status the hub should act on (429 → retry later, 401 → the credential) and how long to wait.
   * The message keeps the status the provider answered.
   */
  classify?(error: ProviderError): { status?: number; retryAfterMs?: number } | undefined;
  /**
   * The error body as the described error keeps it (callers see it as the provider's body), for providers whose
   * error bodies quote what must not travel further, e.g. OpenAI's 401 quoting part of the key. Default: as is.
   */
  body?(body: unknown): unknown;
}

export interface ProviderErrors {
  /** "400 ValidationError: 'script' is required": the status-less detail of a failed call. */
  detailOf(error: ProviderError): string;
  /** Rewrites a provider failure into the provider's own terms; anything else passes through unchanged. */
  describe(error: unknown): unknown;
  /** Runs a provider call and rethrows its failure in the provider's own terms. */
  call<T>(work: () => Promise<T>): Promise<T>;
  /** A connection check that could not succeed: the credential refused, the provider busy, or a setting to fix. */
  checkFailure(error: unknown): CheckResult;
}

/** Text a string may carry in one of the usual places of an error body (`message`, `error`, `detail` …). */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
  return undefined;
}

/** Errors `describe` produced, with the status the provider answered (before `classify`). */
const described = new WeakMap<ProviderError, number>();

export function providerErrors(dialect: ErrorDialect): ProviderErrors {
  const authStatuses = dialect.authStatuses ?? [401, 403];

  function detailOf(error: ProviderError): string {
    return dialect.detail(error.body) ?? error.message.replace(`${dialect.title} answered ${error.status ?? ''}`, '').replace(/^:\s*/, '');
  }

  function describe(error: unknown): unknown {
    // A call nested in another is described once: the outer pass would reword the classified status.
    if (!(error instanceof ProviderError) || error.status === undefined || described.has(error)) return error;
    const classified = dialect.classify?.(error);
    const retryAfterMs = classified?.retryAfterMs ?? error.retryAfterMs;
    const rewritten = new ProviderError({
      code: error.code,
      status: classified?.status ?? error.status,
      body: dialect.body ? dialect.body(error.body) : error.body,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(error.headers !== undefined ? { headers: error.headers } : {}),
      message: `${dialect.title} answered ${error.status} ${detailOf(error)}`.trimEnd(),
    });
    described.set(rewritten, error.status);
    return rewritten;
  }

  return {
    detailOf,
    describe,
    async call(work) {
      try {
        return await work();
      } catch (error) {
        throw describe(error);
      }
    },
    checkFailure(failure) {
      if (!(failure instanceof ProviderError)) throw failure;
      // Decided on the classified status, worded with the one the provider answered.
      const error = describe(failure) as ProviderError;
      if (error.status !== undefined && authStatuses.includes(error.status)) return rejectedBy(dialect.title, described.get(error) ?? error.status, detailOf(error), dialect.credentialField);
      // A 429 or a 5xx says "later", not "wrong credential"; network failures carry no status at all.
      if (error.status === undefined || error.status === 429 || error.status >= 500) {
        const wait = error.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : '';
        return { ok: false, reason: 'unavailable', message: `${error.message}${wait}` };
      }
      return { ok: false, reason: 'config', message: error.message };
    },
  };
}

/** Validates a provider answer; a shape the documentation does not describe becomes a ProviderError. */
export function readAnswer<T>(title: string, schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // No `body` on purpose: an unexpected answer may hold anything, secrets included.
  throw new ProviderError({
    code: 'invalid_response',
    message: `${title} answered ${what} in an undocumented shape (${issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
  });
}
