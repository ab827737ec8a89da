// DELETE /api/v1/api-keys/:id: revokes a key at once; it answers 401 from the next request on.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { principalCacheOf } from '../../platform/auth/principal-cache.ts';
import { apiKeys } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { apiKeyView, toApiKeyView } from '../api-keys.ts';

export function revokeApiKey(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ apiKey: apiKeyView }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await hub.db.transaction(async (tx) => {
        const scope = and(eq(apiKeys.id, request.params.id), eq(apiKeys.workspaceId, principal.workspaceId));
        const [revoked] = await tx
          .update(apiKeys)
          .set({ revokedAt: new Date() })
          .where(and(scope, isNull(apiKeys.revokedAt)))
          .returning();
        if (!revoked) {
          // Already revoked keys answer with their state; unknown ones (or another workspace's) are 404.
          const [existing] = await tx.select().from(apiKeys).where(scope);
          if (!existing) throw notFound('API key');
          return existing;
        }
        await recordAudit(tx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'api_key.revoked',
          targetType: 'api_key',
          targetId: revoked.id,
          ip: request.ip,
          metadata: { name: revoked.name, prefix: revoked.prefix },
        });
        return revoked;
      });
      // This process stops accepting the key now; others within the cache's TTL (see principal-cache.ts).
      principalCacheOf(hub).forgetKey(row.id);
      return { apiKey: toApiKeyView(row) };
    },
  );
}
