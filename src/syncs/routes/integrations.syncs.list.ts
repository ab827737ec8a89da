// GET /api/v1/integrations/:id/syncs: each sync of the integration's connector with its schedule, state,
// last run, next run, records count and last error.
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { syncView } from '../contracts.ts';
import { syncViews } from '../views.ts';

export function listIntegrationSyncsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/syncs',
    {
      schema: {
        tags: ['syncs'],
        summary: "List an integration's syncs",
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ items: z.array(syncView) }) },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      return { items: await syncViews(hub, row) };
    },
  );
}
