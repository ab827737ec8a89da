// The one outbound HTTP client for every provider call (connectors, proxy, webhooks, scrapers, AI):
// SSRF-guarded sockets, per-attempt timeouts, retries that honour Retry-After, a circuit breaker per
// provider, shared rate budgets and an opt-in cache, each call reported as one operation record.
import { TimeoutStrategy, timeout } from 'cockatiel';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { SharedState } from '../shared-state.ts';
import { createCircuitBreakers, type BreakerOptions, type BreakerState } from './circuit-breakers.ts';
import { systemClock, type Clock } from './clock.ts';
import {
  redactUrl,
  type OutboundError,
  type OutboundErrorCode,
  type OutboundOperation,
  type OutboundRequest,
  type OutboundResponse,
  type OutboundResult,
  type OutboundStreamRequest,
  type OutboundStreamResult,
  type RetryOptions,
} from './contracts.ts';
import { exchange, type Exchange } from './exchange.ts';
import { createGuardedDispatcher, type GuardedDispatcherOptions } from './guarded-dispatcher.ts';
import { createRateBudgets } from './rate-budget.ts';
import { createResponseCache, type ResponseCacheOptions } from './response-cache.ts';
import { isRetryableStatus, jitteredBackoff, serverRequestedDelayMs } from './retry-timing.ts';
import type { SsrfGuard } from './ssrf-guard.ts';
import { failure, openStream } from './stream.ts';

export interface OutboundClientOptions {
  guard: SsrfGuard;
  /** Where rate budgets are counted (Redis shares them across nodes). Default: this process's memory. */
  sharedState?: Pick<SharedState, 'rateLimiter'>;
  /** Default: the system clock. Tests pass a fake one whose sleep returns at once. */
  clock?: Clock;
  /** Receives one record per request() call; keep it cheap (it runs before request() returns). */
  onOperation?: (operation: OutboundOperation) => void;
  breaker?: BreakerOptions;
  cache?: ResponseCacheOptions;
  connection?: GuardedDispatcherOptions;
}

export interface OutboundClient {
  request(request: OutboundRequest): Promise<OutboundResult>;
  /**
   * One attempt whose 2xx body is handed over as it arrives (server-sent events). Same guard, rate budget
   * and breaker as request(); never retried (the caller decides: a stream cannot be replayed halfway).
   */
  stream(request: OutboundStreamRequest): Promise<OutboundStreamResult>;
  breakerState(breakerKey: string): BreakerState;
  /** Closes pooled connections; pending requests finish first. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 25 * 1024 * 1024;
const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 30_000 };
const inMemoryLimiters: Pick<SharedState, 'rateLimiter'> = {
  rateLimiter: ({ keyPrefix, points, durationSeconds }) => new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
};
const RETRIED_BY_DEFAULT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What one attempt produced: an exchange, or no exchange because the rate budget had no room. */
type Attempt = Exchange | { kind: 'no_budget'; retryAfterMs: number };

// Only the provider's own trouble opens its breaker: not 4xx, not our refusals, not the caller's abort.
const countsAgainstProvider = (attempt: Attempt) =>
  (attempt.kind === 'failed' && (attempt.code === 'timeout' || attempt.code === 'network')) ||
  (attempt.kind === 'response' && attempt.response.status >= 500 && attempt.response.status !== 501);

export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const { guard, onOperation } = options;
  const clock = options.clock ?? systemClock;
  const dispatcher = createGuardedDispatcher(guard, options.connection);
  const breakers = createCircuitBreakers<Attempt>({ clock, isFailure: countsAgainstProvider, breaker: options.breaker });
  const budgets = createRateBudgets({ sharedState: options.sharedState ?? inMemoryLimiters, clock });
  const cache = createResponseCache(clock, options.cache);

