// When to try a delivery again: the retry schedule (Svix's, by default), its jitter, and the waits a
// receiver may ask for (Retry-After) or earn (a floor after timeouts and 429s).

/** Seconds to wait after each failed attempt; the first attempt is immediate. 8 attempts over ~27.6 h. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/** Each scheduled wait is moved by up to this share either way, so a burst of failures does not retry in lockstep. */
export const JITTER = 0.2;
/** After a timeout or a 429 the receiver is struggling: never come back sooner than this. */
export const STRUGGLING_FLOOR_MS = 60_000;
/** A Retry-After longer than this is capped: the schedule's own longest waits are of this order. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** Statuses whose Retry-After is honoured: the ones that mean "busy, come back later". */
const THROTTLING_STATUSES = new Set([429, 502, 503, 504]);

export interface FailedAttempt {
  /** HTTP status when an answer came. */
  status?: number;
  /** The outbound client's error code (`timeout`, `network`, `circuit_open`, `http_error` …). */
  code: string;
  /** What the receiver (Retry-After) or the breaker asked for. */
  retryAfterMs?: number;
}

/**
 * The wait before the next attempt, or null when the schedule is exhausted.
 * `failedSteps` counts failed attempts since the schedule (re)started, this one included.
 */
export function nextRetryDelayMs(
  schedule: readonly number[],
  failedSteps: number,
  failure: FailedAttempt,
  random: () => number = Math.random,
): number | null {
  const scheduled = schedule[failedSteps - 1];
  if (scheduled === undefined) return null;
  let delay = scheduled * 1000 * (1 - JITTER + 2 * JITTER * random());
  const asked =
    failure.retryAfterMs !== undefined && (failure.code === 'circuit_open' || (failure.status !== undefined && THROTTLING_STATUSES.has(failure.status)))
      ? Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS)
      : 0;
  delay = Math.max(delay, asked);
  if (failure.code === 'timeout' || failure.status === 429) delay = Math.max(delay, STRUGGLING_FLOOR_MS);
  return Math.round(delay);
}

/** Checks a per-endpoint schedule given through the API: a wait per retry, in seconds. */
export function scheduleProblem(schedule: readonly number[]): string | null {
  if (schedule.length > 20) return 'at most 20 retries';
  if (schedule.some((seconds) => !Number.isInteger(seconds) || seconds < 1 || seconds > 7 * 86_400)) {
    return 'each wait must be a whole number of seconds from 1 to 604800 (7 days)';
  }
  return null;
}
