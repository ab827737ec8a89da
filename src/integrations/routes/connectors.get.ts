// GET /api/v1/connectors/:id: one connector with JSON Schemas of its settings, credential and actions, and
// for OAuth connectors the redirect URI to register at the provider.
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { connectorDetail, toConnectorDetail } from '../contracts.ts';
import { callbackUrl } from '../oauth/urls.ts';

export function getConnector(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors/:id',
    {
      schema: { tags: ['connectors'], summary: 'Describe a connector', params: z.object({ id: z.string().max(60) }), response: { 200: connectorDetail } },
    },
    async (request) => {
      const connector = await hub.connectors.resolve(principalOf(request).workspaceId, request.params.id);
      if (!connector) throw notFound('Connector');
      return toConnectorDetail(connector, callbackUrl(hub, request));
    },
  );
}
