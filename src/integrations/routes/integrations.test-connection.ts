// POST /api/v1/integrations/:id/test: re-checks the stored credential now and records the outcome.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationView, toIntegrationView } from '../contracts.ts';
import { retestIntegration } from '../service.ts';

export function testIntegration(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/:id/test',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Check an integration with its provider now',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ ok: z.boolean(), message: z.string().nullable(), integration: integrationView }) },
      },
    },
    async (request) => {
      const { row, result } = await retestIntegration(hub, principalOf(request), request.params.id);
      return { ok: result.ok, message: result.ok ? null : result.message, integration: toIntegrationView(row) };
    },
  );
}