  async function request(input: OutboundRequest): Promise<OutboundResult> {
    const startedAt = clock.now();
    const method = (input.method ?? 'GET').toUpperCase();
    const headers = withDefaultUserAgent(input.headers ?? {});
    let attempts = 0;
    let lastStatus: number | null = null;
    const shownUrl = URL.canParse(String(input.url)) ? redactUrl(new URL(input.url)) : '(not a URL)';

    const finish = (result: OutboundResult): OutboundResult => {
      onOperation?.({
        url: shownUrl,
        method,
        status: result.ok ? result.status : (result.error.status ?? lastStatus),
        latencyMs: result.latencyMs,
        attempts: result.attempts,
        errorCode: result.ok ? null : result.error.code,
        fromCache: result.ok && result.fromCache,
        breakerKey: input.breakerKey,
        labels: input.labels,
        startedAt,
      });
      return result;
    };
    const fail = (
      code: OutboundErrorCode,
      message: string,
      extra: { status?: number; retryAfterMs?: number; response?: OutboundResponse } = {},
    ) => {
      const { response, ...details } = extra;
      const error: OutboundError = { code, message };
      if (details.status !== undefined) error.status = details.status;
      if (details.retryAfterMs !== undefined) error.retryAfterMs = details.retryAfterMs;
      return finish({ ok: false, error, ...(response ? { response } : {}), attempts, latencyMs: clock.now() - startedAt });
    };

    const target = guard.checkTarget(input.url);
    if (!target.ok) return fail('ssrf_refused', target.reason);
    const url = target.url;
    if (input.signal?.aborted) return fail('aborted', 'aborted before sending');

    const cacheKey = input.cacheTtlMs ? cache.keyFor(method, url.href, headers) : undefined;
    const cached = cacheKey ? cache.get(cacheKey) : undefined;
    if (cached) return finish({ ok: true, ...cached, attempts: 0, latencyMs: clock.now() - startedAt, fromCache: true });

    const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxResponseBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const retry = resolveRetry(method, input.retry);
    const nextBackoff = jitteredBackoff(retry);
    const attemptTimeout = timeout(timeoutMs, TimeoutStrategy.Cooperative);

    const attemptOnce = async (): Promise<Attempt> => {
      if (input.rateBudget) {
        const budget = await budgets.take(input.rateBudget, { maxWaitMs: timeoutMs, signal: input.signal });
        if (!budget.ok) return { kind: 'no_budget', retryAfterMs: budget.retryAfterMs };
      }
      attempts += 1;
      return attemptTimeout.execute(
        ({ signal }) =>
          exchange({ dispatcher: input.dispatcher ?? dispatcher, url, method, headers, body: input.body, signal, callerSignal: input.signal, timeoutMs, maxResponseBytes }),
        input.signal,
      );
    };

    try {
      for (;;) {
        const run = input.breakerKey
          ? await breakers.run(input.breakerKey, attemptOnce)
          : { admitted: true as const, value: await attemptOnce() };
        if (!run.admitted) {
          return fail('circuit_open', `circuit "${input.breakerKey}" is open after repeated failures; not sent`, {
            retryAfterMs: run.retryAfterMs,
          });
        }
        const attempt = run.value;
        if (attempt.kind === 'no_budget') {
          return fail('rate_limited_locally', `rate budget "${input.rateBudget?.key}" has no room within ${timeoutMs} ms; not sent`, {
            retryAfterMs: attempt.retryAfterMs,
          });
        }
        const canRetry = attempts < retry.maxAttempts;
        if (attempt.kind === 'failed') {
          const transient = attempt.code === 'timeout' || attempt.code === 'network';
          if (!transient || !canRetry) return fail(attempt.code, attempt.message);
          await clock.sleep(nextBackoff(), input.signal);
          continue;
        }

        const { response } = attempt;
        lastStatus = response.status;
        if (response.status >= 200 && response.status <= 299) {
          if (cacheKey) cache.set(cacheKey, response, input.cacheTtlMs!);
          return finish({ ok: true, ...response, attempts, latencyMs: clock.now() - startedAt, fromCache: false });
        }
        const asked = serverRequestedDelayMs(response.status, response.headers, clock.now());
        const httpError = () =>
          fail('http_error', `${method} ${shownUrl} answered ${response.status}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}`, {
            status: response.status,
            retryAfterMs: asked,
            response,
          });
        if (!isRetryableStatus(response.status) || !canRetry) return httpError();
        // Waiting less than asked only earns another refusal; waiting longer belongs to a job, not a call.
        if (asked !== undefined && asked > retry.maxRetryAfterMs) return httpError();
        await clock.sleep(asked ?? nextBackoff(), input.signal);
      }
    } catch (error) {
      if (input.signal?.aborted) return fail('aborted', 'aborted by the caller');
      throw error;
    }
  }

