// A circuit breaker per provider and model: after N consecutive provider-side failures the model is
// skipped for a cooldown, then exactly one call probes it (half-open); its outcome closes or reopens it.
// Kept per process, like the outbound client's breakers: each node learns on its own and fails fast.

export type ModelBreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: ModelBreakerState;
  consecutiveFailures: number;
  /** When it opened (or last reopened), for the health page. */
  openedAt: number | null;
}

export type Admission = { admitted: true; probe: boolean } | { admitted: false; state: 'open' | 'half-open'; retryAfterMs: number };

export interface ModelBreakers {
  admit(key: string): Admission;
  /** The attempt failed on the provider's side (5xx, timeout, broken answer). */
  failure(key: string): void;
  success(key: string): void;
  /** The attempt ended without saying anything about the provider (cancelled, the caller's bad request). */
  release(key: string): void;
  snapshot(key: string): BreakerSnapshot;
  /** Forgets every breaker (tests, and an operator who fixed a provider). */
  reset(): void;
}

interface Entry {
  failures: number;
  openedAt: number | null;
  probing: boolean;
}

export function breakerKey(provider: string, model: string): string {
  return `${provider}/${model}`;
}

export function createModelBreakers(options: { threshold: number; cooldownMs: number; now: () => number }): ModelBreakers {
  const entries = new Map<string, Entry>();
  const entry = (key: string) => {
    let found = entries.get(key);
    if (!found) {
      found = { failures: 0, openedAt: null, probing: false };
      entries.set(key, found);
    }
    return found;
  };
  const stateOf = (value: Entry): ModelBreakerState => {
    if (value.openedAt === null) return 'closed';
    return options.now() - value.openedAt >= options.cooldownMs ? 'half-open' : 'open';
  };

  return {
    admit(key) {
      const value = entries.get(key);
      if (!value) return { admitted: true, probe: false };
      const state = stateOf(value);
      if (state === 'closed') return { admitted: true, probe: false };
      if (state === 'open') return { admitted: false, state, retryAfterMs: options.cooldownMs - (options.now() - value.openedAt!) };
      // Half-open: one probe at a time; everyone else keeps falling back until it reports.
      if (value.probing) return { admitted: false, state, retryAfterMs: 0 };
      value.probing = true;
      return { admitted: true, probe: true };
    },
    failure(key) {
      const value = entry(key);
      value.failures += 1;
      if (value.probing || value.failures >= options.threshold) value.openedAt = options.now();
      value.probing = false;
    },
    success(key) {
      const value = entry(key);
      value.failures = 0;
      value.openedAt = null;
      value.probing = false;
    },
    release(key) {
      const value = entries.get(key);
      if (value) value.probing = false;
    },
    reset: () => entries.clear(),
    snapshot(key) {
      const value = entries.get(key);
      if (!value) return { state: 'closed', consecutiveFailures: 0, openedAt: null };
      return { state: stateOf(value), consecutiveFailures: value.failures, openedAt: value.openedAt };
    },
  };
}
