// "Send test event": a webhook.test event delivered to one endpoint at once, in the request, so the
// caller sees the receiver's answer. Logged like any delivery, never retried, and no effect on health.
import type { z } from 'zod';
import type { Principal } from '../../platform/auth/principal.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { testResultView } from '../contracts.ts';
import { attemptDelivery } from '../delivery/deliver-job.ts';
import { loadDeliveries } from '../delivery/store.ts';
import { createDeliveries, insertEvent } from '../emit.ts';
import { webhookRuntime } from '../runtime.ts';
import { findEndpoint } from './views.ts';

export async function sendTestEvent(hub: HubContext, principal: Principal, endpointId: string): Promise<z.infer<typeof testResultView>> {
  const endpoint = await findEndpoint(hub.db, principal.workspaceId, endpointId);
  const rt = webhookRuntime(hub);
  const { eventId, deliveryId } = await hub.db.transaction(async (tx) => {
    const id = await insertEvent(tx, {
      workspaceId: principal.workspaceId,
      type: 'webhook.test',
      source: 'manual',
      payload: { message: 'A test event from Switchboard. Your endpoint received it.', endpointId },
    });
    // Paused and disabled endpoints can be tested too: that is how one checks a receiver before resuming.
    const [delivery] = await createDeliveries(hub.jobs, tx, {
      workspaceId: principal.workspaceId,
      eventId: id,
      endpoints: [{ id: endpoint.id, state: 'enabled', disabledReason: null }],
      queue: false,
    });
    return { eventId: id, deliveryId: delivery! };
  });
  const delivery = (await loadDeliveries(hub.db, [deliveryId])).get(deliveryId)!;
  const result = await attemptDelivery(rt, delivery);
  await rt.store.write({
    kind: 'attempted',
    delivery,
    jobId: null,
    trigger: 'test',
    result,
    outcome: {
      status: result.ok ? 'succeeded' : 'failed',
      scheduleStep: 0,
      nextAttemptAt: null,
      lastError: result.ok ? null : (result.errorMessage ?? `The receiver answered ${result.status}.`),
      endpointEffect: 'none',
    },
  });
  return {
    ok: result.ok,
    status: result.status,
    latencyMs: result.latencyMs,
    responseBody: result.responseBody,
    error: result.ok ? null : (result.errorMessage ?? `The receiver answered ${result.status}.`),
    eventId,
    deliveryId,
  };
}
