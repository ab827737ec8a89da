// A chat completion through a route (not streamed): prepare, attempt each target with fallback, check
// structured output against its schema (one repair request), and settle the budget with what was used.
import { ProviderFailureError, type ChatRequest, type ChatResult, type ProviderFailure, type Usage } from '../providers/sdk.ts';
import { executeWithFallback, type AttemptResult, type EarlierCall, type Executed } from '../router/execute.ts';
import type { Candidate } from '../router/plan.ts';
import { sendJson } from '../router/transport.ts';
import type { AiRuntime } from '../runtime.ts';
import { countPromptTokens, countTextTokens } from '../tokenizer.ts';
import { routeError, routingHeaders } from './outcome.ts';
import { BUDGETED_OUTPUT_CAP, prepareCall } from './prepare.ts';
import { repairMessages, schemaValidator, type Verdict } from './structured.ts';

export interface ChatCallInput {
  workspaceId: string;
  requestId: string;
  model?: string | undefined;
  taskType?: string | undefined;
  request: Omit<ChatRequest, 'model'>;
  signal?: AbortSignal;
}

export interface ChatCallResult {
  result: ChatResult;
  usage: Usage;
  /** The parsed JSON, when the request carried a JSON Schema. */
  json?: unknown;
  provider: string;
  model: string;
  route: string;
  taskType: string;
  attempts: number;
  fallbackReason: string | null;
  costUsd: number;
  headers: Record<string, string>;
}

/** What a chat request needs of a target: tools, images, and room for prompt plus output. */
export function chatNeeds(request: Omit<ChatRequest, 'model'>, promptTokens: number) {
  const images = request.messages.some((message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image'));
  return { kind: 'chat' as const, tools: (request.tools?.length ?? 0) > 0, images, totalTokens: promptTokens + (request.maxTokens ?? 0) };
}

export function estimateUsage(promptTokens: number, result: Pick<ChatResult, 'content' | 'toolCalls'>): Usage {
  const output = countTextTokens(result.content ?? '') + result.toolCalls.reduce((sum, call) => sum + countTextTokens(`${call.name} ${call.arguments}`), 0);
  return { inputTokens: promptTokens, outputTokens: output, cachedTokens: 0, reasoningTokens: 0 };
}

export const maxOutputOf = (request: Pick<ChatRequest, 'maxTokens'>) => (candidate: Candidate, budgeted: boolean) =>
  Math.min(request.maxTokens ?? (budgeted ? BUDGETED_OUTPUT_CAP : candidate.info.maxOutputTokens), candidate.info.maxOutputTokens);

/** The request as sent to one target: its model, and under a budget the output bound that was reserved. */
export function requestFor(request: Omit<ChatRequest, 'model'>, candidate: Candidate, budgeted: boolean): ChatRequest {
  const bound = request.maxTokens === undefined && budgeted ? { maxTokens: maxOutputOf(request)(candidate, true) } : {};
  return { ...request, ...bound, model: candidate.model };
}

export async function chatCall(rt: AiRuntime, input: ChatCallInput): Promise<ChatCallResult> {
  const promptTokens = countPromptTokens(input.request);
  const format = input.request.responseFormat;
  const validate = format?.type === 'json_schema' ? schemaValidator(format.schema) : undefined;
  const prepared = await prepareCall(rt, {
    workspaceId: input.workspaceId,
    requestId: input.requestId,
    kind: 'chat',
    model: input.model,
    taskType: input.taskType,
    streamed: false,
    needs: chatNeeds(input.request, promptTokens),
    promptTokens,
    maxOutputTokens: maxOutputOf(input.request),
  });

  const once = async (candidate: Candidate, request: ChatRequest, timeoutMs: number) => {
    const answer = await sendJson(rt.hub.outbound, candidate.integration, candidate.provider.chat.request(request, { stream: false }), { timeoutMs, ...(input.signal ? { signal: input.signal } : {}) });
    if (!answer.ok) return { ok: false as const, failure: answer.failure, latencyMs: answer.latencyMs };
    try {
      const result = candidate.provider.chat.parse(answer.body, request);
      const usage = result.usage ?? estimateUsage(countPromptTokens(request), result);
      return { ok: true as const, result, usage, estimated: result.usage === null, latencyMs: answer.latencyMs };
    } catch (error) {
      if (error instanceof ProviderFailureError) return { ok: false as const, failure: error.failure, latencyMs: answer.latencyMs };
      throw error;
    }
  };

  const executed: Executed<{ result: ChatResult; json?: unknown; usage: Usage }> = await executeWithFallback(rt, prepared.call, prepared.plan, {
    deadline: prepared.deadline,
    ...(input.signal ? { signal: input.signal } : {}),
    async attempt(candidate, info): Promise<AttemptResult<{ result: ChatResult; json?: unknown; usage: Usage }>> {
      const request = requestFor(input.request, candidate, prepared.budgeted);
      const first = await once(candidate, request, Math.min(info.timeoutMs, prepared.call.route.attemptTimeoutMs));
      if (!first.ok || !validate) return first.ok ? { ...first, value: { result: first.result, usage: first.usage } } : first;
      let verdict: Verdict = validate(first.result.content);
      if (verdict.ok) return { ...first, value: { result: { ...first.result, content: verdict.text }, json: verdict.value, usage: first.usage } };
      // One repair: the model sees its answer and what is wrong with it.
      const earlier: EarlierCall[] = [{ usage: first.usage, latencyMs: first.latencyMs, failure: schemaFailure(candidate, verdict.problems) }];
      const remaining = Math.min(info.deadline - rt.now(), prepared.call.route.attemptTimeoutMs);
      if (remaining <= 0) return { ok: false, failure: schemaFailure(candidate, verdict.problems), latencyMs: 0, earlier: [] , usage: first.usage };
      const second = await once(candidate, { ...request, messages: repairMessages(request.messages, first.result.content, verdict.problems) }, remaining);
      if (!second.ok) return { ...second, earlier };
      verdict = validate(second.result.content);
      if (!verdict.ok) return { ok: false, failure: schemaFailure(candidate, verdict.problems), latencyMs: second.latencyMs, usage: second.usage, earlier };
      return { ...second, value: { result: { ...second.result, content: verdict.text }, json: verdict.value, usage: second.usage }, earlier };
    },
  });
  prepared.finish({ tokens: executed.tokens, costMicros: executed.costMicros });
  if (!executed.ok) throw routeError(executed, prepared.call.route.name);
  const { result, json, usage } = executed.value;
  return {
    result,
    usage,
    ...(validate ? { json } : {}),
    provider: executed.candidate.provider.id,
    model: executed.candidate.model,
    route: prepared.call.route.name,
    taskType: prepared.call.taskType,
    attempts: executed.attempts,
    fallbackReason: executed.fallbackReason,
    costUsd: executed.costMicros / 1_000_000,
    headers: routingHeaders(executed, prepared.call.route.name),
  };
}

function schemaFailure(candidate: Candidate, problems: string): ProviderFailure {
  return { class: 'structured_output', message: `${candidate.provider.title} ${candidate.model} did not answer with JSON matching the schema: ${problems}` };
}
