// GET /api/v1/hooks/:integrationId: Meta's subscription check (hub.mode, hub.verify_token, hub.challenge).
import { z } from 'zod';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { LoadInboundTarget } from '../inbound/target.ts';
import { answerMetaChallenge } from '../inbound/verify-meta.ts';

export function hookChallengeRoute(load: LoadInboundTarget) {
  return function register(app: App, hub: HubContext) {
    app.get(
      '/api/v1/hooks/:integrationId',
      {
        config: { access: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: "Answer Meta's webhook verification challenge",
          params: z.object({ integrationId: z.uuid() }),
          querystring: z.record(z.string(), z.unknown()),
        },
      },
      async (request, reply) => {
        const target = await load(hub, request.params.integrationId);
        const verification = target?.connector.webhooks?.verification;
        if (!target || verification?.kind !== 'meta') throw notFound('An integration with a Meta webhook challenge and this id');
        const answer = answerMetaChallenge(target.credentials[verification.verifyTokenField], request.query);
        if (!answer.ok) throw new ApiError('forbidden', `The verification challenge was refused: ${answer.reason}.`);
        return reply.type('text/plain; charset=utf-8').send(answer.challenge);
      },
    );
  };
}
