// POST /api/v1/ai/estimate: what a request would cost before it is sent, for every target of its route,
// from the same price table and token counting the ledger and budgets use (seed 001's estimateCost).
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { estimateRequest, estimateView } from '../contracts.ts';
import { aiRuntime } from '../runtime.ts';
import { estimate } from '../usage/estimate.ts';

export function estimateRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/ai/estimate',
    {
      schema: {
        tags: ['ai'],
        summary: 'Estimate the cost of an AI request before sending it',
        body: estimateRequest,
        response: { 200: estimateView },
      },
    },
    async (request) => estimate(await aiRuntime(hub), principalOf(request).workspaceId, request.body),
  );
}
