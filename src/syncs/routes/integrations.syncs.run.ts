// POST /api/v1/integrations/:id/syncs/:sync/run: a manual run ("Sync now"). While a run of this sync is
// queued or running, that run comes back (200) instead of a second one (202).
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { requestRun, syncOf } from '../runs.ts';

export function runIntegrationSyncRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/:id/syncs/:sync/run',
    {
      schema: {
        tags: ['syncs'],
        summary: 'Run a sync now',
        description: '202 with the new run; 200 with the run already queued or running (one per integration × sync at a time). 409 when the integration is not connected.',
        params: z.object({ id: z.uuid(), sync: z.string().max(60) }),
        response: { 200: runView, 202: runView },
      },
    },
    async (request, reply) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      const { sync } = syncOf(hub, row, request.params.sync);
      const { run, created } = await requestRun(hub, row, sync, 'manual');
      return reply.code(created ? 202 : 200).send(toRunView(run));
    },
  );
}
