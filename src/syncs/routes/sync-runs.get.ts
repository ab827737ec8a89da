// GET /api/v1/sync-runs/:id: one run with its progress, counts and the error of each failed attempt.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { loadRun } from '../runs.ts';

export function getSyncRunRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/sync-runs/:id',
    {
      schema: { tags: ['syncs'], summary: 'Get a sync run', params: z.object({ id: z.uuid() }), response: { 200: runView } },
    },
    async (request) => toRunView(await loadRun(hub, principalOf(request).workspaceId, request.params.id)),
  );
}
