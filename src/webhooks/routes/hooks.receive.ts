// POST /api/v1/hooks/:integrationId: provider webhooks. Public (providers have no API key): the connector's
// signature check is the authentication. The raw body is kept as bytes, since signatures cover those bytes.
import { z } from 'zod';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { receiveInbound } from '../inbound/receive.ts';
import type { LoadInboundTarget } from '../inbound/target.ts';

export function receiveHookRoute(load: LoadInboundTarget) {
  return function register(app: App, hub: HubContext) {
    // A scope of its own, so only this route reads bodies as raw bytes of any content type.
    void app.register(async (scoped: App) => {
      scoped.removeAllContentTypeParsers();
      scoped.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scoped.post(
        '/api/v1/hooks/:integrationId',
        {
          config: { access: 'public' },
          schema: {
            tags: ['webhooks'],
            summary: 'Receive a provider webhook (verified with the signature scheme the connector declares)',
            params: z.object({ integrationId: z.uuid() }),
            response: {
              200: z.object({
                received: z.literal(true),
                /** A delivery already accepted (same id or signature): acknowledged, not stored or emitted again. */
                duplicate: z.boolean(),
                eventId: z.string().nullable(),
              }),
            },
          },
        },
        async (request) => {
          const target = await load(hub, request.params.integrationId);
          if (!target) throw notFound('An integration accepting webhooks with this id');
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(request.headers)) {
            headers[name] = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : undefined;
          }
          const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const outcome = await receiveInbound(hub, target, { rawBody, headers, contentType: headers['content-type'] }, hub.jobs.clock.now());
          if (outcome.kind === 'not_accepted') throw notFound('An integration accepting webhooks with this id');
          if (outcome.kind === 'refused') {
            request.log.warn({ integrationId: target.integrationId, reason: outcome.reason }, 'inbound webhook refused');
            throw new ApiError('unauthenticated', `The webhook was refused: ${outcome.reason}.`);
          }
          if (outcome.kind === 'duplicate') return { received: true as const, duplicate: true, eventId: null };
          return { received: true as const, duplicate: false, eventId: outcome.eventId };
        },
      );
    });
  };
}
