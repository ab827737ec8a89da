// POST /api/v1/webhooks/endpoints/:id/replay: sends again every delivery to the endpoint that failed since a time.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { replayFailedSince } from '../endpoints/service.ts';

export function replayEndpointRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints/:id/replay',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Replay every failed delivery to this endpoint since a time',
        params: z.object({ id: z.uuid() }),
        body: z.object({ since: z.iso.datetime({ offset: true }) }),
        response: { 202: z.object({ queued: z.number() }) },
      },
    },
    async (request, reply) => {
      const result = await replayFailedSince(hub, { principal: principalOf(request), ip: request.ip }, request.params.id, new Date(request.body.since));
      return reply.code(202).send(result);
    },
  );
}
