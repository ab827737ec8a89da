// DELETE /api/v1/integrations/:id: disconnects (soft delete: history stays, the credential is dropped).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationView, toIntegrationView } from '../contracts.ts';
import { disconnectIntegration } from '../service.ts';

export function deleteIntegration(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/integrations/:id',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['integrations'], summary: 'Disconnect an integration', params: z.object({ id: z.uuid() }), response: { 200: integrationView } },
    },
    async (request) => toIntegrationView(await disconnectIntegration(hub, principalOf(request), request.params.id, request.ip)),
  );
}
