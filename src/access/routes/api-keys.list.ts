// GET /api/v1/api-keys: the workspace's keys (prefix only; the key itself is never shown again).
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { apiKeys } from '../../platform/db/schema.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { apiKeyView, toApiKeyView } from '../api-keys.ts';

export function listApiKeys(app: App, hub: HubContext) {
  app.get(
    '/api/v1/api-keys',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['access'], summary: 'List API keys', response: { 200: z.object({ items: z.array(apiKeyView) }) } },
    },
    async (request) => {
      const rows = await hub.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.workspaceId, principalOf(request).workspaceId))
        .orderBy(desc(apiKeys.createdAt));
      return { items: rows.map(toApiKeyView) };
    },
  );
}
