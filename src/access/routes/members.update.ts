// PATCH /api/v1/members/:userId: changes a member's role.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, memberships } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { memberView } from '../contracts.ts';
import { assertAnotherOwnerRemains, assertMayAssign, findMember } from '../members.ts';

export function updateMember(app: App, hub: HubContext) {
  app.patch(
    '/api/v1/members/:userId',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['access'],
        summary: "Change a member's role",
        params: z.object({ userId: z.uuid() }),
        body: z.object({ role: z.enum(ROLES) }),
        response: { 200: z.object({ member: memberView }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const member = await hub.db.transaction(async (tx) => {
        const current = await findMember(tx, principal.workspaceId, request.params.userId);
        if (!current) throw notFound('Member');
        assertMayAssign(principal, current.role, request.body.role);
        if (current.role === 'owner' && request.body.role !== 'owner') {
          await assertAnotherOwnerRemains(tx, principal.workspaceId, current.userId);
        }
        await tx
          .update(memberships)
          .set({ role: request.body.role })
          .where(and(eq(memberships.workspaceId, principal.workspaceId), eq(memberships.userId, current.userId)));
        await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'member.role_changed', targetType: 'user', targetId: current.userId, ip: request.ip, metadata: { email: current.email, from: current.role, to: request.body.role } });
        return findMember(tx, principal.workspaceId, current.userId);
      });
      return { member: member! };
    },
  );
}
