// State that must be shared by every node when there are several: rate-limit counters and short caches.
// With REDIS_URL it lives in Redis; without it, in this process's memory (right for a single node).
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface SharedState {
  kind: 'memory' | 'redis';
  /** A fixed-window limiter of `points` per `durationSeconds`, keyed by the caller's id. */
  rateLimiter(options: { keyPrefix: string; points: number; durationSeconds: number }): RateLimiterAbstract;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * With Redis, waits for the first connection so counters are shared from the first request; if Redis
 * does not answer, `onUnavailable` is told and the limiters count in memory until it comes back.
 */
export async function createSharedState(
  redisUrl: string | undefined,
  onUnavailable: (error: Error) => void = () => {},
): Promise<SharedState> {
  if (!redisUrl) {
    return {
      kind: 'memory',
      rateLimiter: ({ keyPrefix, points, durationSeconds }) =>
        new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      ping: async () => {},
      close: async () => {},
    };
  }
  // No offline queue: while Redis is unreachable a command fails at once and the in-memory insurance
  // limiter answers, instead of every request waiting out reconnection attempts.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: true });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on('error', () => {});
  await redis.connect().catch((error: Error) => onUnavailable(error));
  return {
    kind: 'redis',
    rateLimiter: ({ keyPrefix, points, durationSeconds }) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `switchboard:${keyPrefix}`,
        points,
        duration: durationSeconds,
        // While Redis is unreachable, count in memory instead of failing every request.
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
      }),
    ping: async () => {
      await redis.ping();
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
