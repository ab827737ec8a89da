// The retry schedule's rules: Svix's default waits with ±20 % jitter, exhaustion, Retry-After honoured
// (and capped) on throttling statuses only, and the one-minute floor after timeouts and 429s.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, JITTER, MAX_RETRY_AFTER_MS, nextRetryDelayMs, scheduleProblem, STRUGGLING_FLOOR_MS } from './schedule.ts';

const middle = () => 0.5;
const failure = { code: 'http_error', status: 500 };

describe('the retry schedule', () => {
  it('is immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    const waits = DEFAULT_RETRY_SCHEDULE.map((_, i) => nextRetryDelayMs(DEFAULT_RETRY_SCHEDULE, i + 1, failure, middle));
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('gives up after the last wait', () => {
    expect(nextRetryDelayMs(DEFAULT_RETRY_SCHEDULE, DEFAULT_RETRY_SCHEDULE.length + 1, failure, middle)).toBeNull();
    expect(nextRetryDelayMs([60], 2, failure, middle)).toBeNull();
  });

  it('moves each wait by at most 20 % either way', () => {
    expect(JITTER).toBe(0.2);
    expect(nextRetryDelayMs([100], 1, failure, () => 0)).toBe(80_000);
    expect(nextRetryDelayMs([100], 1, failure, () => 0.999999)).toBeCloseTo(120_000, -1);
  });

  it('honours Retry-After on 429, 502, 503 and 504, never less than the schedule, capped at a day', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(nextRetryDelayMs([5], 1, { code: 'http_error', status, retryAfterMs: 600_000 }, middle)).toBe(600_000);
    }
    expect(nextRetryDelayMs([3600], 1, { code: 'http_error', status: 503, retryAfterMs: 1_000 }, middle)).toBe(3_600_000);
    expect(nextRetryDelayMs([5], 1, { code: 'http_error', status: 503, retryAfterMs: 10 * MAX_RETRY_AFTER_MS }, middle)).toBe(MAX_RETRY_AFTER_MS);
    // A 500 asking for a wait is not throttling: the schedule decides.
    expect(nextRetryDelayMs([5], 1, { code: 'http_error', status: 500, retryAfterMs: 600_000 }, middle)).toBe(5_000);
  });

  it('waits at least a minute after a timeout or a 429, and as long as an open breaker asks', () => {
    expect(STRUGGLING_FLOOR_MS).toBe(60_000);
    expect(nextRetryDelayMs([5], 1, { code: 'timeout' }, middle)).toBe(60_000);
    expect(nextRetryDelayMs([5], 1, { code: 'http_error', status: 429 }, middle)).toBe(60_000);
    expect(nextRetryDelayMs([5], 1, { code: 'network' }, middle)).toBe(5_000);
    expect(nextRetryDelayMs([5], 1, { code: 'circuit_open', retryAfterMs: 25_000 }, middle)).toBe(25_000);
  });

  it('checks a custom schedule', () => {
    expect(scheduleProblem([1, 60, 3600])).toBeNull();
    expect(scheduleProblem(new Array(21).fill(5))).toMatch(/at most 20/);
    expect(scheduleProblem([0])).toMatch(/whole number/);
  });
});
