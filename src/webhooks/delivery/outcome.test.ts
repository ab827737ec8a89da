// What one attempt's result means: success, a scheduled retry, giving up, and 410 Gone disabling the endpoint.
import { describe, expect, it } from 'vitest';
import type { AttemptResult } from './attempt.ts';
import { decideOutcome } from './outcome.ts';

const now = Date.UTC(2026, 0, 1);
function result(overrides: Partial<AttemptResult>): AttemptResult {
  return {
    ok: false,
    startedAt: new Date(now),
    latencyMs: 12,
    status: 500,
    errorCode: 'http_error',
    errorMessage: 'POST answered 500',
    requestHeaders: {},
    responseHeaders: null,
    responseBody: null,
    ...overrides,
  };
}
const decide = (r: AttemptResult, scheduleStep = 0, schedule = [5, 300]) => decideOutcome({ result: r, scheduleStep, schedule, now, random: () => 0.5 });

describe('an attempt outcome', () => {
  it('ends the delivery on 2xx and marks the endpoint healthy', () => {
    expect(decide(result({ ok: true, status: 204, errorCode: null }))).toMatchObject({ status: 'succeeded', endpointEffect: 'success', nextAttemptAt: null });
  });

  it('schedules the next attempt from the schedule step', () => {
    expect(decide(result({}))).toMatchObject({ status: 'pending', scheduleStep: 1, nextAttemptAt: new Date(now + 5_000), endpointEffect: 'failure' });
    expect(decide(result({}), 1)).toMatchObject({ status: 'pending', scheduleStep: 2, nextAttemptAt: new Date(now + 300_000) });
  });

  it('gives up when the schedule is exhausted, saying so', () => {
    const outcome = decide(result({}), 2);
    expect(outcome).toMatchObject({ status: 'failed', nextAttemptAt: null, endpointEffect: 'failure' });
    expect(outcome.lastError).toMatch(/answered 500.*Gave up after 3 failed attempts/);
  });

  it('treats 410 Gone as the receiver asking to be disabled', () => {
    expect(decide(result({ status: 410 }))).toMatchObject({ status: 'failed', endpointEffect: 'gone' });
  });

  it('counts a redirect as a failure and explains that redirects are not followed', () => {
    expect(decide(result({ status: 301 })).lastError).toMatch(/301 \(redirects are not followed/);
  });
});
