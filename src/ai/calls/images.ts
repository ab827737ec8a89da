// Image generation through a route (OpenAI, GLM's CogView), metered in the ledger per image.
import { ProviderFailureError, type ImageResult } from '../providers/sdk.ts';
import { executeWithFallback } from '../router/execute.ts';
import { sendJson } from '../router/transport.ts';
import type { AiRuntime } from '../runtime.ts';
import { countTextTokens } from '../tokenizer.ts';
import { routeError, routingHeaders } from './outcome.ts';
import { prepareCall } from './prepare.ts';

export interface ImagesCallInput {
  workspaceId: string;
  requestId: string;
  model?: string | undefined;
  taskType?: string | undefined;
  prompt: string;
  n: number;
  size?: string | undefined;
  quality?: string | undefined;
  responseFormat?: 'url' | 'b64_json' | undefined;
  signal?: AbortSignal;
}

export async function imagesCall(rt: AiRuntime, input: ImagesCallInput) {
  const promptTokens = countTextTokens(input.prompt);
  const prepared = await prepareCall(rt, {
    workspaceId: input.workspaceId,
    requestId: input.requestId,
    kind: 'images',
    model: input.model,
    taskType: input.taskType,
    streamed: false,
    needs: { kind: 'images' },
    promptTokens,
    maxOutputTokens: () => 0,
    images: input.n,
  });
  const executed = await executeWithFallback<ImageResult>(rt, prepared.call, prepared.plan, {
    deadline: prepared.deadline,
    ...(input.signal ? { signal: input.signal } : {}),
    async attempt(candidate, info) {
      const adapter = candidate.provider.images!;
      const request = {
        model: candidate.model,
        prompt: input.prompt,
        n: input.n,
        ...(input.size ? { size: input.size } : {}),
        ...(input.quality ? { quality: input.quality } : {}),
        ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
      };
      const answer = await sendJson(rt.hub.outbound, candidate.integration, adapter.request(request), { timeoutMs: Math.min(info.timeoutMs, prepared.call.route.attemptTimeoutMs), ...(input.signal ? { signal: input.signal } : {}) });
      if (!answer.ok) return { ok: false, failure: answer.failure, latencyMs: answer.latencyMs };
      try {
        const result = adapter.parse(answer.body, request);
        if (result.images.length === 0) return { ok: false, failure: { class: 'invalid_response', message: `${candidate.provider.title} returned no image` }, latencyMs: answer.latencyMs };
        const usage = result.usage ?? { inputTokens: promptTokens, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 };
        return { ok: true, value: result, usage, images: result.images.length, latencyMs: answer.latencyMs };
      } catch (error) {
        if (error instanceof ProviderFailureError) return { ok: false, failure: error.failure, latencyMs: answer.latencyMs };
        throw error;
      }
    },
  });
  prepared.finish({ tokens: executed.tokens, costMicros: executed.costMicros });
  if (!executed.ok) throw routeError(executed, prepared.call.route.name);
  return { result: executed.value, provider: executed.candidate.provider.id, model: executed.candidate.model, headers: routingHeaders(executed, prepared.call.route.name) };
}
