// GET /api/v1/connectors: the catalogue, filtered by category and search text (seed 001's /third-party/list,
// seed 003's /integrations/available).
import { z } from 'zod';
import { CATEGORIES } from '../../connectors/sdk/define.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { connectorSummary, toConnectorSummary } from '../contracts.ts';

export function listConnectors(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors',
    {
      schema: {
        tags: ['connectors'],
        summary: 'List connectors',
        querystring: z.object({
          category: z.enum(CATEGORIES).optional(),
          q: z.string().trim().max(100).optional().describe('Matches id, title and description, case-insensitively.'),
        }),
        response: { 200: z.object({ items: z.array(connectorSummary) }) },
      },
    },
    async (request) => {
      const { category, q } = request.query;
      const needle = q?.toLowerCase();
      const items = (await hub.connectors.listFor(principalOf(request).workspaceId))
        .filter((c) => !category || c.category === category)
        .filter((c) => !needle || [c.id, c.title, c.description].some((text) => text.toLowerCase().includes(needle)));
      return { items: items.map(toConnectorSummary) };
    },
  );
}
