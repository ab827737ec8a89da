// The delivery job's queue name and payload, and how an attempt is queued: apart from the handler, so
// emitting an event needs no delivery code.
import { z } from 'zod';
import type { Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import type { JobEngine } from '../../platform/jobs/engine.ts';

export const DELIVER_JOB = 'webhooks.deliver';

export const deliverPayload = z.object({
  deliveryId: z.uuid(),
  /** Times this attempt was put back because the endpoint had too many deliveries in flight. */
  deferrals: z.number().int().min(0).optional(),
  /** The endpoint's rate limit already gave this attempt a send slot (do not reserve another). */
  slotted: z.boolean().optional(),
  /** Queued by a replay: its attempt is logged as one. */
  replay: z.boolean().optional(),
});
export type DeliverPayload = z.infer<typeof deliverPayload>;

/** Queues one attempt inside `tx` and returns its job id, for the delivery row to name. */
export async function queueAttempt(
  jobs: Pick<JobEngine, 'send' | 'definition'>,
  tx: Queryable,
  attempt: { workspaceId: string; payload: DeliverPayload; startAfter?: Date; id?: string },
): Promise<string> {
  const definition = jobs.definition(DELIVER_JOB);
  if (!definition) throw new Error(`The ${DELIVER_JOB} job is not registered with this hub's job engine`);
  return jobs.send(definition, attempt.payload, {
    workspaceId: attempt.workspaceId,
    tx,
    id: attempt.id ?? newId(),
    ...(attempt.startAfter ? { startAfter: attempt.startAfter } : {}),
  });
}
