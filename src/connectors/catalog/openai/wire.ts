// The OpenAI chat-completions wire format, mapped to and from the AI router's internal shape. OpenAI owns
// the format; GLM and Mistral speak dialects of it and reuse this with their own options.
import {
  ProviderFailureError,
  describeFailure,
  errorObject,
  type ChatDelta,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type EmbeddingsRequest,
  type EmbeddingsResult,
  type FinishReason,
  type ImageRequest,
  type ImageResult,
  type ProviderFailure,
  type StreamParser,
  type Usage,
  type WireRequest,
} from '../../../ai/providers/sdk.ts';
import { withoutKeyEcho } from './errors.ts';

export interface DialectOptions {
  title: string;
  /** OpenAI wants `max_completion_tokens` (reasoning models refuse `max_tokens`); the dialects want `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** OpenAI sends usage in a stream only when asked with `stream_options.include_usage`; the others always do. */
  streamUsageOption: boolean;
  /** How "any tool" is spelled: OpenAI `required`, Mistral `any`. */
  requiredToolChoice: 'required' | 'any';
  /** Native `json_schema` response format; otherwise `json_object` plus the schema in a system message. */
  jsonSchema: boolean;
  /** Sent with embeddings requests (`encoding_format: float`) where the dialect accepts it. */
  embeddingsEncodingFormat: boolean;
}

// ---- requests ---------------------------------------------------------------------------------------------

function wireMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: textOf(message.content) };
  const content = Array.isArray(message.content)
    ? message.content.map((part) =>
        part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image_url', image_url: { url: part.url, ...(part.detail ? { detail: part.detail } : {}) } },
      )
    : message.content;
  return {
    role: message.role,
    content,
    ...(message.name ? { name: message.name } : {}),
    ...(message.toolCalls?.length
      ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) }
      : {}),
  };
}

export function textOf(content: ChatMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

/** The instruction that carries a JSON Schema to models without native schema output. */
export function schemaInstruction(schema: Record<string, unknown>): string {
  return `Answer with one JSON value only, no prose and no code fences, that validates against this JSON Schema:\n${JSON.stringify(schema)}`;
}

export function chatBody(options: DialectOptions, request: ChatRequest, stream: boolean): Record<string, unknown> {
  let messages = request.messages.map(wireMessage);
  let responseFormat: unknown;
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    if (options.jsonSchema) {
      responseFormat = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? false } };
    } else {
      responseFormat = { type: 'json_object' };
      messages = [{ role: 'system', content: schemaInstruction(format.schema) }, ...messages];
    }
  } else if (format?.type === 'json_object') {
    responseFormat = { type: 'json_object' };
  }
  const choice = request.toolChoice;
  return {
    model: request.model,
    messages,
    ...(request.tools?.length
      ? { tools: request.tools.map((tool) => ({ type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters } })) }
      : {}),
    ...(choice !== undefined
      ? { tool_choice: typeof choice === 'object' ? { type: 'function', function: { name: choice.name } } : choice === 'required' ? options.requiredToolChoice : choice }
      : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.maxTokens !== undefined ? { [options.maxTokensField]: request.maxTokens } : {}),
    ...(request.stop?.length ? { stop: request.stop } : {}),
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(request.user ? { user: request.user } : {}),
    ...(stream ? { stream: true, ...(options.streamUsageOption ? { stream_options: { include_usage: true } } : {}) } : {}),
  };
}

// ---- answers ----------------------------------------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function usageOf(value: unknown): Usage | null {
  const usage = record(value);
  if (!usage || typeof usage.prompt_tokens !== 'number') return null;
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    cachedTokens: num(record(usage.prompt_tokens_details)?.cached_tokens),
    reasoningTokens: num(record(usage.completion_tokens_details)?.reasoning_tokens),
  };
}

export function finishReasonOf(value: unknown): FinishReason {
  if (value === 'stop' || value === 'length' || value === 'tool_calls' || value === 'content_filter') return value;
  // GLM's `sensitive`, Mistral's `model_length`, older `function_call`.
  if (value === 'sensitive') return 'content_filter';
  if (value === 'model_length') return 'length';
  if (value === 'function_call') return 'tool_calls';
  return 'other';
}

