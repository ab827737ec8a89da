// DELETE /api/v1/ai/routes/:name: removes a stored AI route; its task type falls back to `default`
// (and a deleted default to the built-in chain). Admins only; audited.
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { deleteRoute } from '../router/route-config.ts';
import { aiRuntime } from '../runtime.ts';
import { routeName } from './ai.routes.save.ts';

export function deleteRouteRoute(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/ai/routes/:name',
    {
      config: { minRole: 'admin' },
      schema: { tags: ['ai'], summary: 'Delete a stored AI route', params: z.object({ name: routeName }) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await deleteRoute(hub.db, principal.workspaceId, request.params.name))) throw notFound('AI route');
      (await aiRuntime(hub)).routes.invalidate(principal.workspaceId);
      await recordAudit(hub.db, { workspaceId: principal.workspaceId, actor: principal, action: 'ai.route.deleted', targetType: 'ai_route', targetId: request.params.name, ip: request.ip });
      return reply.code(204).send();
    },
  );
}
