// The webhook capability's jobs: delivery attempts, re-queueing a resumed endpoint's held deliveries,
// and the hourly pruning of old history. Handlers reach the hub through a getter, because the hub's
// context is assembled after the job engine that runs them.
import { z } from 'zod';
import type { HubContext } from '../platform/hub-context.ts';
import { defineJob, type JobDefinition } from '../platform/jobs/define.ts';
import { runDelivery } from './delivery/deliver-job.ts';
import { DELIVER_JOB, deliverPayload } from './delivery/job-payload.ts';
import { REQUEUE_JOB, requeueDeliveries, requeuePayload } from './requeue.ts';
import { pruneWebhookHistory } from './retention.ts';
import { webhookRuntime } from './runtime.ts';

export function webhookJobs(hub: () => HubContext): JobDefinition<any>[] {
  return [
    defineJob({
      name: DELIVER_JOB,
      payload: deliverPayload,
      // HTTP failures follow the delivery's own schedule (see README.md); pg-boss's retries only cover a
      // worker that died or a database error, and repeat the same attempt.
      retry: { limit: 20, delaySeconds: 5, backoff: true, maxDelaySeconds: 300 },
      // 8 fetch loops of 32: large batches save the engine's round trips per delivery. A loop finishes its
      // batch together, so no job keeps it longer than about two seconds: one for a slot of its endpoint
      // (endpoint-slots.ts), one for the receiver's answer before the attempt is handed over (deliver-job.ts).
      concurrency: 8,
      batchSize: 32,
      // Jobs return within seconds (slow attempts are handed over); this is the backstop.
      timeoutSeconds: 60,
      // The delivery row and its attempts are the history; finished jobs need not linger.
      retentionDays: 1,
      handler: (payload, ctx) => runDelivery(webhookRuntime(hub()), payload, ctx),
    }),
    defineJob({
      name: REQUEUE_JOB,
      payload: requeuePayload,
      retry: { limit: 5, delaySeconds: 5 },
      async handler(payload, ctx) {
        const context = hub();
        if (!ctx.workspaceId) throw new Error('A requeue job must belong to a workspace');
        return { queued: await requeueDeliveries(context.db, context.jobs, payload, ctx.workspaceId) };
      },
    }),
    defineJob({
      name: 'webhooks.prune',
      payload: z.object({}).passthrough(),
      cron: '41 * * * *',
      retry: { limit: 2, delaySeconds: 60 },
      async handler() {
        const context = hub();
        return pruneWebhookHistory(context.db, {
          now: context.jobs.clock.now(),
          attemptDays: context.config.webhookAttemptRetentionDays,
          eventDays: context.config.eventRetentionDays,
        });
      },
    }),
  ];
}
