// POST /api/v1/webhooks/endpoints/:id/test: sends a webhook.test event now and answers with the receiver's reply.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { testResultView } from '../contracts.ts';
import { sendTestEvent } from '../endpoints/test-send.ts';

export function testEndpointRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/webhooks/endpoints/:id/test',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['webhooks'],
        summary: "Send a test event and return the receiver's status, latency and answer",
        params: z.object({ id: z.uuid() }),
        response: { 200: testResultView },
      },
    },
    async (request) => sendTestEvent(hub, principalOf(request), request.params.id),
  );
}
