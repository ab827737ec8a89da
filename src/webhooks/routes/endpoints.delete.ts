// DELETE /api/v1/webhooks/endpoints/:id: stops deliveries and forgets the secrets; the event log keeps its history.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { deleteEndpoint } from '../endpoints/service.ts';

export function deleteEndpointRoute(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/webhooks/endpoints/:id',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['webhooks'], summary: 'Delete a webhook endpoint', params: z.object({ id: z.uuid() }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      await deleteEndpoint(hub, { principal: principalOf(request), ip: request.ip }, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
