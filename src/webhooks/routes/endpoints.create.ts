// POST /api/v1/webhooks/endpoints: subscribes a URL; the signing secret is in this response only.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { createEndpointBody, endpointView } from '../contracts.ts';
import { createEndpoint } from '../endpoints/service.ts';
import { toEndpointView } from '../endpoints/views.ts';

export function createEndpointRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Create a webhook endpoint (its signing secret is shown in this response only)',
        body: createEndpointBody,
        response: { 201: z.object({ endpoint: endpointView, secret: z.string(), warnings: z.array(z.string()) }) },
      },
    },
    async (request, reply) => {
      const created = await createEndpoint(hub, { principal: principalOf(request), ip: request.ip }, request.body);
      return reply.code(201).send({ endpoint: toEndpointView(created.endpoint), secret: created.secret, warnings: created.warnings });
    },
  );
}
