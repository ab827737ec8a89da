// Rate budgets: a provider allowance (calls per second or per minute under a key, e.g. one integration)
// shared by every caller and, through SharedState on Redis, by every node. A call waits for room when the
// wait fits in its time limit, and is refused locally otherwise, so the provider never sees the excess.
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedState } from '../shared-state.ts';
import type { Clock } from './clock.ts';

export type RateBudget = { key: string; perSecond: number } | { key: string; perMinute: number };

export type BudgetVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateBudgets {
  /** Takes one unit of the budget, sleeping on the clock while that fits in `maxWaitMs`. */
  take(budget: RateBudget, options: { maxWaitMs: number; signal?: AbortSignal }): Promise<BudgetVerdict>;
}

export function createRateBudgets(options: { sharedState: Pick<SharedState, 'rateLimiter'>; clock: Clock }): RateBudgets {
  const { sharedState, clock } = options;
  // One limiter per distinct allowance; the budget's key then selects the counter inside it.
  const limiters = new Map<string, RateLimiterAbstract>();

  const limiterFor = (points: number, durationSeconds: number) => {
    const keyPrefix = `outbound-budget-${points}-per-${durationSeconds}s`;
    let limiter = limiters.get(keyPrefix);
    if (!limiter) {
      limiter = sharedState.rateLimiter({ keyPrefix, points, durationSeconds });
      limiters.set(keyPrefix, limiter);
    }
    return limiter;
  };

  return {
    async take(budget, { maxWaitMs, signal }) {
      const [points, durationSeconds] = 'perSecond' in budget ? [budget.perSecond, 1] : [budget.perMinute, 60];
      if (!Number.isInteger(points) || points < 1) {
        throw new Error(`rateBudget for "${budget.key}" must allow a whole number ≥ 1 of calls, got ${points}`);
      }
      const limiter = limiterFor(points, durationSeconds);
      const started = clock.now();
      for (;;) {
        try {
          await limiter.consume(budget.key);
          return { ok: true };
        } catch (rejection) {
          // Anything but a RateLimiterRes is the store failing, not the budget: that is not ours to hide.
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const waitMs = Math.max(1, rejection.msBeforeNext);
          if (clock.now() - started + waitMs > maxWaitMs) return { ok: false, retryAfterMs: waitMs };
          await clock.sleep(waitMs, signal);
        }
      }
    },
  };
}
