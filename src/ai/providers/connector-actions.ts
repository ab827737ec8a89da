// Connector actions built from an AI adapter, so an AI connector's "run an action" (dashboard, API) sends
// exactly what the router sends: one mapping per provider, used in both places.
import { z } from 'zod';
import { defineAction, type ActionDefinition } from '../../connectors/sdk/define.ts';
import { ProviderError } from '../../connectors/sdk/provider-http.ts';
import { ProviderFailureError, type AiProviderDefinition, type ChatRequest, type WireRequest } from './sdk.ts';

const usageOutput = z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number(), reasoningTokens: z.number() });

/** A provider answer the adapter could not read becomes the action's provider error, in its words. */
function readWith<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProviderFailureError) throw new ProviderError({ code: 'invalid_response', message: error.message });
    throw error;
  }
}

function post(http: { post: (path: string, json?: unknown, options?: { headers?: Record<string, string>; retry?: object }) => Promise<{ data: unknown }> }, wire: WireRequest) {
  // A completion or an embedding changes nothing upstream, and a 429 or 5xx was not served: safe to retry.
  return http.post(wire.path, wire.body, { retry: {}, ...(wire.headers ? { headers: wire.headers } : {}) });
}

export function chatAction(provider: AiProviderDefinition): ActionDefinition {
  const input = z.object({
    model: z.string().min(1).default(provider.defaultModels.chat).describe(`Model id, e.g. ${provider.defaultModels.chat}`),
    messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
    temperature: z.number().min(0).max(2).optional().describe('Omitted means the model default'),
    maxTokens: z.number().int().positive().optional().describe('Upper bound on generated tokens'),
  });
  const output = z.object({
    id: z.string(),
    model: z.string(),
    content: z.string().nullable(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
    finishReason: z.string(),
    usage: usageOutput.nullable(),
  });
  return defineAction<unknown, z.infer<typeof input>, z.infer<typeof output>>({
    name: 'createChatCompletion',
    title: 'Create a chat completion',
    description: `Sends a conversation to a ${provider.title} model and returns its reply, why it stopped, and the tokens used.`,
    input,
    output,
    async run(ctx, values) {
      const request: ChatRequest = {
        model: values.model,
        messages: values.messages,
        ...(values.temperature !== undefined ? { temperature: values.temperature } : {}),
        ...(values.maxTokens !== undefined ? { maxTokens: values.maxTokens } : {}),
      };
      const answer = await post(ctx.http, provider.chat.request(request, { stream: false }));
      const result = readWith(() => provider.chat.parse(answer.data, request));
      return { id: result.id, model: result.model, content: result.content, toolCalls: result.toolCalls, finishReason: result.finishReason, usage: result.usage };
    },
  });
}

export function embeddingsAction(provider: AiProviderDefinition): ActionDefinition {
  const adapter = provider.embeddings;
  if (!adapter || !provider.defaultModels.embeddings) throw new Error(`${provider.id} has no embeddings`);
  const input = z.object({
    model: z.string().min(1).default(provider.defaultModels.embeddings).describe('Embedding model id'),
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
    dimensions: z.number().int().positive().optional().describe('Shorter vectors, where the model supports it'),
  });
  const output = z.object({ model: z.string(), embeddings: z.array(z.array(z.number())), usage: z.object({ inputTokens: z.number() }).nullable() });
  return defineAction<unknown, z.infer<typeof input>, z.infer<typeof output>>({
    name: 'createEmbeddings',
    title: 'Create embeddings',
    description: 'Turns one text or a list of texts into embedding vectors, in input order, with the tokens used.',
    input,
    output,
    async run(ctx, values) {
      const request = { model: values.model, input: typeof values.input === 'string' ? [values.input] : values.input, ...(values.dimensions ? { dimensions: values.dimensions } : {}) };
      const answer = await post(ctx.http, adapter.request(request));
      const result = readWith(() => adapter.parse(answer.data, request));
      return { model: result.model, embeddings: result.vectors, usage: result.usage };
    },
  });
}

/** `GET <models>` for providers with an OpenAI-style model list (`{ data: [{ id }] }`). */
export function listModelsAction(provider: AiProviderDefinition, options: { headers?: Record<string, string> } = {}): ActionDefinition {
  const input = z.object({});
  const output = z.object({ models: z.array(z.object({ id: z.string(), name: z.string().optional() })) });
  return defineAction<unknown, z.infer<typeof input>, z.infer<typeof output>>({
    name: 'listModels',
    title: 'List models',
    description: `Lists the ${provider.title} models the key can use.`,
    input,
    output,
    async run(ctx) {
      const answer = await ctx.http.get('models', { cache: true, ...(options.headers ? { headers: options.headers } : {}) });
      return { models: modelList(answer.data, provider.title) };
    },
  });
}

export function modelList(data: unknown, title: string): { id: string; name?: string }[] {
  const list = (data as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) throw new ProviderError({ code: 'invalid_response', message: `${title} answered the model list in an undocumented shape (no data list)` });
  return list
    .filter((item): item is { id: string; display_name?: unknown; name?: unknown } => typeof item?.id === 'string')
    .map((item) => {
      const name = typeof item.display_name === 'string' ? item.display_name : typeof item.name === 'string' ? item.name : undefined;
      return { id: item.id, ...(name ? { name } : {}) };
    });
}
