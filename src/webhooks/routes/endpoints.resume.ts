// POST /api/v1/webhooks/endpoints/:id/resume: resumes a paused endpoint (what queued goes out) or
// re-enables a disabled one, answering how many deliveries failed meanwhile so they can be replayed.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView } from '../contracts.ts';
import { resumeEndpoint } from '../endpoints/service.ts';
import { endpointResponse } from '../endpoints/views.ts';

export function resumeEndpointRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints/:id/resume',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Resume a paused endpoint or re-enable a disabled one',
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            endpoint: endpointView,
            released: z.number().describe('Deliveries held while paused, now queued.'),
            replayable: z
              .object({ since: z.string(), count: z.number() })
              .nullable()
              .describe('A re-enabled endpoint: deliveries that failed since its failures began; replay them with POST …/replay.'),
          }),
        },
      },
    },
    async (request) => {
      const resumed = await resumeEndpoint(hub, { principal: principalOf(request), ip: request.ip }, request.params.id);
      return { endpoint: await endpointResponse(hub, resumed.endpoint), released: resumed.released, replayable: resumed.replayable };
    },
  );
}
