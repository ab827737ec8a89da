// GET /api/v1/integrations/:id/operations: the integration's recent provider calls, newest first.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { iso, page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { operationView } from '../contracts.ts';
import { operationLogOf } from '../runtime/operation-log.ts';
import { loadIntegration } from '../service.ts';
import { integrationOperations } from '../tables.ts';

export function listOperations(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/operations',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Recent provider calls of an integration',
        params: z.object({ id: z.uuid() }),
        querystring: z.object(pageQuery),
        response: { 200: z.object({ items: z.array(operationView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      // Calls of this process still queued are stored first, so they are listed.
      await operationLogOf(hub).flush();
      const conditions: SQL[] = [eq(integrationOperations.integrationId, row.id), eq(integrationOperations.workspaceId, row.workspaceId)];
      if (request.query.cursor) conditions.push(lt(integrationOperations.id, request.query.cursor));
      const rows = await hub.db
        .select()
        .from(integrationOperations)
        .where(and(...conditions))
        .orderBy(desc(integrationOperations.id))
        .limit(request.query.limit + 1);
      return page(
        rows.map(({ workspaceId: _w, integrationId: _i, ...op }) => ({ ...op, createdAt: iso(op.createdAt) as string })),
        request.query.limit,
      );
    },
  );
}
