// PATCH /api/v1/integrations/:id: rename, change settings, or replace the credential (re-checked first).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationName, integrationView, toIntegrationView } from '../contracts.ts';
import { updateIntegration } from '../service.ts';

export function updateIntegrationRoute(app: App, hub: HubContext) {
  app.patch(
    '/api/v1/integrations/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Update an integration',
        params: z.object({ id: z.uuid() }),
        body: z.object({
          name: integrationName.optional(),
          config: z.record(z.string(), z.unknown()).optional(),
          credentials: z.record(z.string(), z.unknown()).optional(),
        }),
        response: { 200: integrationView },
      },
    },
    async (request) => toIntegrationView(await updateIntegration(hub, principalOf(request), request.params.id, { ...request.body, ip: request.ip })),
  );
}
