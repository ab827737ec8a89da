// API keys: random `sb_` tokens of which only a SHA-256 hash and a short prefix are stored.
import { z } from 'zod';
import type { Queryable } from '../platform/db/database.ts';
import { API_KEY_SCOPES, apiKeys, ROLES, type ApiKeyScope, type Role } from '../platform/db/schema.ts';
import { newId, newToken, sha256Hex } from '../platform/ids.ts';
import { iso, isoDate } from '../platform/http/pagination.ts';

export const API_KEY_PREFIX = 'sb_';
/** Characters of the key shown in lists: `sb_` and 8 more. */
const SHOWN_PREFIX_LENGTH = 11;

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});

export function toApiKeyView(row: typeof apiKeys.$inferSelect): z.infer<typeof apiKeyView> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    scopes: row.scopes,
    createdAt: iso(row.createdAt) as string,
    lastUsedAt: iso(row.lastUsedAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
  };
}

export async function createApiKey(
  q: Queryable,
  input: {
    workspaceId: string;
    name: string;
    role: Role;
    scopes: ApiKeyScope[];
    createdByUserId: string | null;
    expiresAt?: Date | null;
    /** A chosen value (SWITCHBOARD_BOOTSTRAP_API_KEY); otherwise a random one. */
    key?: string;
  },
): Promise<{ row: typeof apiKeys.$inferSelect; key: string }> {
  const key = input.key ?? newToken(API_KEY_PREFIX);
  const [row] = await q
    .insert(apiKeys)
    .values({
      id: newId(),
      workspaceId: input.workspaceId,
      name: input.name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: sha256Hex(key),
      role: input.role,
      scopes: [...new Set(input.scopes)],
      createdByUserId: input.createdByUserId,
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return { row, key };
}
