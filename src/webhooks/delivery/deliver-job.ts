// The delivery job: one run makes one attempt of one delivery. The delivery row says which job may make
// the next attempt; this job sends, logs the attempt, and in the same transaction queues the next one (at
// the time the retry schedule says) or records the end. A crash before that commit repeats the attempt
// with the same webhook-id: at-least-once. A slow attempt is handed to a stand-in job (see below).
import type { JobContext } from '../../platform/jobs/define.ts';
import type { WebhookRuntime } from '../runtime.ts';
import { DELIVERY_TIMEOUT_MS, messageBody, sendAttempt, type AttemptResult } from './attempt.ts';
import type { DeliverPayload } from './job-payload.ts';
import { decideOutcome } from './outcome.ts';
import { reserveSlot, SLOT_SLACK_MS } from './rate-slots.ts';
import { DEFAULT_RETRY_SCHEDULE } from './schedule.ts';
import type { DeliveryContext } from './store.ts';

// Deferral after finding the endpoint's slots full: doubles per deferral, so a backlog behind a slow
// endpoint settles into the queue instead of churning through it.
const DEFER_BASE_MS = 250;
/** How long a delivery waits in the worker for a slot of its endpoint before going back to the queue. */
const SLOT_WAIT_MS = 1000;
const DEFER_MAX_MS = 30_000;
/** How long a job waits for its attempt's answer before handing the attempt over to the background. */
const PATIENCE_MS = 1000;
// The stand-in job runs this long after the attempt's own timeout, so it never races a live attempt.
const STAND_IN_MARGIN_MS = 30_000;

export async function runDelivery(rt: WebhookRuntime, payload: DeliverPayload, ctx: Pick<JobContext, 'jobId'>): Promise<unknown> {
  const delivery = await rt.store.load(payload.deliveryId);
  if (!delivery) return { skipped: 'the delivery no longer exists' };
  // Another job owns the next attempt (a retry or replay replaced this one, or this job's earlier run
  // committed before its worker died).
  if (delivery.jobId !== ctx.jobId || delivery.status !== 'pending') return { skipped: 'superseded' };
  const { endpoint } = delivery;
  const mine = { delivery, jobId: ctx.jobId };

  if (endpoint.deleted || endpoint.state === 'disabled') {
    const reason = endpoint.deleted
      ? 'Not sent: the endpoint was deleted.'
      : `Not sent: the endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}.`;
    await rt.store.write({ kind: 'abandoned', ...mine, reason });
    return { abandoned: reason };
  }
  if (endpoint.state === 'paused') {
    await rt.store.write({ kind: 'held', ...mine });
    return { held: true };
  }

  const now = rt.now();
  if (endpoint.rateLimitPerSecond && !payload.slotted) {
    const slot = await reserveSlot(rt.hub.db, endpoint.id, endpoint.rateLimitPerSecond, now);
    if (slot - now > SLOT_SLACK_MS) {
      await rt.store.write({ kind: 'deferred', ...mine, startAfter: new Date(slot), payload: { ...payload, slotted: true } });
      return { deferred: 'rate limit', until: new Date(slot).toISOString() };
    }
  }

  const release = await rt.slots.take(endpoint.id, rt.hub.config.webhookEndpointConcurrency, SLOT_WAIT_MS);
  if (!release) {
    const deferrals = (payload.deferrals ?? 0) + 1;
    const wait = Math.min(DEFER_MAX_MS, DEFER_BASE_MS * 2 ** Math.min(deferrals, 10)) * (0.5 + Math.random());
    await rt.store.write({ kind: 'deferred', ...mine, startAfter: new Date(now + wait), payload: { ...payload, deferrals } });
    return { deferred: 'endpoint busy' };
  }
  // The slot is held until the attempt ends, even when the job hands it over below.
  const attempt = attemptDelivery(rt, delivery).finally(release);
  let patience: NodeJS.Timeout | undefined;
  const quick = await Promise.race([attempt, new Promise<null>((resolve) => (patience = setTimeout(() => resolve(null), PATIENCE_MS)))]);
  clearTimeout(patience);
  if (quick) return finishAttempt(rt, delivery, ctx.jobId, payload, quick);

  // A slow receiver. The engine finishes a batch of jobs together, so waiting here would hold every job
  // fetched with this one. Instead a stand-in job is queued for after the attempt's timeout (it repeats the
  // attempt only if this process dies first), and the attempt finishes in the background.
  const standIn = new Date(rt.now() + DELIVERY_TIMEOUT_MS + STAND_IN_MARGIN_MS);
  const handed = await rt.store.write({ kind: 'deferred', ...mine, startAfter: standIn, payload });
  const owner = handed.applied ? handed.jobId : ctx.jobId;
  rt.inBackground(attempt.then((result) => finishAttempt(rt, delivery, owner, payload, result)));
  return { handedOver: true, standInJob: owner };
}

/** Records what an attempt brought, on behalf of the job that owns the delivery's next step. */
async function finishAttempt(rt: WebhookRuntime, delivery: DeliveryContext, jobId: string | null, payload: DeliverPayload, result: AttemptResult) {
  const mine = { delivery, jobId };
  if (result.errorCode === 'rate_limited_locally') {
    const at = new Date(rt.now() + (result.retryAfterMs ?? 1000));
    await rt.store.write({ kind: 'deferred', ...mine, startAfter: at, payload: { ...payload, slotted: true } });
    return { deferred: 'rate limit' };
  }
  const outcome = decideOutcome({
    result,
    scheduleStep: delivery.scheduleStep,
    schedule: delivery.endpoint.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    now: rt.now(),
  });
  await rt.store.write({ kind: 'attempted', ...mine, trigger: payload.replay ? 'replay' : 'scheduled', result, outcome });
  // A success leaves the job's output empty (the attempt log has it all): one less value to write per delivery.
  return outcome.status === 'succeeded' ? undefined : { status: outcome.status, httpStatus: result.status, attempt: delivery.attemptCount + 1 };
}

/** Signs and sends the delivery's event to its endpoint once. */
export async function attemptDelivery(rt: WebhookRuntime, delivery: DeliveryContext): Promise<AttemptResult> {
  const now = rt.now();
  const { endpoint } = delivery;
  const [secrets, customHeaders] = await Promise.all([rt.signingSecrets(endpoint, now), rt.customHeaders(endpoint)]);
  return sendAttempt(rt.client, {
    endpointId: endpoint.id,
    url: endpoint.url,
    messageId: delivery.event.id,
    body: messageBody(delivery.event),
    secrets,
    customHeaders,
    now,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
  });
}