/** An error inside a 2xx answer (some gateways and GLM do this) or a body that is not the documented shape. */
function invalid(title: string, why: string, body: unknown): ProviderFailureError {
  const error = errorObject(body);
  if (error) return new ProviderFailureError({ class: 'invalid_response', message: `${describeFailure(title, 200, body)} (an error inside a 200 answer)`, ...(error.code ? { code: error.code } : {}) });
  return new ProviderFailureError({ class: 'invalid_response', message: `${title} answered in an undocumented shape: ${why}` });
}

export function parseChat(title: string, body: unknown): ChatResult {
  const root = record(body);
  const choice = record(Array.isArray(root?.choices) ? root.choices[0] : undefined);
  const message = record(choice?.message);
  if (!root || !message) throw invalid(title, 'no choices[0].message', body);
  const toolCalls = (Array.isArray(message.tool_calls) ? message.tool_calls : []).map((item, index) => {
    const call = record(item);
    const fn = record(call?.function);
    return { id: typeof call?.id === 'string' ? call.id : `call_${index}`, name: String(fn?.name ?? ''), arguments: typeof fn?.arguments === 'string' ? fn.arguments : JSON.stringify(fn?.arguments ?? {}) };
  });
  return {
    id: typeof root.id === 'string' ? root.id : '',
    model: typeof root.model === 'string' ? root.model : '',
    content: typeof message.content === 'string' ? message.content : null,
    toolCalls,
    finishReason: finishReasonOf(choice?.finish_reason),
    usage: usageOf(root.usage),
  };
}

export function createStreamParser(title: string): StreamParser {
  let done = false;
  let started = false;
  return {
    get done() {
      return done;
    },
    push(event) {
      const data = event.data.trim();
      if (data === '[DONE]') {
        done = true;
        return [];
      }
      let chunk: Record<string, unknown> | undefined;
      try {
        chunk = record(JSON.parse(data));
      } catch {
        throw new ProviderFailureError({ class: 'invalid_response', message: `${title} sent a stream event that is not JSON: ${data.slice(0, 120)}` });
      }
      if (!chunk) throw new ProviderFailureError({ class: 'invalid_response', message: `${title} sent a stream event that is not an object` });
      // Errors after the stream began arrive as a chunk of their own (OpenAI, OpenRouter, GLM).
      if (chunk.error) {
        const error = errorObject(chunk);
        throw new ProviderFailureError({ class: 'server_error', message: `${title} ended the stream with an error: ${[error?.code, error?.message].filter(Boolean).join(': ')}`, ...(error?.code ? { code: error.code } : {}) });
      }
      const deltas: ChatDelta[] = [];
      if (!started) {
        started = true;
        deltas.push({ type: 'start', ...(typeof chunk.id === 'string' ? { id: chunk.id } : {}), ...(typeof chunk.model === 'string' ? { model: chunk.model } : {}) });
      }
      const choice = record(Array.isArray(chunk.choices) ? chunk.choices[0] : undefined);
      const delta = record(choice?.delta);
      if (typeof delta?.content === 'string' && delta.content !== '') deltas.push({ type: 'text', text: delta.content });
      if (Array.isArray(delta?.tool_calls)) {
        for (const [position, item] of delta.tool_calls.entries()) {
          const call = record(item);
          const fn = record(call?.function);
          deltas.push({
            type: 'tool_call',
            index: typeof call?.index === 'number' ? call.index : position,
            ...(typeof call?.id === 'string' ? { id: call.id } : {}),
            ...(typeof fn?.name === 'string' ? { name: fn.name } : {}),
            // Mistral sends the whole arguments object at once, sometimes as an object.
            arguments: typeof fn?.arguments === 'string' ? fn.arguments : fn?.arguments !== undefined ? JSON.stringify(fn.arguments) : '',
          });
        }
      }
      if (choice?.finish_reason) deltas.push({ type: 'finish', reason: finishReasonOf(choice.finish_reason) });
      const usage = usageOf(chunk.usage);
      if (usage) deltas.push({ type: 'usage', usage });
      return deltas;
    },
  };
}

