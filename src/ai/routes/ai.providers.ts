// GET /api/v1/ai/providers: each AI provider's health for the caller's workspace — health word, p50/p95
// latency, error rate, breaker states, cooldowns and the last error (seed 001's /ai/providers).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { providerView } from '../contracts.ts';
import { providerHealth } from '../health.ts';
import { aiRuntime } from '../runtime.ts';
import { scopedWorkspace, workspaceQuery } from './workspace-scope.ts';

export function providersRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/ai/providers',
    {
      schema: {
        tags: ['ai'],
        summary: 'AI providers with health, latency, error rate, breakers and the last error',
        querystring: z.object(workspaceQuery),
        response: { 200: z.object({ items: z.array(providerView) }) },
      },
    },
    async (request) => {
      const workspaceId = await scopedWorkspace(hub, principalOf(request), request.query.workspaceId);
      return { items: await providerHealth(await aiRuntime(hub), workspaceId) };
    },
  );
}
