// Dashboard sessions: a random token in an http-only, SameSite=Strict cookie; only its hash is stored.
import { and, eq } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { Config } from '../platform/config.ts';
import type { Queryable } from '../platform/db/database.ts';
import { memberships, sessions, users, workspaces } from '../platform/db/schema.ts';
import { ApiError } from '../platform/errors.ts';
import { newId, newToken, sha256Hex } from '../platform/ids.ts';
import { SESSION_COOKIE } from '../platform/http/authenticate.ts';

export async function startSession(
  q: Queryable,
  config: Config,
  reply: FastifyReply,
  input: { userId: string; workspaceId: string; ip: string; userAgent: string | undefined },
): Promise<void> {
  const token = newToken('', 32);
  const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3_600_000);
  await q.insert(sessions).values({
    id: newId(),
    tokenHash: sha256Hex(token),
    userId: input.userId,
    workspaceId: input.workspaceId,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    // Strict keeps the cookie off every cross-site request, which is the dashboard's CSRF defence
    // together with JSON-only bodies (a cross-site form cannot send application/json).
    sameSite: 'strict',
    secure: (config.publicUrl ?? '').startsWith('https://'),
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The signed-in user's view: who, which workspace, which role, and every workspace they belong to. */
export async function describeSession(q: Queryable, userId: string, workspaceId: string) {
  const [user] = await q.select().from(users).where(eq(users.id, userId));
  const rows = await q
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(workspaces.name);
  const current = rows.find((row) => row.id === workspaceId);
  if (!user || !current) throw new ApiError('unauthenticated', 'The session no longer matches a membership; sign in again.');
  return {
    user: { id: user.id, email: user.email, name: user.name, mustChangePassword: user.mustChangePassword },
    workspace: { id: current.id, slug: current.slug, name: current.name },
    role: current.role,
    workspaces: rows,
  };
}

export async function membershipRole(q: Queryable, userId: string, workspaceId: string) {
  const [row] = await q
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)));
  return row?.role ?? null;
}
