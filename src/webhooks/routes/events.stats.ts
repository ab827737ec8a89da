// GET /api/v1/events/stats: deliveries that succeeded and failed in the last hours (the overview tile).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { eventStatsView } from '../contracts.ts';
import { deliveryStats } from '../events/query.ts';

export function eventStatsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/events/stats',
    {
      schema: {
        tags: ['events'],
        summary: 'Delivery tally over the last hours',
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(24 * 90).default(24) }),
        response: { 200: eventStatsView },
      },
    },
    async (request) => {
      const since = new Date(hub.jobs.clock.now() - request.query.hours * 3_600_000);
      return { since: since.toISOString(), ...(await deliveryStats(hub.db, principalOf(request).workspaceId, since)) };
    },
  );
}
