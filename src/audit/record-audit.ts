// Writes one audit entry, in the caller's transaction so the entry exists exactly when the change does.
import type { Queryable } from '../platform/db/database.ts';
import { auditLog } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';

export interface AuditEntry {
  workspaceId: string;
  /** The caller; a user not yet holding a session (signing in); or 'system' for the hub's own actions. */
  actor: Principal | { kind: 'account'; userId: string; email: string } | 'system';
  /** `noun.verb`, e.g. api_key.created. */
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  /** Never a secret: names, roles, prefixes, counts. */
  metadata?: Record<string, unknown>;
}

export async function recordAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  const actor =
    entry.actor === 'system'
      ? { actorType: 'system' as const, actorId: null, actorLabel: 'Switchboard' }
      : entry.actor.kind === 'account'
        ? { actorType: 'user' as const, actorId: entry.actor.userId, actorLabel: entry.actor.email }
        : actorOf(entry.actor);
  await q.insert(auditLog).values({
    id: newId(),
    workspaceId: entry.workspaceId,
    ...actor,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip ?? null,
    metadata: entry.metadata ?? {},
  });
}
