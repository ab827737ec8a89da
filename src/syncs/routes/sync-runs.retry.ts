// POST /api/v1/sync-runs/:id/retry: queues a failed, dead-lettered or cancelled run again with a fresh set
// of retries; it resumes from its last checkpoint.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { retryRun } from '../runs.ts';

export function retrySyncRunRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/sync-runs/:id/retry',
    {
      schema: {
        tags: ['syncs'],
        summary: 'Retry a failed or dead-lettered sync run',
        description: '409 when the run is still active, another run of the sync is active, or the integration is not connected.',
        params: z.object({ id: z.uuid() }),
        response: { 202: runView },
      },
    },
    async (request, reply) => reply.code(202).send(toRunView(await retryRun(hub, principalOf(request).workspaceId, request.params.id))),
  );
}
