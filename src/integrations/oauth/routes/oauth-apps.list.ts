// GET /api/v1/oauth-apps: the workspace's own OAuth apps, secrets masked, with the redirect URI to register.
import { z } from 'zod';
import { principalOf } from '../../../platform/http/authenticate.ts';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { oauthAppView, toOAuthAppView } from '../contracts.ts';
import { listOAuthApps } from '../oauth-apps.ts';
import { callbackUrl } from '../urls.ts';

export function listOAuthAppsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/oauth-apps',
    {
      schema: {
        tags: ['oauth'],
        summary: "List the workspace's OAuth apps (bring your own client per connector)",
        response: { 200: z.object({ items: z.array(oauthAppView) }) },
      },
    },
    async (request) => {
      const rows = await listOAuthApps(hub, principalOf(request).workspaceId);
      const redirectUri = callbackUrl(hub, request);
      return { items: rows.map((row) => toOAuthAppView(row, redirectUri)) };
    },
  );
}
