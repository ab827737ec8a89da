// PATCH /api/v1/webhooks/endpoints/:id: changes an endpoint's URL, filters, limits, headers or schedule.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView, updateEndpointBody } from '../contracts.ts';
import { updateEndpoint } from '../endpoints/service.ts';
import { endpointResponse } from '../endpoints/views.ts';

export function updateEndpointRoute(app: App, hub: HubContext) {
  app.patch(
    '/api/v1/webhooks/endpoints/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Update a webhook endpoint',
        params: z.object({ id: z.uuid() }),
        body: updateEndpointBody,
        response: { 200: z.object({ endpoint: endpointView, warnings: z.array(z.string()) }) },
      },
    },
    async (request) => {
      const updated = await updateEndpoint(hub, { principal: principalOf(request), ip: request.ip }, request.params.id, request.body);
      return { endpoint: await endpointResponse(hub, updated.endpoint), warnings: updated.warnings };
    },
  );
}
