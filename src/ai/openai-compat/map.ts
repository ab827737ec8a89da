// Translation between OpenAI's public API shapes and the router's internal ones, for the /v1 endpoints:
// requests in, completions, stream chunks and embeddings out.
import type { ChatDelta, ChatMessage, ChatRequest, ChatResult, EmbeddingsResult, FinishReason, Usage } from '../providers/sdk.ts';
import type { ChatCompletionBody } from './schemas.ts';

export function toChatRequest(body: ChatCompletionBody): Omit<ChatRequest, 'model'> {
  const messages: ChatMessage[] = body.messages.map((message) => ({
    // `developer` is OpenAI's newer name for `system`; every other provider knows only `system`.
    role: message.role === 'developer' ? 'system' : message.role,
    content:
      message.content === undefined || message.content === null
        ? null
        : typeof message.content === 'string'
          ? message.content
          : message.content.map((part) => (part.type === 'text' ? { type: 'text' as const, text: part.text } : { type: 'image' as const, url: part.image_url.url, ...(part.image_url.detail ? { detail: part.image_url.detail } : {}) })),
    ...(message.name ? { name: message.name } : {}),
    ...(message.tool_calls ? { toolCalls: message.tool_calls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })) } : {}),
    ...(message.tool_call_id ? { toolCallId: message.tool_call_id } : {}),
  }));
  const format = body.response_format;
  const choice = body.tool_choice;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    messages,
    ...(body.tools?.length ? { tools: body.tools.map((tool) => ({ name: tool.function.name, ...(tool.function.description ? { description: tool.function.description } : {}), parameters: tool.function.parameters ?? { type: 'object', properties: {} } })) } : {}),
    ...(choice !== undefined ? { toolChoice: typeof choice === 'string' ? choice : { name: choice.function.name } } : {}),
    ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined && body.top_p !== null ? { topP: body.top_p } : {}),
    ...(maxTokens !== undefined && maxTokens !== null ? { maxTokens } : {}),
    ...(body.stop ? { stop: typeof body.stop === 'string' ? [body.stop] : body.stop } : {}),
    ...(format?.type === 'json_schema'
      ? { responseFormat: { type: 'json_schema' as const, name: format.json_schema.name, schema: format.json_schema.schema, ...(format.json_schema.strict ? { strict: true } : {}) } }
      : format?.type === 'json_object'
        ? { responseFormat: { type: 'json_object' as const } }
        : {}),
    ...(body.user ? { user: body.user } : {}),
  };
}

export function usageBody(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

const finish = (reason: FinishReason) => (reason === 'other' ? 'stop' : reason);

export function completionBody(input: { id: string; created: number; model: string; result: ChatResult; usage: Usage }) {
  const { result } = input;
  return {
    id: input.id,
    object: 'chat.completion',
    created: input.created,
    model: input.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: result.content,
          refusal: null,
          ...(result.toolCalls.length ? { tool_calls: result.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) } : {}),
        },
        logprobs: null,
        finish_reason: finish(result.finishReason),
      },
    ],
    usage: usageBody(input.usage),
    system_fingerprint: null,
  };
}

/** Builds `chat.completion.chunk` events for one stream. */
export function chunkWriter(input: { id: string; created: number; model: string }) {
  const base = { id: input.id, object: 'chat.completion.chunk', created: input.created, model: input.model, system_fingerprint: null };
  let roleSent = false;
  const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => {
    if (!roleSent) {
      roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return frame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  };
  return {
    delta(delta: ChatDelta): string {
      switch (delta.type) {
        case 'text':
          return choice({ content: delta.text });
        case 'tool_call':
          return choice({
            tool_calls: [
              {
                index: delta.index,
                ...(delta.id ? { id: delta.id, type: 'function' } : {}),
                function: { ...(delta.name ? { name: delta.name } : {}), arguments: delta.arguments },
              },
            ],
          });
        case 'finish':
          return choice({}, finish(delta.reason));
        default:
          return '';
      }
    },
    usage: (usage: Usage) => frame({ ...base, choices: [], usage: usageBody(usage) }),
    /** After the first token the answer cannot be switched to another provider: the stream ends with this. */
    error: (message: string, code: string) => frame({ error: { message, type: 'stream_interrupted', param: null, code } }),
    done: () => 'data: [DONE]\n\n',
  };
}

/** OpenAI's SDKs ask for base64 (little-endian float32) by default and decode it themselves. */
export function embeddingsResponse(result: EmbeddingsResult, model: string, inputTokens: number, encoding: 'float' | 'base64' | undefined) {
  return {
    object: 'list',
    data: result.vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
    })),
    model,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}
