// POST /api/v1/webhooks/endpoints/:id/pause: deliveries wait (held) until the endpoint resumes.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView } from '../contracts.ts';
import { pauseEndpoint } from '../endpoints/service.ts';
import { endpointResponse } from '../endpoints/views.ts';

export function pauseEndpointRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints/:id/pause',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['webhooks'], summary: 'Pause an endpoint (events queue meanwhile)', params: z.object({ id: z.uuid() }), response: { 200: endpointView } },
    },
    async (request) => endpointResponse(hub, await pauseEndpoint(hub, { principal: principalOf(request), ip: request.ip }, request.params.id)),
  );
}
