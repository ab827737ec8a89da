// GET /api/v1/connectors/:id: one connector with JSON Schemas of its settings, credential and actions.
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { connectorDetail, toConnectorDetail } from '../contracts.ts';

export function getConnector(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors/:id',
    {
      schema: { tags: ['connectors'], summary: 'Describe a connector', params: z.object({ id: z.string().max(60) }), response: { 200: connectorDetail } },
    },
    async (request) => {
      const connector = hub.connectors.get(request.params.id);
      if (!connector) throw notFound('Connector');
      return toConnectorDetail(connector);
    },
  );
}
