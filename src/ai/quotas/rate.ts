// Requests and tokens per minute per workspace, counted in the shared state (process memory, or Redis
// across nodes), so a burst is refused with Retry-After before any provider sees it.
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedState } from '../../platform/shared-state.ts';
import type { QuotaSettings } from './settings.ts';

export type RateVerdict = { ok: true } | { ok: false; limit: 'requests_per_minute' | 'tokens_per_minute'; retryAfterMs: number; allowed: number };

export interface WorkspaceRates {
  /** Takes one request and `tokens` tokens from the workspace's minute, when limits are set. */
  take(workspaceId: string, settings: QuotaSettings, tokens: number): Promise<RateVerdict>;
}

export function createWorkspaceRates(sharedState: Pick<SharedState, 'rateLimiter'>): WorkspaceRates {
  // One limiter per distinct allowance; the workspace id selects the counter inside it.
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = (kind: string, points: number) => {
    const keyPrefix = `ai-${kind}-${points}`;
    let found = limiters.get(keyPrefix);
    if (!found) {
      found = sharedState.rateLimiter({ keyPrefix, points, durationSeconds: 60 });
      limiters.set(keyPrefix, found);
    }
    return found;
  };
  const consume = async (rate: RateLimiterAbstract, key: string, points: number): Promise<number | null> => {
    try {
      await rate.consume(key, points);
      return null;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return Math.max(1, rejection.msBeforeNext);
    }
  };
  return {
    async take(workspaceId, settings, tokens) {
      if (settings.requestsPerMinute !== null) {
        const wait = await consume(limiter('rpm', settings.requestsPerMinute), workspaceId, 1);
        if (wait !== null) return { ok: false, limit: 'requests_per_minute', retryAfterMs: wait, allowed: settings.requestsPerMinute };
      }
      if (settings.tokensPerMinute !== null) {
        // A request larger than the whole minute's allowance takes the minute, rather than never passing.
        const wait = await consume(limiter('tpm', settings.tokensPerMinute), workspaceId, Math.min(Math.max(1, tokens), settings.tokensPerMinute));
        if (wait !== null) return { ok: false, limit: 'tokens_per_minute', retryAfterMs: wait, allowed: settings.tokensPerMinute };
      }
      return { ok: true };
    },
  };
}
