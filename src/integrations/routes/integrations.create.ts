// POST /api/v1/integrations: validates, checks the credential with the provider, and stores it only then.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationName, integrationView, toIntegrationView } from '../contracts.ts';
import { createIntegration } from '../service.ts';

export function createIntegrationRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Connect an integration (checked with the provider before it is stored)',
        body: z.object({
          connectorId: z.string().min(1).max(60),
          name: integrationName,
          config: z.record(z.string(), z.unknown()).default({}),
          credentials: z.record(z.string(), z.unknown()).default({}),
        }),
        response: { 201: integrationView },
      },
    },
    async (request, reply) => {
      const row = await createIntegration(hub, principalOf(request), { ...request.body, ip: request.ip });
      return reply.code(201).send(toIntegrationView(row));
    },
  );
}
