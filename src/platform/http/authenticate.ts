// Resolves the caller of every /api/v1 request (API key or session cookie), enforces the route's access
// rule and role, the key's scope, and the hub's own rate limit per caller. API keys are looked up through a
// short-lived cache (../auth/principal-cache.ts); sessions are read every time (their role follows the
// membership, which several routes change).
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { HubContext } from '../hub-context.ts';
import { apiKeys, memberships, sessions, users } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { sha256Hex } from '../ids.ts';
import { roleAtLeast, type Principal } from '../auth/principal.ts';
import { principalCacheOf } from '../auth/principal-cache.ts';

export const SESSION_COOKIE = 'sb_session';
// last_used_at is written at most this often per key, so a busy key does not write on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

export function createAuthenticator(hub: HubContext) {
  const limiter = hub.sharedState.rateLimiter({
    keyPrefix: 'api',
    points: hub.config.apiRateLimitPerMinute,
    durationSeconds: 60,
  });

  const principals = principalCacheOf(hub);

  async function principalFromApiKey(token: string): Promise<Principal | null> {
    const keyHash = sha256Hex(token);
    const cached = principals.get(keyHash);
    if (cached) return cached;
    const ticket = principals.ticket();
    const [row] = await hub.db
      .select()
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.keyHash, keyHash),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
        ),
      )
      .limit(1);
    if (!row) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      hub.db
        .update(apiKeys)
        .set({ lastUsedAt: new Date() })
        .where(eq(apiKeys.id, row.id))
        .catch((error: unknown) => hub.logger.warn({ err: error }, 'could not record API key use'));
    }
    const principal = {
      kind: 'api_key' as const,
      id: row.id,
      label: `${row.name} (${row.prefix}…)`,
      workspaceId: row.workspaceId,
      role: row.role,
      scopes: row.scopes,
    };
    // Unknown keys are not remembered: a key created a moment later works at once.
    principals.remember(keyHash, principal, row.expiresAt, ticket);
    return principal;
  }

  async function principalFromSession(token: string): Promise<Principal | null> {
    const [row] = await hub.db
      .select({
        sessionId: sessions.id,
        userId: users.id,
        email: users.email,
        workspaceId: sessions.workspaceId,
        role: memberships.role,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)))
      .where(and(eq(sessions.tokenHash, sha256Hex(token)), gt(sessions.expiresAt, new Date())))
      .limit(1);
    if (!row) return null;
    return {
      kind: 'user',
      id: row.sessionId,
      userId: row.userId,
      email: row.email,
      workspaceId: row.workspaceId,
      role: row.role,
      scopes: ['read', 'write'],
    };
  }

  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const rule = request.routeOptions.config.access;
    if (rule === 'public') return;
    const authorization = request.headers.authorization;
    let principal: Principal | null = null;
    if (authorization !== undefined && rule !== 'session') {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw new ApiError('unauthenticated', 'The Authorization header must be "Bearer <API key>".');
      principal = await principalFromApiKey(match[1]);
      if (!principal) throw new ApiError('unauthenticated', 'The API key is unknown, revoked or expired.');
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) principal = await principalFromSession(token);
      if (!principal) {
        throw new ApiError(
          'unauthenticated',
          rule === 'session'
            ? 'Sign in to the dashboard first (this route is for dashboard sessions only).'
            : 'Send an API key as "Authorization: Bearer <key>", or sign in.',
        );
      }
    }
    const minRole = request.routeOptions.config.minRole ?? 'member';
    if (!roleAtLeast(principal.role, minRole)) {
      throw new ApiError('forbidden', `This needs the ${minRole} role or higher; the caller is ${principal.role}.`);
    }
    const needs = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
    if (!principal.scopes.includes(needs)) {
      throw new ApiError('forbidden', `This API key lacks the "${needs}" scope.`);
    }
    try {
      const result = await limiter.consume(principal.id);
      reply.header('RateLimit-Limit', hub.config.apiRateLimitPerMinute);
      reply.header('RateLimit-Remaining', result.remainingPoints);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new ApiError('rate_limited', `Rate limit of ${hub.config.apiRateLimitPerMinute} requests per minute reached; retry in ${seconds} s.`, {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    request.principal = principal;
  };
}

/** The caller of a route that is not public; the hook guarantees it is set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf called on a public route');
  return request.principal;
}
