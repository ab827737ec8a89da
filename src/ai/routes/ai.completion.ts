// POST /api/v1/ai/completion: seed 001's completion call — a prompt (or messages) and a task type in, the
// answer out, with the provider that gave it, the attempts, usage and cost; JSON when a schema is given.
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { chatCall } from '../calls/chat.ts';
import { completionRequest, completionResponse } from '../contracts.ts';
import type { ChatMessage } from '../providers/sdk.ts';
import { aiRuntime } from '../runtime.ts';
import { callerGone } from './request-context.ts';

export function completionRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/ai/completion',
    {
      schema: {
        tags: ['ai'],
        summary: 'Complete a prompt through the route of its task type',
        description: 'Falls back along the route on provider failures; `responseSchema` asks for JSON matching a JSON Schema (one repair attempt per provider).',
        body: completionRequest,
        response: { 200: completionResponse },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const messages: ChatMessage[] = [
        ...(body.system ? [{ role: 'system' as const, content: body.system }] : []),
        ...(body.messages ?? []),
        ...(body.prompt ? [{ role: 'user' as const, content: body.prompt }] : []),
      ];
      const answer = await chatCall(await aiRuntime(hub), {
        workspaceId: principal.workspaceId,
        requestId: request.id,
        model: body.model,
        taskType: body.taskType,
        request: {
          messages,
          ...(body.maxTokens !== undefined ? { maxTokens: body.maxTokens } : {}),
          ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
          ...(body.responseSchema ? { responseFormat: { type: 'json_schema' as const, name: body.schemaName, schema: body.responseSchema } } : {}),
        },
        signal: callerGone(reply),
      });
      reply.headers(answer.headers);
      return {
        requestId: request.id,
        text: answer.result.content,
        ...(answer.json !== undefined ? { json: answer.json } : {}),
        toolCalls: answer.result.toolCalls,
        finishReason: answer.result.finishReason,
        provider: answer.provider,
        model: answer.model,
        route: answer.route,
        taskType: answer.taskType,
        attempts: answer.attempts,
        fallbackReason: answer.fallbackReason,
        usage: answer.usage,
        costUsd: Math.round(answer.costUsd * 1e8) / 1e8,
      };
    },
  );
}