// ---- embeddings and images ------------------------------------------------------------------------------

export function embeddingsBody(options: DialectOptions, request: EmbeddingsRequest): Record<string, unknown> {
  return {
    model: request.model,
    input: request.input,
    ...(options.embeddingsEncodingFormat ? { encoding_format: 'float' } : {}),
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
  };
}

export function parseEmbeddings(title: string, body: unknown, request: EmbeddingsRequest): EmbeddingsResult {
  const root = record(body);
  if (!root || !Array.isArray(root.data)) throw invalid(title, 'no data list in the embeddings', body);
  const items = root.data.map((item, position) => {
    const entry = record(item);
    if (!entry || !Array.isArray(entry.embedding)) throw invalid(title, `data[${position}] has no embedding`, body);
    return { index: typeof entry.index === 'number' ? entry.index : position, embedding: entry.embedding as number[] };
  });
  // `index` is authoritative: the order of `data` is not promised to match the input.
  items.sort((a, b) => a.index - b.index);
  const usage = record(root.usage);
  return {
    model: typeof root.model === 'string' ? root.model : request.model,
    vectors: items.map((item) => item.embedding),
    usage: usage && typeof usage.prompt_tokens === 'number' ? { inputTokens: usage.prompt_tokens } : null,
  };
}

export function imagesBody(request: ImageRequest): Record<string, unknown> {
  return {
    model: request.model,
    prompt: request.prompt,
    ...(request.n !== 1 ? { n: request.n } : {}),
    ...(request.size ? { size: request.size } : {}),
    ...(request.quality ? { quality: request.quality } : {}),
    ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
  };
}

export function parseImages(title: string, body: unknown): ImageResult {
  const root = record(body);
  if (!root || !Array.isArray(root.data)) throw invalid(title, 'no data list in the image answer', body);
  const usage = record(root.usage);
  return {
    created: typeof root.created === 'number' ? root.created : Math.floor(Date.now() / 1000),
    images: root.data.map((item) => {
      const image = record(item) ?? {};
      return {
        ...(typeof image.url === 'string' ? { url: image.url } : {}),
        ...(typeof image.b64_json === 'string' ? { b64Json: image.b64_json } : {}),
        ...(typeof image.revised_prompt === 'string' ? { revisedPrompt: image.revised_prompt } : {}),
      };
    }),
    // gpt-image models report tokens; DALL·E and CogView do not (those are priced per image).
    usage: usage && typeof usage.input_tokens === 'number' ? { inputTokens: num(usage.input_tokens), outputTokens: num(usage.output_tokens), cachedTokens: 0, reasoningTokens: 0 } : null,
  };
}

// ---- errors -----------------------------------------------------------------------------------------------

/** OpenAI's documented statuses and codes; dialects refine this with their own codes first. */
export function classifyOpenAiError(title: string, status: number, body: unknown, retryAfterMs: number | undefined): ProviderFailure {
  const error = errorObject(body);
  // OpenAI's 401 quotes the start and end of the refused key; the ledger, logs and answers must not.
  const message = withoutKeyEcho(describeFailure(title, status, body));
  const base = { message, status, ...(error?.code ? { code: error.code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 401 || status === 403) return { ...base, class: 'auth' };
  // OpenAI answers 429 both for "slow down" and for "your credit is gone": only the code tells them apart.
  if (status === 402 || error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota') return { ...base, class: 'out_of_balance' };
  if (status === 429) return { ...base, class: 'rate_limited' };
  if (status === 404) return { ...base, class: 'not_found' };
  if (status === 408 || status >= 500) return { ...base, class: 'server_error' };
  return { ...base, class: 'bad_request' };
}

export function wire(path: string, body: unknown, headers?: Record<string, string>): WireRequest {
  return { path, body, ...(headers ? { headers } : {}) };
}
