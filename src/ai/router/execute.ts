// The fallback loop shared by every AI call (chat, stream openings, embeddings, images): for each target in
// plan order, skip it while it cools down or its breaker is open, attempt it, write the ledger row, and
// act on the failure class — fail fast on the caller's bad request, cool down on rate limits and empty
// balances, mark the integration on an auth failure, retry 5xx/timeouts with backoff, then fall back.
import { markCredentialRefused, type IntegrationRow } from '../../integrations/service.ts';
import type { ProviderFailure, Usage } from '../providers/sdk.ts';
import type { AiRuntime } from '../runtime.ts';
import { breakerKey } from './breakers.ts';
import type { Candidate, Plan, Skip } from './plan.ts';
import type { AiRoute, RouteKind } from './route-config.ts';

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
// How long a rate-limited integration is skipped when the provider does not say.
const DEFAULT_RATE_LIMIT_COOLDOWN_MS = 20_000;
const BACKOFF_BASE_MS = 100;
// Timers may fire a millisecond or two early: an attempt that timed out this close to the deadline was cut by it.
const DEADLINE_SLACK_MS = 10;

export interface CallInfo {
  workspaceId: string;
  requestId: string;
  route: AiRoute;
  taskType: string;
  kind: RouteKind;
  streamed: boolean;
}

/** A provider call made inside an attempt before its final one (an answer that failed its schema and was repaired). */
export interface EarlierCall {
  usage: Usage;
  latencyMs: number;
  failure: ProviderFailure;
}

export type AttemptResult<T> = (
  | {
      ok: true;
      value: T;
      usage: Usage;
      /** The usage is the hub's estimate (the provider reported none). */
      estimated?: boolean;
      latencyMs: number;
      firstTokenMs?: number;
      images?: number;
      /** The caller writes this attempt's ledger row itself, later (a stream, when it ends). */
      deferLedger?: boolean;
    }
  | { ok: false; failure: ProviderFailure; latencyMs: number; firstTokenMs?: number; usage?: Usage }
) & { earlier?: EarlierCall[] };

export interface AttemptInfo {
  /** 1-based across the whole call. */
  attempt: number;
  /** What is left of the whole-call limit, for this attempt. */
  timeoutMs: number;
  deadline: number;
  fallbackReason: string | null;
}

export interface AttemptOutcome {
  provider: string;
  model: string;
  attempt: number;
  class: ProviderFailure['class'];
  message: string;
  status?: number;
}

interface Totals {
  /** Attempts made (ledger rows). */
  attempts: number;
  tokens: number;
  costMicros: number;
  /** `provider/model:reason` for every failure and skip, in order. */
  trail: string[];
  failures: AttemptOutcome[];
  skipped: Skip[];
}

export type Executed<T> =
  | ({ ok: true; value: T; candidate: Candidate; attemptNo: number; fallbackReason: string | null } & Totals)
  | ({ ok: false; reason: 'bad_request' | 'exhausted' | 'unavailable' | 'timeout' | 'cancelled'; retryAfterMs?: number } & Totals);

const PROVIDER_FAULTS = new Set<ProviderFailure['class']>(['server_error', 'timeout', 'network', 'invalid_response', 'stream_interrupted', 'structured_output']);
const RETRYABLE = new Set<ProviderFailure['class']>(['server_error', 'timeout', 'network', 'invalid_response']);

export const usdMicros = (usd: number | undefined) => Math.round((usd ?? 0) * 1_000_000);

