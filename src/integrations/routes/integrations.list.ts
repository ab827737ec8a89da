// GET /api/v1/integrations: the workspace's connected integrations with status and masked credentials.
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationView, toIntegrationView } from '../contracts.ts';
import { INTEGRATION_STATUSES, integrations } from '../tables.ts';

export function listIntegrations(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations',
    {
      schema: {
        tags: ['integrations'],
        summary: 'List integrations',
        querystring: z.object({ connectorId: z.string().max(60).optional(), status: z.enum(INTEGRATION_STATUSES).optional() }),
        response: { 200: z.object({ items: z.array(integrationView) }) },
      },
    },
    async (request) => {
      const conditions: SQL[] = [eq(integrations.workspaceId, principalOf(request).workspaceId), isNull(integrations.deletedAt)];
      if (request.query.connectorId) conditions.push(eq(integrations.connectorId, request.query.connectorId));
      if (request.query.status) conditions.push(eq(integrations.status, request.query.status));
      const rows = await hub.db.select().from(integrations).where(and(...conditions)).orderBy(desc(integrations.createdAt));
      return { items: rows.map(toIntegrationView) };
    },
  );
}
