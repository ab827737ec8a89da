// POST /api/v1/sync-runs/:id/cancel: stops a queued or running run; what it stored so far stays.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { cancelRun } from '../runs.ts';

export function cancelSyncRunRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/sync-runs/:id/cancel',
    {
      schema: {
        tags: ['syncs'],
        summary: 'Cancel a sync run',
        description: 'A running attempt sees its signal abort within about a second. 409 when the run has already ended.',
        params: z.object({ id: z.uuid() }),
        response: { 200: runView },
      },
    },
    async (request) => toRunView(await cancelRun(hub, principalOf(request).workspaceId, request.params.id)),
  );
}
