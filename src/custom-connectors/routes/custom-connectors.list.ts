// GET /api/v1/connectors/custom: the workspace's run-time connectors with their latest definitions.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { customConnectorView, toCustomConnectorView } from '../contracts.ts';
import { listCustomConnectors } from '../service.ts';

export function listCustomConnectorsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors/custom',
    { schema: { tags: ['connectors'], summary: "List this workspace's run-time connectors", response: { 200: z.object({ items: z.array(customConnectorView) }) } } },
    async (request) => ({ items: (await listCustomConnectors(hub, principalOf(request).workspaceId)).map(toCustomConnectorView) }),
  );
}
