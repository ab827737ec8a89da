// DELETE /api/v1/connectors/custom/:id: removes a run-time connector no integration uses any more.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { deleteCustomConnector } from '../service.ts';

export function deleteCustomConnectorRoute(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/connectors/custom/:id',
    { config: { minRole: 'admin' }, schema: { tags: ['connectors'], summary: 'Delete a run-time connector (409 while integrations use it)', params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      await deleteCustomConnector(hub, principalOf(request), request.params.id, request.ip);
      return reply.code(204).send();
    },
  );
}
