// POST /api/v1/integrations/oauth/:connectorId/start: for API clients; answers the provider's authorization URL as JSON.
import { z } from 'zod';
import { principalOf } from '../../../platform/http/authenticate.ts';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { startFlowBody, startFlowResponse } from '../contracts.ts';
import { startAuthorization } from '../flows.ts';
import { callbackUrl } from '../urls.ts';

export function startOAuthJson(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/oauth/:connectorId/start',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['oauth'],
        summary: 'Start connecting through OAuth (answers the authorization URL to send a browser to)',
        params: z.object({ connectorId: z.string().min(1).max(60) }),
        body: startFlowBody,
        response: { 200: startFlowResponse },
      },
    },
    async (request) => {
      const started = await startAuthorization(hub, principalOf(request), {
        connectorId: request.params.connectorId,
        ...request.body,
        redirectUri: callbackUrl(hub, request),
        where: 'body',
      });
      return { authorizationUrl: started.authorizationUrl, expiresAt: started.expiresAt.toISOString() };
    },
  );
}
