// The expected cost of a request before it is sent (seed 001's estimateCost): prompt tokens from the
// tokenizer, output tokens from max_tokens (or a typical answer), priced for every target of its route.
import type { z } from 'zod';
import type { estimateRequest, estimateView } from '../contracts.ts';
import { resolveRoute } from '../calls/prepare.ts';
import type { ChatMessage } from '../providers/sdk.ts';
import { planRoute } from '../router/plan.ts';
import type { AiRuntime } from '../runtime.ts';
import { countInputTokens, countPromptTokens } from '../tokenizer.ts';
import { costOf, findPrice, priceVersionAt } from './prices.ts';

// When no max_tokens is given, the expected answer is assumed to be this long (the worst case is the model's cap).
export const TYPICAL_ANSWER_TOKENS = 500;

export async function estimate(rt: AiRuntime, workspaceId: string, input: z.infer<typeof estimateRequest>): Promise<z.infer<typeof estimateView>> {
  const kind = input.kind;
  const messages: ChatMessage[] = [
    ...(input.system ? [{ role: 'system' as const, content: input.system }] : []),
    ...(input.messages ?? []),
    ...(input.prompt ? [{ role: 'user' as const, content: input.prompt }] : []),
  ];
  const inputs = input.input === undefined ? [] : typeof input.input === 'string' ? [input.input] : input.input;
  const promptTokens = kind === 'embeddings' ? countInputTokens(inputs.length ? inputs : messages.map((m) => String(m.content ?? ''))) : countPromptTokens({ messages });
  const { route } = await resolveRoute(rt, { workspaceId, kind, model: kind === 'embeddings' && input.model === 'route:default' ? 'route:embeddings' : input.model, taskType: input.taskType });
  const integrations = await rt.integrations.forWorkspace(workspaceId);
  const plan = planRoute(route, rt.providers, integrations, { kind, totalTokens: promptTokens + (input.maxTokens ?? 0) }, () => 0);
  const version = priceVersionAt(new Date(rt.now()));
  const available = new Set(plan.candidates.map((candidate) => `${candidate.provider.id}/${candidate.model}`));
  const expectedOutput = kind === 'embeddings' ? 0 : (input.maxTokens ?? TYPICAL_ANSWER_TOKENS);
  const targets = route.targets.map((target) => {
    const provider = rt.providers.get(target.provider);
    const info = provider?.modelInfo(target.model);
    const maxOutput = kind === 'embeddings' ? 0 : Math.min(input.maxTokens ?? info?.maxOutputTokens ?? 0, info?.maxOutputTokens ?? Infinity);
    const price = findPrice(version, target.provider, target.model);
    const usage = (output: number) => ({ inputTokens: promptTokens, outputTokens: output, cachedTokens: 0, reasoningTokens: 0 });
    const expected = costOf(price, version, usage(Math.min(expectedOutput, maxOutput)));
    const worst = costOf(price, version, usage(maxOutput));
    return {
      provider: target.provider,
      model: target.model,
      priced: price !== undefined,
      currency: price?.currency ?? null,
      priceVersion: version.version,
      maxOutputTokens: maxOutput,
      expectedCost: expected?.amount ?? null,
      worstCaseCost: worst?.amount ?? null,
      expectedCostUsd: expected?.usd ?? null,
      worstCaseCostUsd: worst?.usd ?? null,
      available: available.has(`${target.provider}/${target.model}`),
    };
  });
  const first = targets.find((target) => target.available);
  return { route: route.name, promptTokens, expectedOutputTokens: expectedOutput, targets, expectedCostUsd: first?.expectedCostUsd ?? null };
}
