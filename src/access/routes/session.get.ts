// GET /api/v1/session: who is signed in, in which workspace, and their other workspaces.
import { sessionView } from '../contracts.ts';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { describeSession } from '../sessions.ts';

export function getSession(app: App, hub: HubContext) {
  app.get(
    '/api/v1/session',
    { config: { access: 'session' }, schema: { tags: ['access'], summary: 'The signed-in user', response: { 200: sessionView } } },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ApiError('unauthenticated', 'Not a dashboard session.');
      return describeSession(hub.db, principal.userId, principal.workspaceId);
    },
  );
}
