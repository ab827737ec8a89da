// POST /api/v1/session: signs in with email and password; sets the session cookie.
import { eq } from 'drizzle-orm';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { memberships, users } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { sessionView } from '../contracts.ts';
import { describeSession, startSession } from '../sessions.ts';

// Compared against when the email is unknown, so both paths cost one scrypt and take as long.
const decoyHash = hashPassword('switchboard-decoy-password');

export function createSession(app: App, hub: HubContext) {
  // Slows password guessing: attempts per client address and per account, whatever the outcome.
  const perAddress = hub.sharedState.rateLimiter({ keyPrefix: 'signin-ip', points: 20, durationSeconds: 60 });
  const perAccount = hub.sharedState.rateLimiter({ keyPrefix: 'signin-user', points: 10, durationSeconds: 300 });

  app.post(
    '/api/v1/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['access'],
        summary: 'Sign in to the dashboard',
        security: [],
        body: z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(200) }),
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      try {
        await perAddress.consume(request.ip);
        await perAccount.consume(email);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new ApiError('rate_limited', `Too many sign-in attempts; retry in ${seconds} s.`, { headers: { 'Retry-After': String(seconds) } });
      }
      const [user] = await hub.db.select().from(users).where(eq(users.email, email));
      const valid = await verifyPassword(request.body.password, user?.passwordHash ?? (await decoyHash));
      if (!user || !valid) throw new ApiError('invalid_credentials', 'Email or password is wrong.');
      const [membership] = await hub.db
        .select({ workspaceId: memberships.workspaceId })
        .from(memberships)
        .where(eq(memberships.userId, user.id))
        .orderBy(memberships.createdAt)
        .limit(1);
      if (!membership) throw new ApiError('forbidden', 'This account belongs to no workspace; ask an admin to add it.');
      await hub.db.transaction(async (tx) => {
        await startSession(tx, hub.config, reply, {
          userId: user.id,
          workspaceId: membership.workspaceId,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
        await recordAudit(tx, {
          workspaceId: membership.workspaceId,
          actor: { kind: 'account', userId: user.id, email: user.email },
          action: 'session.created',
          targetType: 'user',
          targetId: user.id,
          ip: request.ip,
        });
      });
      return describeSession(hub.db, user.id, membership.workspaceId);
    },
  );
}
