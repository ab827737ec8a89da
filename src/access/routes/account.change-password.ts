// POST /api/v1/account/password: changes the signed-in user's password and ends their other sessions.
import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, users } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { newPassword } from '../contracts.ts';

export function changePassword(app: App, hub: HubContext) {
  app.post(
    '/api/v1/account/password',
    {
      config: { access: 'session' },
      schema: {
        tags: ['access'],
        summary: 'Change your password',
        body: z.object({ currentPassword: z.string().min(1).max(200), newPassword }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw new ApiError('unauthenticated', 'Not a dashboard session.');
      const [user] = await hub.db.select().from(users).where(eq(users.id, principal.userId));
      if (!user || !(await verifyPassword(request.body.currentPassword, user.passwordHash))) {
        throw new ApiError('validation_failed', 'The current password is wrong.', {
          details: [{ field: 'body.currentPassword', message: 'is wrong' }],
        });
      }
      if (request.body.currentPassword === request.body.newPassword) {
        throw new ApiError('validation_failed', 'Choose a password different from the current one.', {
          details: [{ field: 'body.newPassword', message: 'must differ from the current password' }],
        });
      }
      const passwordHash = await hashPassword(request.body.newPassword);
      await hub.db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id));
        await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, principal.id)));
        await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'account.password_changed', targetType: 'user', targetId: user.id, ip: request.ip });
      });
      return reply.code(204).send();
    },
  );
}
