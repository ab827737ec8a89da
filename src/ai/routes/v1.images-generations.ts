// POST /v1/images/generations: OpenAI's image generation API through the workspace's images route
// (OpenAI, GLM CogView), metered per image in the usage ledger.
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { imagesCall } from '../calls/images.ts';
import { imagesBody } from '../openai-compat/schemas.ts';
import { aiRuntime } from '../runtime.ts';
import { callerGone, taskTypeHeader } from './request-context.ts';

export function imagesRoute(app: App, hub: HubContext) {
  app.post(
    '/v1/images/generations',
    {
      schema: {
        tags: ['ai'],
        summary: 'Generate images (OpenAI-compatible), routed with fallback',
        body: imagesBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const answer = await imagesCall(await aiRuntime(hub), {
        workspaceId: principal.workspaceId,
        requestId: request.id,
        model: !body.model || body.model === 'route:default' ? 'route:images' : body.model,
        taskType: taskTypeHeader(request),
        prompt: body.prompt,
        n: body.n,
        size: body.size,
        quality: body.quality,
        responseFormat: body.response_format,
        signal: callerGone(reply),
      });
      reply.headers(answer.headers);
      return {
        created: answer.result.created,
        data: answer.result.images.map((image) => ({
          ...(image.url ? { url: image.url } : {}),
          ...(image.b64Json ? { b64_json: image.b64Json } : {}),
          ...(image.revisedPrompt ? { revised_prompt: image.revisedPrompt } : {}),
        })),
      };
    },
  );
}
