// Which workspace an AI read is about: the caller's own, or — for a signed-in admin — another workspace
// in which that user is an admin or owner (seed 001's `/ai/quota/:orgId` and `/ai/usage/:orgId`).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { roleAtLeast, type Principal } from '../../platform/auth/principal.ts';
import { memberships } from '../../platform/db/schema.ts';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';

export const workspaceQuery = { workspaceId: z.uuid().optional().describe("Another workspace of the caller's, where the caller is an admin or owner") };

export async function scopedWorkspace(hub: HubContext, principal: Principal, requested: string | undefined): Promise<string> {
  if (!requested || requested === principal.workspaceId) return principal.workspaceId;
  // An API key belongs to one workspace; only a person can hold roles in several.
  if (principal.kind !== 'user') throw new ApiError('forbidden', 'An API key can only read its own workspace; sign in as a member of the other workspace instead.');
  const [membership] = await hub.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, principal.userId), eq(memberships.workspaceId, requested)));
  // Not a member reads like a workspace that does not exist.
  if (!membership) throw notFound('Workspace');
  if (!roleAtLeast(membership.role, 'admin')) throw new ApiError('forbidden', `Reading another workspace's AI usage needs the admin role there; you are ${membership.role}.`);
  return requested;
}
