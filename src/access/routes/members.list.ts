// GET /api/v1/members: the workspace's members and their roles.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, users } from '../../platform/db/schema.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import { iso } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { memberView } from '../contracts.ts';

export function listMembers(app: App, hub: HubContext) {
  app.get(
    '/api/v1/members',
    { schema: { tags: ['access'], summary: 'List members', response: { 200: z.object({ items: z.array(memberView) }) } } },
    async (request) => {
      const rows = await hub.db
        .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.workspaceId, principalOf(request).workspaceId))
        .orderBy(users.email);
      return { items: rows.map((row) => ({ ...row, createdAt: iso(row.createdAt) as string })) };
    },
  );
}
