// POST /api/v1/members: adds a person by email. A new account gets a generated password, shown once,
// that must be changed at first sign-in (the hub sends no email).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, memberships, users } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { generatePassword, hashPassword } from '../../platform/auth/passwords.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { memberView } from '../contracts.ts';
import { assertMayAssign, findMember } from '../members.ts';

export function addMember(app: App, hub: HubContext) {
  app.post(
    '/api/v1/members',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Add a member (creates the account if needed)',
        body: z.object({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(100).optional(),
          role: z.enum(ROLES).default('member'),
        }),
        response: { 201: z.object({ member: memberView, temporaryPassword: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const email = request.body.email.toLowerCase();
      assertMayAssign(principal, null, request.body.role);
      const temporaryPassword = generatePassword();
      const passwordHash = await hashPassword(temporaryPassword);
      const result = await hub.db.transaction(async (tx) => {
        let [user] = await tx.select().from(users).where(eq(users.email, email));
        let created = false;
        if (!user) {
          [user] = await tx
            .insert(users)
            .values({ id: newId(), email, name: request.body.name ?? email.split('@')[0] ?? email, passwordHash, mustChangePassword: true })
            .returning();
          created = true;
        }
        if (!user) throw new Error('user insert returned no row');
        if (await findMember(tx, principal.workspaceId, user.id)) {
          throw new ApiError('conflict', `${email} is already a member of this workspace.`, { details: [{ field: 'body.email', message: 'is already a member' }] });
        }
        await tx.insert(memberships).values({ workspaceId: principal.workspaceId, userId: user.id, role: request.body.role });
        await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'member.added', targetType: 'user', targetId: user.id, ip: request.ip, metadata: { email, role: request.body.role, accountCreated: created } });
        return { member: await findMember(tx, principal.workspaceId, user.id), created };
      });
      return reply.code(201).send({ member: result.member!, temporaryPassword: result.created ? temporaryPassword : null });
    },
  );
}
