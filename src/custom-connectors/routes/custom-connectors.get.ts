// GET /api/v1/connectors/custom/:id: one run-time connector with its latest definition.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { customConnectorView, toCustomConnectorView } from '../contracts.ts';
import { loadCustomConnector } from '../service.ts';

export function getCustomConnectorRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors/custom/:id',
    { schema: { tags: ['connectors'], summary: 'Describe a run-time connector', params: z.object({ id: z.uuid() }), response: { 200: customConnectorView } } },
    async (request) => toCustomConnectorView(await loadCustomConnector(hub, principalOf(request).workspaceId, request.params.id)),
  );
}
