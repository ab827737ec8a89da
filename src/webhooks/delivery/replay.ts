// Replaying one delivery: a new immediate attempt with a fresh retry schedule and the same webhook-id,
// which also supersedes any retry that was waiting (the delivery now points at the new job).
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { webhookDeliveries, webhookEndpoints } from '../tables.ts';
import { queueAttempt } from './job-payload.ts';

export async function replayDelivery(hub: HubContext, caller: { principal: Principal; ip: string }, deliveryId: string): Promise<string> {
  const { workspaceId } = caller.principal;
  const [row] = await hub.db
    .select({ status: webhookDeliveries.status, endpointState: webhookEndpoints.state, deletedAt: webhookEndpoints.deletedAt })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.workspaceId, workspaceId)));
  if (!row) throw notFound('Delivery');
  if (row.deletedAt) throw new ApiError('conflict', 'The endpoint of this delivery was deleted.');
  if (row.endpointState === 'disabled') throw new ApiError('conflict', 'The endpoint is disabled: resume it first, then replay.');
  if (row.endpointState === 'paused' || row.status === 'held') {
    throw new ApiError('conflict', 'The endpoint is paused: the delivery is sent when it resumes.');
  }
  await hub.db.transaction(async (tx) => {
    const jobId = await queueAttempt(hub.jobs, tx, { workspaceId, payload: { deliveryId, replay: true } });
    await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', jobId, scheduleStep: 0, nextAttemptAt: new Date(hub.jobs.clock.now()), completedAt: null })
      .where(eq(webhookDeliveries.id, deliveryId));
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_delivery.replayed',
      targetType: 'webhook_delivery',
      targetId: deliveryId,
      ip: caller.ip,
    });
  });
  return deliveryId;
}
