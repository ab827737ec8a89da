// ALL /api/v1/integrations/:id/proxy/*: forwards a request to the provider's base URL with the
// integration's auth injected, for endpoints no action covers. The provider's answer comes back as is.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { createProviderHttp } from '../runtime/provider-http.ts';
import { invocationTargetFor, loadIntegrationForCall } from '../service.ts';

// Sent on to the provider; everything else (our Authorization, cookies, hop-by-hop headers) stays here.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'accept-language', 'if-none-match', 'if-modified-since'];
// Returned to the caller; rate-limit headers let a client pace itself against the provider.
const RETURNED_RESPONSE_HEADER = /^(content-type|content-disposition|etag|last-modified|retry-after|x-ratelimit-.*|ratelimit-.*|link|x-total-count|x-wp-total|x-wp-totalpages)$/i;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function proxyRoute(app: App, hub: HubContext) {
  // Own scope: the body is taken raw, whatever its type, to be forwarded byte for byte.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().route({
      method: [...METHODS],
      url: '/api/v1/integrations/:id/proxy/*',
      schema: {
        tags: ['integrations'],
        summary: "Forward a request to the provider with the integration's auth",
        params: z.object({ id: z.uuid(), '*': z.string() }),
      },
      handler: async (request, reply) => {
        const row = await loadIntegrationForCall(hub, principalOf(request).workspaceId, request.params.id);
        const target = await invocationTargetFor(hub, row);
        const http = createProviderHttp({ ...target, operation: 'proxy' });
        const url = new URL(request.url, 'http://hub.local');
        const headers: Record<string, string> = {};
        for (const name of FORWARDED_REQUEST_HEADERS) {
          const value = request.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const path = request.params['*'];
        if (/^[a-z]+:/i.test(path) || path.startsWith('/')) {
          throw new ApiError('validation_failed', 'The proxied path must be relative to the provider base URL.', { details: [{ field: 'params.*', message: 'must be a relative path' }] });
        }
        const result = await http.raw({
          method: request.method,
          path,
          query: Object.fromEntries(url.searchParams),
          headers,
          ...(Buffer.isBuffer(request.body) && request.body.length > 0 ? { body: request.body } : {}),
        });
        if (!result.ok && !result.response) {
          const code = result.error.code === 'rate_limited_locally' ? 'provider_rate_limited' : 'provider_unavailable';
          throw new ApiError(code, `${target.connector.title}: ${result.error.message}`, {
            ...(result.error.retryAfterMs ? { headers: { 'Retry-After': String(Math.ceil(result.error.retryAfterMs / 1000)) } } : {}),
          });
        }
        const answer = result.ok ? result : result.response!;
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && RETURNED_RESPONSE_HEADER.test(name)) reply.header(name, value);
        }
        reply.header('x-switchboard-attempts', String(result.attempts));
        return reply.code(answer.status).send(answer.body);
      },
    });
  });
}
