// POST /api/v1/webhooks/endpoints/:id/rotate-secret: a new signing secret (shown once); the old one keeps
// signing beside it for the overlap, so receivers can switch without losing a delivery.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { endpointView } from '../contracts.ts';
import { rotateSecret } from '../endpoints/service.ts';
import { endpointResponse } from '../endpoints/views.ts';

export function rotateSecretRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints/:id/rotate-secret',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: 'Rotate the signing secret (the new secret is shown in this response only)',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({
            overlapHours: z
              .number()
              .min(0)
              .max(24 * 7)
              .default(24)
              .describe('How long deliveries carry a signature with the old secret too; 0 ends it at once.'),
          })
          .default({ overlapHours: 24 }),
        response: { 200: z.object({ endpoint: endpointView, secret: z.string() }) },
      },
    },
    async (request) => {
      const rotated = await rotateSecret(hub, { principal: principalOf(request), ip: request.ip }, request.params.id, request.body.overlapHours);
      return { endpoint: await endpointResponse(hub, rotated.endpoint), secret: rotated.secret };
    },
  );
}
