// DELETE /api/v1/members/:userId: removes a member from the workspace (the account stays).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, sessions } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { assertAnotherOwnerRemains, assertMayAssign, findMember } from '../members.ts';

export function removeMember(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/members/:userId',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['access'], summary: 'Remove a member', params: z.object({ userId: z.uuid() }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await hub.db.transaction(async (tx) => {
        const current = await findMember(tx, principal.workspaceId, request.params.userId);
        if (!current) throw notFound('Member');
        assertMayAssign(principal, current.role, null);
        if (current.role === 'owner') await assertAnotherOwnerRemains(tx, principal.workspaceId, current.userId);
        const scope = (table: typeof memberships | typeof sessions) =>
          and(eq(table.workspaceId, principal.workspaceId), eq(table.userId, current.userId));
        await tx.delete(memberships).where(scope(memberships));
        await tx.delete(sessions).where(scope(sessions));
        await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'member.removed', targetType: 'user', targetId: current.userId, ip: request.ip, metadata: { email: current.email, role: current.role } });
      });
      return reply.code(204).send();
    },
  );
}
