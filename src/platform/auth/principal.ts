// Who is calling: a dashboard user (session cookie) or an API key, always inside one workspace.
import type { ApiKeyScope, Role } from '../db/schema.ts';

export type Principal =
  | {
      kind: 'user';
      /** Session id: idempotency keys and rate limits are scoped to it. */
      id: string;
      userId: string;
      email: string;
      workspaceId: string;
      role: Role;
      scopes: ApiKeyScope[];
    }
  | {
      kind: 'api_key';
      id: string;
      label: string;
      workspaceId: string;
      role: Role;
      scopes: ApiKeyScope[];
    };

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** How the principal appears in the audit log. */
export function actorOf(principal: Principal) {
  return principal.kind === 'user'
    ? { actorType: 'user' as const, actorId: principal.userId, actorLabel: principal.email }
    : { actorType: 'api_key' as const, actorId: principal.id, actorLabel: principal.label };
}
