// GET /api/v1/ai/quota: the workspace's AI limits and what the current day and month have used and
// reserved (seed 001's /ai/quota/:orgId; `?workspaceId=` for another workspace the caller administers).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { quotaView } from '../contracts.ts';
import { readQuotaView as readQuota } from '../quotas/view.ts';
import { aiRuntime } from '../runtime.ts';
import { scopedWorkspace, workspaceQuery } from './workspace-scope.ts';

export function getQuotaRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/ai/quota',
    {
      schema: {
        tags: ['ai'],
        summary: 'AI budgets and per-minute limits with current consumption',
        querystring: z.object(workspaceQuery),
        response: { 200: quotaView },
      },
    },
    async (request) => {
      const workspaceId = await scopedWorkspace(hub, principalOf(request), request.query.workspaceId);
      const rt = await aiRuntime(hub);
      await rt.idle();
      return readQuota(hub.db, workspaceId, new Date(rt.now()));
    },
  );
}
