// GET /api/v1/integrations/:id/runs: the integration's run history, newest first.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { integrationRuns } from '../tables.ts';

export function listRunsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/runs',
    {
      schema: {
        tags: ['integrations'],
        summary: "An integration's runs",
        params: z.object({ id: z.uuid() }),
        querystring: z.object(pageQuery),
        response: { 200: z.object({ items: z.array(runView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      const conditions: SQL[] = [eq(integrationRuns.integrationId, row.id), eq(integrationRuns.workspaceId, row.workspaceId)];
      if (request.query.cursor) conditions.push(lt(integrationRuns.id, request.query.cursor));
      const rows = await hub.db.select().from(integrationRuns).where(and(...conditions)).orderBy(desc(integrationRuns.id)).limit(request.query.limit + 1);
      return page(rows.map(toRunView), request.query.limit);
    },
  );
}
