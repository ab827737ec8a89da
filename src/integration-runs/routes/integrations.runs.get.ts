// GET /api/v1/integrations/:id/runs/:runId: one run with its status, output or error, and a Spark run's batch and log.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { loadRun } from '../service.ts';

export function getRunRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/runs/:runId',
    { schema: { tags: ['integrations'], summary: 'One run', params: z.object({ id: z.uuid(), runId: z.uuid() }), response: { 200: runView } } },
    async (request) => toRunView(await loadRun(hub, principalOf(request).workspaceId, request.params.id, request.params.runId)),
  );
}
