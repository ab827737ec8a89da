// One circuit breaker per provider or endpoint (the caller's breakerKey): after N consecutive failed
// attempts calls fail fast, until a cooldown has passed and a single probe succeeds. Built on cockatiel.
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IHalfOpenAfterBackoffContext,
} from 'cockatiel';
import type { Clock } from './clock.ts';

export interface BreakerOptions {
  /** Consecutive failed attempts that open the circuit. Default 5. */
  consecutiveFailures?: number;
  /** Milliseconds an open circuit refuses calls before letting one probe through. Default 30,000. */
  cooldownMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** `admitted: false`: the circuit refused the call without running it. */
export type BreakerRun<T> = { admitted: true; value: T } | { admitted: false; retryAfterMs?: number };

export interface CircuitBreakers<T> {
  run(key: string, attempt: () => Promise<T>): Promise<BreakerRun<T>>;
  state(key: string): BreakerState;
}

export function createCircuitBreakers<T>(options: {
  clock: Clock;
  /** Which results count against the provider (network errors, timeouts, 5xx), as opposed to the caller's. */
  isFailure: (value: T) => boolean;
  breaker?: BreakerOptions;
}): CircuitBreakers<T> {
  const threshold = options.breaker?.consecutiveFailures ?? 5;
  const cooldownMs = options.breaker?.cooldownMs ?? 30_000;
  const { clock } = options;
  const policies = new Map<string, CircuitBreakerPolicy>();
  const openedAt = new Map<string, number>();

  const policyFor = (key: string): CircuitBreakerPolicy => {
    let policy = policies.get(key);
    if (!policy) {
      policy = circuitBreaker(handleWhenResult((value) => options.isFailure(value as T)), {
        breaker: new ConsecutiveBreaker(threshold),
        halfOpenAfter: cooldownOnClock(clock, cooldownMs, (at) => openedAt.set(key, at)),
      });
      policies.set(key, policy);
    }
    return policy;
  };

  return {
    async run(key, attempt) {
      const policy = policyFor(key);
      // cockatiel would queue callers behind the half-open probe; failing fast keeps "open means immediate".
      if (policy.state === CircuitState.HalfOpen) return { admitted: false };
      try {
        return { admitted: true, value: await policy.execute(attempt) };
      } catch (error) {
        if (!isBrokenCircuitError(error)) throw error;
        return { admitted: false, retryAfterMs: Math.max(0, cooldownMs - (clock.now() - (openedAt.get(key) ?? 0))) };
      }
    },
    state(key) {
      const state = policies.get(key)?.state ?? CircuitState.Closed;
      return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
    },
  };
}

/**
 * cockatiel decides "still open?" as `Date.now() - openedAt < backoff.duration`. Answering that from the
 * injected clock (±Infinity) keeps cooldowns on the same time source as every other wait in the client.
 */
function cooldownOnClock(
  clock: Clock,
  cooldownMs: number,
  onOpen: (at: number) => void,
): IBackoffFactory<IHalfOpenAfterBackoffContext> {
  const factory: IBackoffFactory<IHalfOpenAfterBackoffContext> = {
    next() {
      const openedAt = clock.now();
      onOpen(openedAt);
      const backoff: IBackoff<IHalfOpenAfterBackoffContext> = {
        get duration() {
          return clock.now() - openedAt >= cooldownMs ? -Infinity : Infinity;
        },
        // A failed probe re-opens the circuit through here: a fresh cooldown from that moment.
        next: (context) => factory.next(context),
      };
      return backoff;
    },
  };
  return factory;
}
