// GET /api/v1/events/export?format=csv|json: the filtered event log as a download.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { eventFilterQuery } from '../contracts.ts';
import { EXPORT_FORMATS, EXPORT_MAX_EVENTS, exportEvents } from '../events/export.ts';

export function exportEventsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/events/export',
    {
      schema: {
        tags: ['events'],
        summary: `Export events as CSV or JSON (newest first, at most ${EXPORT_MAX_EVENTS})`,
        querystring: z.object({ format: z.enum(EXPORT_FORMATS).default('csv'), ...eventFilterQuery }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
      const stream = exportEvents(
        hub.db,
        {
          workspaceId: principalOf(request).workspaceId,
          type: q.type,
          connectorId: q.connectorId,
          integrationId: q.integrationId,
          status: q.status,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          search: q.q,
        },
        q.format,
      );
      return reply
        .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="events-${stamp}.${q.format}"`)
        .send(stream);
    },
  );
}
