// POST /api/v1/webhooks/deliveries/:id/replay: sends one delivery again now (same webhook-id, fresh schedule).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { deliveryView } from '../contracts.ts';
import { replayDelivery } from '../delivery/replay.ts';
import { toDeliveryView } from '../events/query.ts';
import { webhookDeliveries, webhookEndpoints } from '../tables.ts';

export function replayDeliveryRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/deliveries/:id/replay',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Replay one delivery now',
        params: z.object({ id: z.uuid() }),
        response: { 202: deliveryView },
      },
    },
    async (request, reply) => {
      const id = await replayDelivery(hub, { principal: principalOf(request), ip: request.ip }, request.params.id);
      const [row] = await hub.db
        .select({ delivery: webhookDeliveries, endpointUrl: webhookEndpoints.url })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(eq(webhookDeliveries.id, id));
      const d = row!.delivery;
      return reply.code(202).send(
        toDeliveryView({
          id: d.id,
          event_id: d.eventId,
          endpoint_id: d.endpointId,
          endpoint_url: row!.endpointUrl,
          status: d.status,
          attempt_count: d.attemptCount,
          next_attempt_at: d.nextAttemptAt,
          last_attempt_at: d.lastAttemptAt,
          last_status: d.lastStatus,
          last_error: d.lastError,
          created_at: d.createdAt,
          completed_at: d.completedAt,
        }),
      );
    },
  );
}
