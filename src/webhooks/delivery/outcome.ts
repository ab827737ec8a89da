// What an attempt's result means for its delivery (done, retry when, or give up) and for its endpoint
// (healthy, failing, or gone). Pure, so every rule is tested without a network or a database.
import type { AttemptResult } from './attempt.ts';
import { nextRetryDelayMs } from './schedule.ts';

export type EndpointEffect = 'success' | 'failure' | 'gone' | 'none';

export interface DeliveryOutcome {
  status: 'succeeded' | 'pending' | 'failed';
  /** Failed attempts since the schedule (re)started, after this one. */
  scheduleStep: number;
  /** Set when another attempt is scheduled. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  endpointEffect: EndpointEffect;
}

export function decideOutcome(input: {
  result: AttemptResult;
  scheduleStep: number;
  schedule: readonly number[];
  now: number;
  random?: () => number;
}): DeliveryOutcome {
  const { result, schedule, now } = input;
  if (result.ok) {
    return { status: 'succeeded', scheduleStep: input.scheduleStep, nextAttemptAt: null, lastError: null, endpointEffect: 'success' };
  }
  const failedSteps = input.scheduleStep + 1;
  const problem = describeFailure(result);
  if (result.status === 410) {
    return {
      status: 'failed',
      scheduleStep: failedSteps,
      nextAttemptAt: null,
      lastError: 'The receiver answered 410 Gone: the endpoint was disabled and will receive nothing more until re-enabled.',
      endpointEffect: 'gone',
    };
  }
  const delay = nextRetryDelayMs(
    schedule,
    failedSteps,
    {
      code: result.errorCode ?? 'http_error',
      ...(result.status !== null ? { status: result.status } : {}),
      ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
    },
    input.random,
  );
  if (delay === null) {
    return {
      status: 'failed',
      scheduleStep: failedSteps,
      nextAttemptAt: null,
      lastError: `${problem} Gave up after ${failedSteps} failed attempts in a row (the retry schedule is exhausted).`,
      endpointEffect: 'failure',
    };
  }
  return { status: 'pending', scheduleStep: failedSteps, nextAttemptAt: new Date(now + delay), lastError: problem, endpointEffect: 'failure' };
}

function describeFailure(result: AttemptResult): string {
  if (result.errorCode === 'http_error' && result.status !== null) {
    const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed: point the endpoint at the final URL)' : '';
    return `The receiver answered ${result.status}${redirect}.`;
  }
  return `${result.errorMessage ?? result.errorCode ?? 'The attempt failed'}.`.replace(/\.\.$/, '.');
}
