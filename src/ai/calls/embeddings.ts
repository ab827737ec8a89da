// Embeddings through a route: the providers that have them (OpenAI, GLM, Mistral), with fallback, the
// ledger and the budget like any chat call.
import { ProviderFailureError, type EmbeddingsResult } from '../providers/sdk.ts';
import { executeWithFallback } from '../router/execute.ts';
import { sendJson } from '../router/transport.ts';
import type { AiRuntime } from '../runtime.ts';
import { countInputTokens } from '../tokenizer.ts';
import { routeError, routingHeaders } from './outcome.ts';
import { prepareCall } from './prepare.ts';

export interface EmbeddingsCallInput {
  workspaceId: string;
  requestId: string;
  model?: string | undefined;
  taskType?: string | undefined;
  input: string[];
  dimensions?: number | undefined;
  signal?: AbortSignal;
}

export async function embeddingsCall(rt: AiRuntime, input: EmbeddingsCallInput) {
  const promptTokens = countInputTokens(input.input);
  const prepared = await prepareCall(rt, {
    workspaceId: input.workspaceId,
    requestId: input.requestId,
    kind: 'embeddings',
    model: input.model,
    taskType: input.taskType,
    streamed: false,
    needs: { kind: 'embeddings' },
    promptTokens,
    maxOutputTokens: () => 0,
  });
  const executed = await executeWithFallback<EmbeddingsResult>(rt, prepared.call, prepared.plan, {
    deadline: prepared.deadline,
    ...(input.signal ? { signal: input.signal } : {}),
    async attempt(candidate, info) {
      const adapter = candidate.provider.embeddings!;
      const request = { model: candidate.model, input: input.input, ...(input.dimensions !== undefined ? { dimensions: input.dimensions } : {}) };
      const answer = await sendJson(rt.hub.outbound, candidate.integration, adapter.request(request), { timeoutMs: Math.min(info.timeoutMs, prepared.call.route.attemptTimeoutMs), ...(input.signal ? { signal: input.signal } : {}) });
      if (!answer.ok) return { ok: false, failure: answer.failure, latencyMs: answer.latencyMs };
      try {
        const result = adapter.parse(answer.body, request);
        if (result.vectors.length !== input.input.length) {
          return { ok: false, failure: { class: 'invalid_response', message: `${candidate.provider.title} returned ${result.vectors.length} vectors for ${input.input.length} inputs` }, latencyMs: answer.latencyMs };
        }
        const tokens = result.usage?.inputTokens ?? promptTokens;
        return { ok: true, value: result, usage: { inputTokens: tokens, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, estimated: result.usage === null, latencyMs: answer.latencyMs };
      } catch (error) {
        if (error instanceof ProviderFailureError) return { ok: false, failure: error.failure, latencyMs: answer.latencyMs };
        throw error;
      }
    },
  });
  prepared.finish({ tokens: executed.tokens, costMicros: executed.costMicros });
  if (!executed.ok) throw routeError(executed, prepared.call.route.name);
  return {
    result: executed.value,
    provider: executed.candidate.provider.id,
    model: executed.candidate.model,
    inputTokens: executed.value.usage?.inputTokens ?? promptTokens,
    headers: routingHeaders(executed, prepared.call.route.name),
  };
}
