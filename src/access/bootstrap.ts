// First start: a default workspace and its owner (password printed once), and the bootstrap API key.
import { eq } from 'drizzle-orm';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { apiKeys, installation, memberships, users, workspaces } from '../platform/db/schema.ts';
import { newId, sha256Hex } from '../platform/ids.ts';
import { generatePassword, hashPassword } from '../platform/auth/passwords.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { createApiKey } from './api-keys.ts';

export const DEFAULT_WORKSPACE_SLUG = 'default';

export interface BootstrapResult {
  defaultWorkspaceId: string;
  /** Set only on the very first start: what to print so a person can sign in. */
  firstStart: { email: string; generatedPassword: string | null } | null;
}

export async function bootstrap(db: Db, config: Config): Promise<BootstrapResult> {
  const result = await db.transaction(async (tx) => {
    // The installation row is the lock: of several processes starting at once, one inserts it.
    const workspaceId = newId();
    const claimed = await tx
      .insert(installation)
      .values({ id: 1, defaultWorkspaceId: workspaceId })
      .onConflictDoNothing()
      .returning();
    if (claimed.length === 0) {
      const [existing] = await tx.select().from(installation).where(eq(installation.id, 1));
      if (!existing) throw new Error('installation row vanished');
      return { defaultWorkspaceId: existing.defaultWorkspaceId, firstStart: null };
    }
    const generatedPassword = config.adminPassword ? null : generatePassword();
    const userId = newId();
    const email = config.adminEmail.toLowerCase();
    await tx.insert(workspaces).values({ id: workspaceId, slug: DEFAULT_WORKSPACE_SLUG, name: 'Default workspace' });
    await tx.insert(users).values({
      id: userId,
      email,
      name: 'Owner',
      passwordHash: await hashPassword(config.adminPassword ?? (generatedPassword as string)),
      mustChangePassword: generatedPassword !== null,
    });
    await tx.insert(memberships).values({ workspaceId, userId, role: 'owner' });
    await recordAudit(tx, { workspaceId, actor: 'system', action: 'workspace.created', targetType: 'workspace', targetId: workspaceId });
    await recordAudit(tx, { workspaceId, actor: 'system', action: 'member.added', targetType: 'user', targetId: userId, metadata: { email, role: 'owner' } });
    return { defaultWorkspaceId: workspaceId, firstStart: { email, generatedPassword } };
  });
  if (config.bootstrapApiKey) await ensureBootstrapKey(db, result.defaultWorkspaceId, config.bootstrapApiKey);
  return result;
}

async function ensureBootstrapKey(db: Db, workspaceId: string, key: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.keyHash, sha256Hex(key)));
    if (existing) return;
    const { row } = await createApiKey(tx, {
      workspaceId,
      name: 'bootstrap (SWITCHBOARD_BOOTSTRAP_API_KEY)',
      role: 'owner',
      scopes: ['read', 'write'],
      createdByUserId: null,
      key,
    });
    await recordAudit(tx, { workspaceId, actor: 'system', action: 'api_key.created', targetType: 'api_key', targetId: row.id, metadata: { name: row.name, prefix: row.prefix, role: 'owner' } });
  });
}
