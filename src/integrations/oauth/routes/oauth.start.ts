// GET /api/v1/integrations/oauth/:connectorId/start: for a browser; redirects to the provider's consent page.
import { z } from 'zod';
import { ApiError } from '../../../platform/errors.ts';
import { principalOf } from '../../../platform/http/authenticate.ts';
import type { App } from '../../../platform/http/server.ts';
import type { HubContext } from '../../../platform/hub-context.ts';
import { startFlowFields } from '../contracts.ts';
import { startAuthorization } from '../flows.ts';
import { callbackUrl } from '../urls.ts';

/**
 * Settings come as `config.<field>=<text>` parameters, or whole as `config=<JSON object>` when a field is
 * not text (numbers, booleans); the connector's schema validates the result either way.
 */
function configFromQuery(query: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (typeof query.config === 'string' && query.config !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(query.config);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ApiError('validation_failed', 'config must be a JSON object, e.g. config={"region":"eu"}, or use config.<field>=<value>.', {
        details: [{ field: 'query.config', message: 'not a JSON object' }],
      });
    }
    Object.assign(config, parsed);
  }
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('config.') && key.length > 'config.'.length) config[key.slice('config.'.length)] = Array.isArray(value) ? value[0] : value;
  }
  return config;
}

export function startOAuthRedirect(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/oauth/:connectorId/start',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['oauth'],
        summary: 'Start connecting through OAuth (redirects the browser to the provider)',
        description:
          'Query: name (new integration) or integrationId (re-authorise), returnTo (a path on this hub), and settings as config.<field>=<value> or config=<JSON>. ' +
          'Answers 302 to the provider; after consent the provider returns to /api/v1/oauth/callback, which redirects to returnTo with ?integration=<id> or ?oauthError=<message>. ' +
          'API clients that want the URL as JSON use POST.',
        params: z.object({ connectorId: z.string().min(1).max(60) }),
        querystring: z.looseObject({ ...startFlowFields, config: z.string().max(8192).optional() }),
      },
    },
    async (request, reply) => {
      const { name, returnTo, integrationId } = request.query;
      const started = await startAuthorization(hub, principalOf(request), {
        connectorId: request.params.connectorId,
        name,
        returnTo,
        integrationId,
        config: configFromQuery(request.query),
        redirectUri: callbackUrl(hub, request),
        where: 'query',
      });
      return reply.redirect(started.authorizationUrl, 302);
    },
  );
}
