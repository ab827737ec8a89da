// GET /api/v1/workspaces/current: the caller's workspace and role (works with an API key or a session).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, API_KEY_SCOPES, workspaces } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { workspaceView } from '../contracts.ts';

export function getCurrentWorkspace(app: App, hub: HubContext) {
  app.get(
    '/api/v1/workspaces/current',
    {
      schema: {
        tags: ['access'],
        summary: "The caller's workspace and role",
        response: {
          200: z.object({
            workspace: workspaceView,
            role: z.enum(ROLES),
            principal: z.object({ kind: z.enum(['user', 'api_key']), id: z.string(), scopes: z.array(z.enum(API_KEY_SCOPES)) }),
          }),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const [workspace] = await hub.db.select().from(workspaces).where(eq(workspaces.id, principal.workspaceId));
      if (!workspace) throw notFound('Workspace');
      return {
        workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
        role: principal.role,
        principal: { kind: principal.kind, id: principal.kind === 'user' ? principal.userId : principal.id, scopes: principal.scopes },
      };
    },
  );
}
