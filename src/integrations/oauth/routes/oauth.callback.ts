// GET /api/v1/oauth/callback: where providers send the browser back. Public: SameSite=Strict session
// cookies do not come along on a redirect from another site, so the flow is found by its state alone.
import { z } from 'zod';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { CALLBACK_PATH } from '../contracts.ts';
import { completeAuthorization } from '../flows.ts';

export function oauthCallback(app: App, hub: HubContext) {
  app.get(
    CALLBACK_PATH,
    {
      config: { access: 'public' },
      schema: {
        tags: ['oauth'],
        summary: 'OAuth redirect URI (register it in the provider app); redirects to the flow\'s returnTo',
        querystring: z.looseObject({ state: z.string().max(500).optional(), code: z.string().max(4096).optional(), error: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      // The raw query, not the parsed one: a parameter given twice must reach oauth4webapi's checks as such.
      const callback = new URL(request.url, 'http://hub.invalid').searchParams;
      const location = await completeAuthorization(hub, callback, request.ip);
      return reply.header('cache-control', 'no-store').redirect(location, 302);
    },
  );
}
