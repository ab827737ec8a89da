// POST /api/v1/session/workspace: points the dashboard session at another of the user's workspaces.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { sessions } from '../../platform/db/schema.ts';
import { ApiError, notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { sessionView } from '../contracts.ts';
import { describeSession, membershipRole } from '../sessions.ts';

export function switchWorkspace(app: App, hub: HubContext) {
  app.post(
    '/api/v1/session/workspace',
    {
      config: { access: 'session' },
      schema: {
        tags: ['access'],
        summary: 'Switch the dashboard to another workspace',
        body: z.object({ workspaceId: z.uuid() }),
        response: { 200: sessionView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ApiError('unauthenticated', 'Not a dashboard session.');
      const role = await membershipRole(hub.db, principal.userId, request.body.workspaceId);
      if (!role) throw notFound('Workspace');
      await hub.db.update(sessions).set({ workspaceId: request.body.workspaceId }).where(eq(sessions.id, principal.id));
      return describeSession(hub.db, principal.userId, request.body.workspaceId);
    },
  );
}
