// Workspace membership rules: who may grant which role, and that a workspace always keeps an owner.
import { and, eq, ne } from 'drizzle-orm';
import type { Queryable } from '../platform/db/database.ts';
import { memberships, users, type Role } from '../platform/db/schema.ts';
import { ApiError } from '../platform/errors.ts';
import { iso } from '../platform/http/pagination.ts';
import type { Principal } from '../platform/auth/principal.ts';

/** Only owners hand out or take away the owner role. */
export function assertMayAssign(principal: Principal, from: Role | null, to: Role | null): void {
  if ((from === 'owner' || to === 'owner') && principal.role !== 'owner') {
    throw new ApiError('forbidden', 'Only an owner can grant or remove the owner role.');
  }
}

export async function assertAnotherOwnerRemains(q: Queryable, workspaceId: string, userId: string): Promise<void> {
  const others = await q
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner'), ne(memberships.userId, userId)))
    .limit(1);
  if (others.length === 0) {
    throw new ApiError('conflict', 'A workspace must keep at least one owner; make someone else owner first.');
  }
}

export async function findMember(q: Queryable, workspaceId: string, userId: string) {
  const [row] = await q
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ? { ...row, createdAt: iso(row.createdAt) as string } : null;
}
