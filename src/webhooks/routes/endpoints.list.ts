// GET /api/v1/webhooks/endpoints: the workspace's endpoints with their 24-hour health.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView } from '../contracts.ts';
import { endpointHealthOf, toEndpointView } from '../endpoints/views.ts';
import { webhookEndpoints } from '../tables.ts';

export function listEndpoints(app: App, hub: HubContext) {
  app.get(
    '/api/v1/webhooks/endpoints',
    {
      schema: { tags: ['webhooks'], summary: 'List webhook endpoints', response: { 200: z.object({ items: z.array(endpointView) }) } },
    },
    async (request) => {
      const rows = await hub.db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.workspaceId, principalOf(request).workspaceId), isNull(webhookEndpoints.deletedAt)))
        .orderBy(asc(webhookEndpoints.createdAt));
      const health = await endpointHealthOf(hub.db, rows.map((row) => row.id), hub.jobs.clock.now());
      return { items: rows.map((row) => toEndpointView(row, health.get(row.id))) };
    },
  );
}
