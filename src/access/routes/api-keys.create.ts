// POST /api/v1/api-keys: creates a key and returns it once.
import { z } from 'zod';
import { API_KEY_SCOPES, ROLES } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import { roleAtLeast } from '../../platform/auth/principal.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { apiKeyView, createApiKey, toApiKeyView } from '../api-keys.ts';

export function createApiKeyRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/api-keys',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Create an API key (the key is in this response only)',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          role: z.enum(ROLES).default('member'),
          scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).default(['read', 'write']),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 201: z.object({ apiKey: apiKeyView, key: z.string() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { name, role, scopes, expiresAt } = request.body;
      if (!roleAtLeast(principal.role, role)) {
        throw new ApiError('forbidden', `A ${principal.role} cannot create a key with the ${role} role.`);
      }
      if (expiresAt && new Date(expiresAt) <= new Date()) {
        throw new ApiError('validation_failed', 'expiresAt must be in the future.', {
          details: [{ field: 'body.expiresAt', message: 'must be in the future' }],
        });
      }
      const created = await hub.db.transaction(async (tx) => {
        const result = await createApiKey(tx, {
          workspaceId: principal.workspaceId,
          name,
          role,
          scopes,
          createdByUserId: principal.kind === 'user' ? principal.userId : null,
          expiresAt: expiresAt ? new Date(expiresAt) : null,
        });
        await recordAudit(tx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'api_key.created',
          targetType: 'api_key',
          targetId: result.row.id,
          ip: request.ip,
          metadata: { name, prefix: result.row.prefix, role, scopes },
        });
        return result;
      });
      return reply.code(201).send({ apiKey: toApiKeyView(created.row), key: created.key });
    },
  );
}
