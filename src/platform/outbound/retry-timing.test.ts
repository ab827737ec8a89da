// Which answers are retried, how long servers ask us to wait, and the bounds of the jittered backoff.
import { describe, expect, it } from 'vitest';
import { isRetryableStatus, jitteredBackoff, serverRequestedDelayMs } from './retry-timing.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504, 599])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true));
  it.each([200, 301, 400, 401, 403, 404, 409, 422, 501])('does not retry %i', (status) => expect(isRetryableStatus(status)).toBe(false));
});

describe('serverRequestedDelayMs', () => {
  it.each([
    ['Retry-After in seconds', 503, { 'retry-after': '7' }, 7_000],
    ['Retry-After as an HTTP date', 503, { 'retry-after': new Date(now + 90_000).toUTCString() }, 90_000],
    ['Retry-After date in the past', 429, { 'retry-after': new Date(now - 5_000).toUTCString() }, 0],
    ['Retry-After wins over reset headers', 429, { 'retry-after': '2', 'x-ratelimit-reset': String(now / 1000 + 60) }, 2_000],
    ['x-ratelimit-reset as epoch seconds', 429, { 'x-ratelimit-reset': String(now / 1000 + 30) }, 30_000],
    ['x-ratelimit-reset as epoch milliseconds', 429, { 'x-ratelimit-reset': String(now + 4_000) }, 4_000],
    ['x-ratelimit-reset as seconds from now', 429, { 'x-ratelimit-reset': '12' }, 12_000],
    ['x-rate-limit-reset (Twitter spelling)', 429, { 'x-rate-limit-reset': String(now / 1000 + 15) }, 15_000],
    ['ratelimit-reset (IETF draft)', 429, { 'ratelimit-reset': '20' }, 20_000],
    ['structured ratelimit header', 429, { ratelimit: 'limit=100, remaining=0, reset=45' }, 45_000],
    ['x-ratelimit-reset-after (fractional seconds)', 429, { 'x-ratelimit-reset-after': '1.5' }, 1_500],
    ['OpenAI durations: the longest binds', 429, { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, 360_000],
    ['OpenAI millisecond duration', 429, { 'x-ratelimit-reset-tokens': '250ms' }, 250],
  ] as const)('%s', (_name, status, headers, expected) => {
    expect(serverRequestedDelayMs(status, headers, now)).toBe(expected);
  });

  it.each([
    ['no header', 503, {}],
    ['garbage Retry-After', 503, { 'retry-after': 'soon' }],
    ['a bare decimal is not a date', 503, { 'retry-after': '-1' }],
    // GitHub sends its hourly reset on every answer; a 503 must not wait for it.
    ['reset headers outside 429', 503, { 'x-ratelimit-reset': String(now / 1000 + 3_000) }],
  ] as const)('none for %s', (_name, status, headers) => {
    expect(serverRequestedDelayMs(status, headers, now)).toBeUndefined();
  });
});

describe('jitteredBackoff', () => {
  it('draws each delay in [0, min(max, base·2ⁿ))', () => {
    for (let run = 0; run < 50; run++) {
      const next = jitteredBackoff({ baseDelayMs: 100, maxDelayMs: 1_000 });
      const delays = Array.from({ length: 6 }, next);
      const caps = [100, 200, 400, 800, 1_000, 1_000];
      delays.forEach((delay, n) => {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(caps[n]!);
      });
    }
  });
});
