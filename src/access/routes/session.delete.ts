// DELETE /api/v1/session: signs out (the session row is deleted, the cookie cleared).
import { eq } from 'drizzle-orm';
import { sessions } from '../../platform/db/schema.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { clearSessionCookie } from '../sessions.ts';

export function deleteSession(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/session',
    { config: { access: 'session' }, schema: { tags: ['access'], summary: 'Sign out' } },
    async (request, reply) => {
      await hub.db.delete(sessions).where(eq(sessions.id, principalOf(request).id));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );
}
