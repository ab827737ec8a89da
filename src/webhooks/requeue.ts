// Puts an endpoint's waiting deliveries back in the queue: held ones when it resumes, failed ones when a
// person replays them. A job, so thousands of deliveries never hold one request or one transaction.
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../platform/db/database.ts';
import type { JobEngine } from '../platform/jobs/engine.ts';
import { queueAttempt, type DeliverPayload } from './delivery/job-payload.ts';
import { webhookDeliveries, webhookEndpoints } from './tables.ts';

export const REQUEUE_JOB = 'webhooks.requeue';

export const requeuePayload = z.object({
  endpointId: z.uuid(),
  status: z.enum(['held', 'failed']),
  /** Failed deliveries: those that ended in [since, until]. Held ones: all, while the endpoint stays enabled. */
  since: z.string().optional(),
  /** Deliveries that end again after the request are not picked up a second time. */
  until: z.string(),
});
export type RequeuePayload = z.infer<typeof requeuePayload>;

const SLICE = 200;

export async function queueRequeue(
  jobs: Pick<JobEngine, 'send' | 'definition' | 'clock'>,
  tx: Queryable,
  input: RequeuePayload & { workspaceId: string },
): Promise<void> {
  const definition = jobs.definition(REQUEUE_JOB);
  if (!definition) throw new Error(`The ${REQUEUE_JOB} job is not registered`);
  const { workspaceId, ...payload } = input;
  await jobs.send(definition, payload, { workspaceId, tx });
}

/** Moves the deliveries over in slices of one transaction each; returns how many it queued. */
export async function requeueDeliveries(db: Db, jobs: Pick<JobEngine, 'send' | 'definition' | 'clock'>, payload: RequeuePayload, workspaceId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      const [endpoint] = await tx.select({ state: webhookEndpoints.state }).from(webhookEndpoints).where(eq(webhookEndpoints.id, payload.endpointId));
      // Paused or disabled again meanwhile: what is left waits for the next resume.
      if (!endpoint || endpoint.state !== 'enabled') return 0;
      const conditions = [eq(webhookDeliveries.endpointId, payload.endpointId), eq(webhookDeliveries.status, payload.status)];
      if (payload.status === 'failed') {
        if (payload.since) conditions.push(gte(webhookDeliveries.completedAt, new Date(payload.since)));
        conditions.push(lte(webhookDeliveries.completedAt, new Date(payload.until)));
      }
      const rows = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(...conditions))
        .orderBy(asc(webhookDeliveries.id))
        .limit(SLICE)
        .for('update', { skipLocked: true });
      for (const { id } of rows) {
        const job: DeliverPayload = payload.status === 'failed' ? { deliveryId: id, replay: true } : { deliveryId: id };
        const jobId = await queueAttempt(jobs, tx, { workspaceId, payload: job });
        await tx
          .update(webhookDeliveries)
          .set({
            status: 'pending',
            jobId,
            nextAttemptAt: new Date(jobs.clock.now()),
            completedAt: null,
            // A replay starts the retry schedule over; a held delivery continues where it was.
            ...(payload.status === 'failed' ? { scheduleStep: 0 } : {}),
          })
          .where(eq(webhookDeliveries.id, id));
      }
      return rows.length;
    });
    total += moved;
    if (moved < SLICE) return total;
  }
}