  async function stream(input: OutboundStreamRequest): Promise<OutboundStreamResult> {
    const startedAt = clock.now();
    const method = (input.method ?? 'POST').toUpperCase();
    const headers = withDefaultUserAgent(input.headers ?? {});
    const shownUrl = URL.canParse(String(input.url)) ? redactUrl(new URL(input.url)) : '(not a URL)';
    let attempts = 0;
    const report = (status: number | null, errorCode: OutboundErrorCode | null) =>
      onOperation?.({ url: shownUrl, method, status, latencyMs: clock.now() - startedAt, attempts, errorCode, fromCache: false, breakerKey: input.breakerKey, labels: input.labels, startedAt });
    const fail = (code: OutboundErrorCode, message: string, extra: { status?: number; retryAfterMs?: number; response?: OutboundResponse } = {}) => {
      report(extra.status ?? null, code);
      const error: OutboundError = { code, message };
      if (extra.status !== undefined) error.status = extra.status;
      if (extra.retryAfterMs !== undefined) error.retryAfterMs = extra.retryAfterMs;
      return { ok: false as const, error, ...(extra.response ? { response: extra.response } : {}), attempts, latencyMs: clock.now() - startedAt };
    };

    const target = guard.checkTarget(input.url);
    if (!target.ok) return fail('ssrf_refused', target.reason);
    if (input.signal?.aborted) return fail('aborted', 'aborted before sending');
    const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let live: Extract<Awaited<ReturnType<typeof openStream>>, { kind: 'live' }> | undefined;
    const attemptOnce = async (): Promise<Attempt> => {
      if (input.rateBudget) {
        const budget = await budgets.take(input.rateBudget, { maxWaitMs: timeoutMs, signal: input.signal });
        if (!budget.ok) return { kind: 'no_budget', retryAfterMs: budget.retryAfterMs };
      }
      attempts += 1;
      const opening = await openStream({
        dispatcher,
        url: target.url,
        method,
        headers,
        body: input.body,
        timeoutMs,
        idleTimeoutMs: input.idleTimeoutMs ?? timeoutMs,
        callerSignal: input.signal,
      });
      if (opening.kind === 'exchange') return opening.exchange;
      live = opening;
      // The breaker judges the opening only: a 2xx whose body later breaks is the caller's to judge.
      return { kind: 'response', response: { status: opening.status, headers: opening.headers, body: Buffer.alloc(0) } };
    };
    const run = input.breakerKey ? await breakers.run(input.breakerKey, attemptOnce) : { admitted: true as const, value: await attemptOnce() };
    if (!run.admitted) return fail('circuit_open', `circuit "${input.breakerKey}" is open after repeated failures; not sent`, { retryAfterMs: run.retryAfterMs });
    const attempt = run.value;
    if (attempt.kind === 'no_budget') {
      return fail('rate_limited_locally', `rate budget "${input.rateBudget?.key}" has no room within ${timeoutMs} ms; not sent`, { retryAfterMs: attempt.retryAfterMs });
    }
    if (attempt.kind === 'failed') return fail(attempt.code, attempt.message);
    if (!live) {
      const { response } = attempt;
      return fail('http_error', `${method} ${shownUrl} answered ${response.status}`, {
        status: response.status,
        retryAfterMs: serverRequestedDelayMs(response.status, response.headers, clock.now()),
        response,
      });
    }
    const opened = live;
    const headersAfterMs = clock.now() - startedAt;
    let reported = false;
    const reportOnce = (errorCode: OutboundErrorCode | null) => {
      if (reported) return;
      reported = true;
      report(opened.status, errorCode);
    };
    const body = (async function* () {
      try {
        for await (const chunk of opened.body) yield chunk;
        reportOnce(null);
      } catch (error) {
        const failed = failure(error, { timedOut: false, callerSignal: input.signal, timeoutMs });
        reportOnce(failed.code);
        throw Object.assign(new Error(failed.message), { code: failed.code });
      } finally {
        // A consumer that stops early (return/break) leaves the socket to be closed here.
        if (!reported) {
          reportOnce('aborted');
          opened.destroy();
        }
      }
    })();
    return { ok: true, status: opened.status, headers: opened.headers, body, latencyMs: headersAfterMs, cancel: () => opened.destroy() };
  }

  return {
    request,
    stream,
    breakerState: (key) => breakers.state(key),
    close: () => dispatcher.close(),
  };
}

function withDefaultUserAgent(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent') ? { ...headers } : { 'user-agent': 'Switchboard', ...headers };
}

function resolveRetry(method: string, retry: RetryOptions | false | undefined): Required<RetryOptions> {
  if (retry === false || (retry === undefined && !RETRIED_BY_DEFAULT.has(method))) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  return { ...DEFAULT_RETRY, ...retry };
}
