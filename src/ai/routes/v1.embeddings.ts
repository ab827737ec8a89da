// POST /v1/embeddings: OpenAI's embeddings API through the workspace's embeddings route (OpenAI, GLM,
// Mistral), including the base64 encoding the official SDKs ask for by default.
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { embeddingsCall } from '../calls/embeddings.ts';
import { embeddingsResponse } from '../openai-compat/map.ts';
import { embeddingsBody } from '../openai-compat/schemas.ts';
import { aiRuntime } from '../runtime.ts';
import { callerGone, taskTypeHeader } from './request-context.ts';

export function embeddingsRoute(app: App, hub: HubContext) {
  app.post(
    '/v1/embeddings',
    {
      schema: {
        tags: ['ai'],
        summary: 'Embeddings (OpenAI-compatible), routed with fallback',
        description: '`model` is `route:embeddings` (or another embeddings route) or an embedding model such as `text-embedding-3-small`.',
        body: embeddingsBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const answer = await embeddingsCall(await aiRuntime(hub), {
        workspaceId: principal.workspaceId,
        requestId: request.id,
        // `route:default` means the default route of this kind, the embeddings route.
        model: body.model === 'route:default' ? 'route:embeddings' : body.model,
        taskType: taskTypeHeader(request),
        input: typeof body.input === 'string' ? [body.input] : body.input,
        dimensions: body.dimensions,
        signal: callerGone(reply),
      });
      reply.headers(answer.headers);
      return embeddingsResponse(answer.result, answer.result.model || answer.model, answer.inputTokens, body.encoding_format);
    },
  );
}
