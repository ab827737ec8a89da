// DELETE /api/v1/oauth-apps/:connectorId: removes the workspace's OAuth app (its integrations can then no longer refresh).
import { z } from 'zod';
import { principalOf } from '../../../platform/http/authenticate.ts';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { deleteOAuthApp } from '../oauth-apps.ts';

export function deleteOAuthAppRoute(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/oauth-apps/:connectorId',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['oauth'],
        summary: "Delete the workspace's OAuth app for a connector",
        params: z.object({ connectorId: z.string().min(1).max(60) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteOAuthApp(hub, principalOf(request), request.params.connectorId, request.ip);
      return reply.code(204).send(null);
    },
  );
}
