// GET /api/v1/events: the event log, newest first, with filters, payload search and cursor pagination.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { eventFilterQuery, eventView } from '../contracts.ts';
import { listEvents } from '../events/query.ts';

export function listEventsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'List events with their delivery status',
        querystring: z.object({ ...pageQuery, ...eventFilterQuery }),
        response: { 200: z.object({ items: z.array(eventView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listEvents(hub.db, {
        workspaceId: principalOf(request).workspaceId,
        type: q.type,
        connectorId: q.connectorId,
        integrationId: q.integrationId,
        status: q.status,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        search: q.q,
        cursor: q.cursor,
        limit: q.limit,
      });
      return page(rows, q.limit);
    },
  );
}
