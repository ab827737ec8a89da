// PUT /api/v1/oauth-apps/:connectorId: sets the workspace's OAuth client for a connector; the secret goes to the vault.
import { z } from 'zod';
import { principalOf } from '../../../platform/http/authenticate.ts';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { oauthAppView, saveOAuthAppBody, toOAuthAppView } from '../contracts.ts';
import { saveOAuthApp } from '../oauth-apps.ts';
import { callbackUrl } from '../urls.ts';

export function saveOAuthAppRoute(app: App, hub: HubContext) {
  app.put(
    '/api/v1/oauth-apps/:connectorId',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['oauth'],
        summary: "Create or replace the workspace's OAuth app for a connector",
        description: 'clientSecret: a string sets it, null removes it (public client with PKCE), absent keeps the stored one. It is never returned.',
        params: z.object({ connectorId: z.string().min(1).max(60) }),
        body: saveOAuthAppBody,
        response: { 200: oauthAppView },
      },
    },
    async (request) => {
      const row = await saveOAuthApp(hub, principalOf(request), { connectorId: request.params.connectorId, ...request.body, ip: request.ip });
      return toOAuthAppView(row, callbackUrl(hub, request));
    },
  );
}
