// GET /api/v1/webhooks/endpoints/:id: one endpoint with its health.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView } from '../contracts.ts';
import { endpointResponse, findEndpoint } from '../endpoints/views.ts';

export function getEndpoint(app: App, hub: HubContext) {
  app.get(
    '/api/v1/webhooks/endpoints/:id',
    {
      schema: { tags: ['webhooks'], summary: 'Get a webhook endpoint', params: z.object({ id: z.uuid() }), response: { 200: endpointView } },
    },
    async (request) => endpointResponse(hub, await findEndpoint(hub.db, principalOf(request).workspaceId, request.params.id)),
  );
}
