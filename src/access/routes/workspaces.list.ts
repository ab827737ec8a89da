// GET /api/v1/workspaces: the signed-in user's workspaces with their role in each.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, memberships, workspaces } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { workspaceView } from '../contracts.ts';

export function listWorkspaces(app: App, hub: HubContext) {
  app.get(
    '/api/v1/workspaces',
    {
      config: { access: 'session' },
      schema: {
        tags: ['access'],
        summary: "The signed-in user's workspaces",
        response: { 200: z.object({ items: z.array(workspaceView.extend({ role: z.enum(ROLES) })) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ApiError('unauthenticated', 'Not a dashboard session.');
      const items = await hub.db
        .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
        .from(memberships)
        .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
        .where(eq(memberships.userId, principal.userId))
        .orderBy(workspaces.name);
      return { items };
    },
  );
}
