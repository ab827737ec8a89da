// GET /api/v1/ai/routes: the workspace's AI routes (stored, and the built-in defaults not yet saved) and
// the providers a route can name, with whether each has a connected integration.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { providerChoice, routeView } from '../contracts.ts';
import { aiRuntime } from '../runtime.ts';

export function listRoutesRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/ai/routes',
    {
      schema: {
        tags: ['ai'],
        summary: 'AI routes (fallback chains per task type) and the providers they can use',
        response: { 200: z.object({ items: z.array(routeView), providers: z.array(providerChoice) }) },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const rt = await aiRuntime(hub);
      const [routes, integrations] = await Promise.all([rt.routes.list(workspaceId), rt.integrations.forWorkspace(workspaceId)]);
      return {
        items: routes,
        providers: rt.providers.list().map((provider) => ({
          id: provider.id,
          title: provider.title,
          defaultModels: provider.defaultModels,
          kinds: (['chat', 'embeddings', 'images'] as const).filter((kind) => kind === 'chat' || provider[kind] !== undefined),
          integrations: integrations.filter((integration) => integration.provider.id === provider.id).map((integration) => ({ id: integration.id, name: integration.name, status: integration.status })),
        })),
      };
    },
  );
}
