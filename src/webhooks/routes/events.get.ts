// GET /api/v1/events/:id: one event with every delivery and each attempt (headers sent, answer excerpt, latency).
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { eventDetailView } from '../contracts.ts';
import { getEvent } from '../events/query.ts';

export function getEventRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Get an event with its deliveries and attempts',
        params: z.object({ id: z.uuid() }),
        response: { 200: eventDetailView },
      },
    },
    async (request) => {
      const event = await getEvent(hub.db, principalOf(request).workspaceId, request.params.id);
      if (!event) throw notFound('Event');
      return event;
    },
  );
}