export async function executeWithFallback<T>(
  rt: AiRuntime,
  call: CallInfo,
  plan: Plan,
  options: { deadline: number; signal?: AbortSignal; attempt: (candidate: Candidate, info: AttemptInfo) => Promise<AttemptResult<T>> },
): Promise<Executed<T>> {
  const totals: Totals = { attempts: 0, tokens: 0, costMicros: 0, trail: [], failures: [], skipped: [...plan.skipped] };
  for (const skip of plan.skipped) totals.trail.push(`${skip.provider}/${skip.model}:${skip.reason}`);
  let lastReason: string | null = totals.trail.at(-1) ?? null;
  let waitHint: number | undefined;
  const hint = (ms: number | undefined) => {
    if (ms !== undefined && ms > 0) waitHint = waitHint === undefined ? ms : Math.min(waitHint, ms);
  };

  for (const candidate of plan.candidates) {
    const label = `${candidate.provider.id}/${candidate.model}`;
    const skip = (reason: string, detail: string) => {
      totals.skipped.push({ provider: candidate.provider.id, model: candidate.model, reason, detail });
      totals.trail.push(`${label}:${reason}`);
      lastReason = `${label}:${reason}`;
    };
    const cooling = rt.cooldowns.active(candidate.integration.id);
    if (cooling) {
      hint(cooling.until - rt.now());
      skip(`cooldown:${cooling.reason}`, cooling.message);
      continue;
    }
    const key = breakerKey(candidate.provider.id, candidate.model);
    for (let retry = 0; ; retry++) {
      if (options.signal?.aborted) return { ok: false, reason: 'cancelled', ...totals };
      const remaining = options.deadline - rt.now();
      // Not worth starting an attempt in the last few milliseconds of the whole call.
      if (remaining <= DEADLINE_SLACK_MS) return { ok: false, reason: 'timeout', ...totals };
      const admission = rt.breakers.admit(key);
      if (!admission.admitted) {
        hint(admission.retryAfterMs);
        skip('circuit_open', `the breaker of ${label} is ${admission.state}`);
        break;
      }
      const at = new Date(rt.now());
      let result: AttemptResult<T>;
      try {
        result = await options.attempt(candidate, { attempt: totals.attempts + 1, timeoutMs: remaining, deadline: options.deadline, fallbackReason: lastReason });
      } catch (error) {
        rt.breakers.release(key);
        throw error;
      }
      for (const earlier of result.earlier ?? []) {
        totals.attempts += 1;
        const cost = rt.ledger.record({
          ...ledgerBase(call, candidate, totals.attempts, at),
          usage: earlier.usage,
          latencyMs: earlier.latencyMs,
          success: false,
          errorClass: earlier.failure.class,
          errorMessage: earlier.failure.message,
          fallbackReason: lastReason,
        });
        totals.tokens += earlier.usage.inputTokens + earlier.usage.outputTokens;
        totals.costMicros += usdMicros(cost?.usd);
        lastReason = `${label}:repair:${earlier.failure.class}`;
      }
      totals.attempts += 1;
      const attemptNo = totals.attempts;
      if (result.ok) {
        rt.breakers.success(key);
        if (!result.deferLedger) {
          const cost = rt.ledger.record({
            ...ledgerBase(call, candidate, attemptNo, at),
            usage: result.usage,
            images: result.images ?? 0,
            estimated: result.estimated ?? false,
            latencyMs: result.latencyMs,
            firstTokenMs: result.firstTokenMs ?? null,
            success: true,
            fallbackReason: lastReason,
          });
          totals.tokens += result.usage.inputTokens + result.usage.outputTokens;
          totals.costMicros += usdMicros(cost?.usd);
        }
        return { ok: true, value: result.value, candidate, attemptNo, fallbackReason: totals.trail.length ? totals.trail.join(', ') : null, ...totals };
      }

      const { failure } = result;
      const usage = result.usage ?? NO_USAGE;
      const cost = rt.ledger.record({
        ...ledgerBase(call, candidate, attemptNo, at),
        usage,
        latencyMs: result.latencyMs,
        firstTokenMs: result.firstTokenMs ?? null,
        success: false,
        errorClass: failure.class,
        errorMessage: failure.message,
        fallbackReason: lastReason,
      });
      totals.tokens += usage.inputTokens + usage.outputTokens;
      totals.costMicros += usdMicros(cost?.usd);
      totals.failures.push({ provider: candidate.provider.id, model: candidate.model, attempt: attemptNo, class: failure.class, message: failure.message, ...(failure.status !== undefined ? { status: failure.status } : {}) });
      totals.trail.push(`${label}:${failure.class}`);
      lastReason = `${label}:${failure.class}`;
      if (options.signal?.aborted) {
        rt.breakers.release(key);
        return { ok: false, reason: 'cancelled', ...totals };
      }

      if (PROVIDER_FAULTS.has(failure.class)) rt.breakers.failure(key);
      else rt.breakers.release(key);

      if (failure.class === 'bad_request') return { ok: false, reason: 'bad_request', ...totals };
      if (failure.class === 'rate_limited') {
        const wait = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_COOLDOWN_MS;
        rt.cooldowns.set(candidate.integration.id, { until: rt.now() + wait, reason: 'rate_limited', message: failure.message });
        hint(wait);
        break;
      }
      if (failure.class === 'out_of_balance') {
        rt.cooldowns.set(candidate.integration.id, { until: rt.now() + Math.max(rt.balanceCooldownMs, failure.retryAfterMs ?? 0), reason: 'out_of_balance', message: failure.message });
        break;
      }
      if (failure.class === 'auth') {
        // The key was refused: the integration shows it, and the router stops choosing it until it is fixed.
        await markCredentialRefused(rt.hub, { id: candidate.integration.id, connectorId: candidate.provider.id } as IntegrationRow, failure.message);
        rt.integrations.invalidate(call.workspaceId);
        break;
      }
      if (!RETRYABLE.has(failure.class) || retry >= call.route.retries) break;
      // Full jitter, doubling per retry; never past the whole-call deadline.
      const delay = Math.min(Math.random() * BACKOFF_BASE_MS * 2 ** retry, Math.max(0, options.deadline - rt.now()));
      await sleep(delay, options.signal);
      lastReason = `${label}:retry:${failure.class}`;
    }
  }
  if (totals.attempts === 0) return { ok: false, reason: 'unavailable', ...(waitHint !== undefined ? { retryAfterMs: waitHint } : {}), ...totals };
  // The last target ran into the whole-call limit: the route ran out of time, whatever was left to try.
  if (totals.failures.at(-1)?.class === 'timeout' && rt.now() >= options.deadline - DEADLINE_SLACK_MS) return { ok: false, reason: 'timeout', ...totals };
  return { ok: false, reason: 'exhausted', ...(waitHint !== undefined ? { retryAfterMs: waitHint } : {}), ...totals };
}

export function ledgerBase(call: CallInfo, candidate: Candidate, attempt: number, at: Date) {
  return {
    workspaceId: call.workspaceId,
    requestId: call.requestId,
    attempt,
    route: call.route.name,
    taskType: call.taskType,
    kind: call.kind,
    provider: candidate.provider.id,
    model: candidate.model,
    integrationId: candidate.integration.id,
    streamed: call.streamed,
    at,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
