// POST /v1/chat/completions: OpenAI's chat completion API, answered through the workspace's AI route, so
// the official SDKs work with `baseURL` pointed at the hub. `model` names a route or a concrete model;
// `stream: true` answers with server-sent events in OpenAI's chunk format.
import { PassThrough } from 'node:stream';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { chatCall } from '../calls/chat.ts';
import { streamChat } from '../calls/stream.ts';
import { chunkWriter, completionBody, toChatRequest } from '../openai-compat/map.ts';
import { chatCompletionBody } from '../openai-compat/schemas.ts';
import { aiRuntime } from '../runtime.ts';
import { callerGone, taskTypeHeader } from './request-context.ts';

export function chatCompletionsRoute(app: App, hub: HubContext) {
  app.post(
    '/v1/chat/completions',
    {
      schema: {
        tags: ['ai'],
        summary: 'Chat completion (OpenAI-compatible), routed with fallback',
        description:
          'Authenticate with a workspace API key as bearer. Answers carry `x-switchboard-provider`, `x-switchboard-model`, `x-switchboard-attempts` and, after a fallback, `x-switchboard-fallback-reason`. Set `x-switchboard-task-type` to account the call to a task type.',
        body: chatCompletionBody,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const rt = await aiRuntime(hub);
      const body = request.body;
      const input = {
        workspaceId: principal.workspaceId,
        requestId: request.id,
        model: body.model,
        taskType: taskTypeHeader(request),
        request: toChatRequest(body),
        signal: callerGone(reply),
      };
      const created = Math.floor(Date.now() / 1000);
      const id = `chatcmpl-${request.id}`;
      if (!body.stream) {
        const answer = await chatCall(rt, input);
        reply.headers(answer.headers);
        return completionBody({ id, created, model: answer.result.model || answer.model, result: answer.result, usage: answer.usage });
      }
      const out = new PassThrough();
      const includeUsage = body.stream_options?.include_usage === true;
      let writer: ReturnType<typeof chunkWriter> | undefined;
      await streamChat(rt, input, {
        open(meta) {
          writer = chunkWriter({ id, created, model: meta.model });
          // Headers go out with the first token, so they can name the provider that actually answered.
          reply.headers(meta.headers).header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache');
          void reply.send(out);
        },
        delta(delta) {
          const frame = writer!.delta(delta);
          if (frame) out.write(frame);
        },
        end({ usage }) {
          if (includeUsage) out.write(writer!.usage(usage));
          out.end(writer!.done());
        },
        fail(failure) {
          out.end(writer!.error(failure.message, failure.class));
        },
      });
      return reply;
    },
  );
}
