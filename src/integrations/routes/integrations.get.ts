// GET /api/v1/integrations/:id: one integration (status, reason, last check, account, masked credential).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationView, toIntegrationView } from '../contracts.ts';
import { loadIntegration } from '../service.ts';

export function getIntegration(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id',
    { schema: { tags: ['integrations'], summary: 'Get an integration', params: z.object({ id: z.uuid() }), response: { 200: integrationView } } },
    async (request) => toIntegrationView(await loadIntegration(hub, principalOf(request).workspaceId, request.params.id)),
  );
}
