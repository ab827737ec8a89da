// POST /api/v1/integrations/:id/runs/:runId/cancel: cancels a run (a Spark run kills its batch).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { cancelRun } from '../service.ts';

export function cancelRunRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/:id/runs/:runId/cancel',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Cancel a run',
        description: 'Cancels the run\'s job; a running Spark run then kills its Livy batch (DELETE /batches/:id) and ends `cancelled`. 409 when it already ended.',
        params: z.object({ id: z.uuid(), runId: z.uuid() }),
        response: { 200: runView },
      },
    },
    async (request) => toRunView(await cancelRun(hub, principalOf(request), request.params.id, request.params.runId)),
  );
}
