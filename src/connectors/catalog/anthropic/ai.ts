// Anthropic Claude as an AI router provider: the Messages API mapped to and from the internal shape —
// top-level `system`, required `max_tokens`, content blocks, tool_use / tool_result, its SSE event types,
// and JSON Schema output through a forced tool call (Claude has no response_format).
import {
  ProviderFailureError,
  defineAiProvider,
  describeFailure,
  errorObject,
  type ChatDelta,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ContentPart,
  type FinishReason,
  type ModelInfo,
  type ProviderFailure,
  type StreamParser,
  type Usage,
} from '../../../ai/providers/sdk.ts';

export const TITLE = 'Anthropic';
export const API_VERSION = '2023-06-01';
export const VERSION_HEADERS = { 'anthropic-version': API_VERSION };

const MODELS: Record<string, Partial<ModelInfo>> = {
  'claude-opus-4-1': { maxOutputTokens: 32_000 },
  'claude-opus-4-0': { maxOutputTokens: 32_000 },
  'claude-sonnet-4-5': { maxOutputTokens: 64_000 },
  'claude-sonnet-4-0': { maxOutputTokens: 64_000 },
  'claude-haiku-4-5': { maxOutputTokens: 64_000 },
  'claude-3-5-haiku-latest': { maxOutputTokens: 8_192 },
  'claude-3-haiku-20240307': { maxOutputTokens: 4_096 },
};
// Every current Claude model reads images, calls tools and has a 200k context.
const TYPICAL: ModelInfo = { contextTokens: 200_000, maxOutputTokens: 8_192, tools: true, vision: true, jsonSchema: true };
// Messages requires max_tokens; when the caller sets none, this much (capped by the model) is asked for.
const DEFAULT_MAX_TOKENS = 4_096;

const modelInfo = (model: string): ModelInfo => ({ ...TYPICAL, ...MODELS[model] });

function imageBlock(part: Extract<ContentPart, { type: 'image' }>): Record<string, unknown> {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(part.url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
  return { type: 'image', source: { type: 'url', url: part.url } };
}

function blocks(content: ChatMessage['content']): Record<string, unknown>[] {
  if (content === null || content === '') return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : imageBlock(part)));
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

/** Claude alternates user and assistant turns; tool results travel as user turns of tool_result blocks. */
function messagesOf(messages: ChatMessage[]): { system: string; messages: Record<string, unknown>[] } {
  const system: string[] = [];
  const out: { role: 'user' | 'assistant'; content: Record<string, unknown>[] }[] = [];
  const append = (role: 'user' | 'assistant', content: Record<string, unknown>[]) => {
    const last = out[out.length - 1];
    // Consecutive turns of one role (several tool results, a system note in between) merge into one.
    if (last && last.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(typeof message.content === 'string' ? message.content : blocks(message.content).map((b) => String(b.text ?? '')).join('\n'));
    } else if (message.role === 'tool') {
      append('user', [{ type: 'tool_result', tool_use_id: message.toolCallId ?? '', content: typeof message.content === 'string' ? message.content : blocks(message.content) }]);
    } else if (message.role === 'assistant') {
      const calls = (message.toolCalls ?? []).map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) }));
      append('assistant', [...blocks(message.content), ...calls]);
    } else {
      append('user', blocks(message.content));
    }
  }
  return { system: system.join('\n\n'), messages: out };
}

/** The synthetic tool that carries a JSON Schema answer. */
const schemaToolName = (request: ChatRequest) => (request.responseFormat?.type === 'json_schema' ? request.responseFormat.name || 'respond' : undefined);

export function messagesBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
  const { system, messages } = messagesOf(request.messages);
  const format = request.responseFormat;
  const tools = (request.tools ?? []).map((tool) => ({ name: tool.name, ...(tool.description ? { description: tool.description } : {}), input_schema: tool.parameters }));
  let toolChoice: Record<string, unknown> | undefined;
  const choice = request.toolChoice;
  if (choice === 'none') toolChoice = { type: 'none' };
  else if (choice === 'required') toolChoice = { type: 'any' };
  else if (typeof choice === 'object') toolChoice = { type: 'tool', name: choice.name };
  else if (choice === 'auto' && tools.length) toolChoice = { type: 'auto' };
  let systemText = system;
  if (format?.type === 'json_schema') {
    // A forced call of a tool whose input schema is the wanted schema: Claude's documented JSON mode.
    tools.push({ name: schemaToolName(request)!, description: 'Give the final answer as this tool call.', input_schema: format.schema });
    toolChoice = { type: 'tool', name: schemaToolName(request)! };
  } else if (format?.type === 'json_object') {
    systemText = [system, 'Answer with one JSON object only, no prose and no code fences.'].filter(Boolean).join('\n\n');
  }
  return {
    model: request.model,
    max_tokens: Math.min(request.maxTokens ?? DEFAULT_MAX_TOKENS, modelInfo(request.model).maxOutputTokens),
    ...(systemText ? { system: systemText } : {}),
    messages,
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(request.temperature !== undefined ? { temperature: Math.min(request.temperature, 1) } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stop?.length ? { stop_sequences: request.stop } : {}),
    ...(request.user ? { metadata: { user_id: request.user } } : {}),
    ...(stream ? { stream: true } : {}),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Anthropic counts cache reads and writes apart from `input_tokens`; internally input includes them. */
export function usageOf(value: unknown): Partial<Usage> | null {
  const usage = record(value);
  if (!usage) return null;
  const result: Partial<Usage> = {};
  if (typeof usage.input_tokens === 'number') {
    result.inputTokens = num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens);
    result.cachedTokens = num(usage.cache_read_input_tokens);
  }
  if (typeof usage.output_tokens === 'number') result.outputTokens = usage.output_tokens;
  return result;
}

function finishReasonOf(value: unknown): FinishReason {
  if (value === 'end_turn' || value === 'stop_sequence') return 'stop';
  if (value === 'max_tokens' || value === 'model_context_window_exceeded') return 'length';
  if (value === 'tool_use') return 'tool_calls';
  if (value === 'refusal') return 'content_filter';
  return 'other';
}

function invalid(why: string, body: unknown): ProviderFailureError {
  if (errorObject(body)) return new ProviderFailureError({ class: 'invalid_response', message: `${describeFailure(TITLE, 200, body)} (an error inside a 200 answer)` });
  return new ProviderFailureError({ class: 'invalid_response', message: `${TITLE} answered in an undocumented shape: ${why}` });
}

export function parseMessage(body: unknown, request: ChatRequest): ChatResult {
  const root = record(body);
  if (!root || root.type === 'error' || !Array.isArray(root.content)) throw invalid('no content list', body);
  const schemaTool = schemaToolName(request);
  let text = '';
  let sawText = false;
  const toolCalls: ChatResult['toolCalls'] = [];
  for (const item of root.content) {
    const block = record(item);
    if (block?.type === 'text' && typeof block.text === 'string') {
      text += block.text;
      sawText = true;
    } else if (block?.type === 'tool_use') {
      const input = JSON.stringify(block.input ?? {});
      if (schemaTool && block.name === schemaTool) {
        // The forced schema tool is how the JSON answer arrives; to the caller it is the message itself.
        text = input;
        sawText = true;
      } else {
        toolCalls.push({ id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: input });
      }
    }
  }
  const usage = usageOf(root.usage);
  const forcedSchema = schemaTool !== undefined && toolCalls.length === 0 && root.stop_reason === 'tool_use';
  return {
    id: typeof root.id === 'string' ? root.id : '',
    model: typeof root.model === 'string' ? root.model : request.model,
    content: sawText ? text : null,
    toolCalls,
    finishReason: forcedSchema ? 'stop' : finishReasonOf(root.stop_reason),
    usage: usage ? { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0, cachedTokens: usage.cachedTokens ?? 0, reasoningTokens: 0 } : null,
  };
}

/** Claude's stream: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error. */
export function messagesStreamParser(request: ChatRequest): StreamParser {
  const schemaTool = schemaToolName(request);
  let done = false;
  // Claude numbers content blocks; tool calls are numbered among tool calls only, as OpenAI does.
  const toolIndexOfBlock = new Map<number, number>();
  const schemaBlocks = new Set<number>();
  let toolCount = 0;
  let sawClientTool = false;
  return {
    get done() {
      return done;
    },
    push(event) {
      let payload: Record<string, unknown> | undefined;
      try {
        payload = record(JSON.parse(event.data));
      } catch {
        throw new ProviderFailureError({ class: 'invalid_response', message: `${TITLE} sent a stream event that is not JSON: ${event.data.slice(0, 120)}` });
      }
      const type = event.event ?? payload?.type;
      const deltas: ChatDelta[] = [];
      switch (type) {
        case 'message_start': {
          const message = record(payload?.message);
          deltas.push({ type: 'start', ...(typeof message?.id === 'string' ? { id: message.id } : {}), ...(typeof message?.model === 'string' ? { model: message.model } : {}) });
          const usage = usageOf(message?.usage);
          if (usage) deltas.push({ type: 'usage', usage });
          break;
        }
        case 'content_block_start': {
          const index = num(payload?.index);
          const block = record(payload?.content_block);
          if (block?.type === 'tool_use') {
            if (schemaTool && block.name === schemaTool) {
              schemaBlocks.add(index);
            } else {
              sawClientTool = true;
              const toolIndex = toolCount++;
              toolIndexOfBlock.set(index, toolIndex);
              deltas.push({ type: 'tool_call', index: toolIndex, id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: '' });
            }
          } else if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
            deltas.push({ type: 'text', text: block.text });
          }
          break;
        }
        case 'content_block_delta': {
          const index = num(payload?.index);
          const delta = record(payload?.delta);
          if (delta?.type === 'text_delta' && typeof delta.text === 'string') deltas.push({ type: 'text', text: delta.text });
          else if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
            if (schemaBlocks.has(index)) deltas.push({ type: 'text', text: delta.partial_json });
            else if (toolIndexOfBlock.has(index)) deltas.push({ type: 'tool_call', index: toolIndexOfBlock.get(index)!, arguments: delta.partial_json });
          }
          // thinking_delta and signature_delta are not part of the answer.
          break;
        }
        case 'message_delta': {
          const reason = record(payload?.delta)?.stop_reason;
          if (reason) deltas.push({ type: 'finish', reason: reason === 'tool_use' && !sawClientTool ? 'stop' : finishReasonOf(reason) });
          const usage = usageOf(payload?.usage);
          if (usage) deltas.push({ type: 'usage', usage });
          break;
        }
        case 'message_stop':
          done = true;
          break;
        case 'error': {
          const error = errorObject(payload);
          const overloaded = error?.type === 'overloaded_error' || error?.type === 'api_error';
          throw new ProviderFailureError({
            class: overloaded ? 'server_error' : error?.type === 'rate_limit_error' ? 'rate_limited' : 'invalid_response',
            message: `${TITLE} ended the stream with ${error?.type ?? 'an error'}: ${error?.message ?? ''}`.trim(),
            ...(error?.type ? { code: error.type } : {}),
          });
        }
        default:
          // ping, content_block_stop, and event types added later.
          break;
      }
      return deltas;
    },
  };
}

export function classifyAnthropicError(status: number, body: unknown, retryAfterMs: number | undefined): ProviderFailure {
  const error = errorObject(body);
  const message = describeFailure(TITLE, status, body);
  const base = { message, status, ...(error?.type ? { code: error.type } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  // An empty prepaid balance is a 400 invalid_request_error whose message says so.
  if (status === 402 || /credit balance is too low|billing/i.test(error?.message ?? '')) return { ...base, class: 'out_of_balance' };
  if (status === 401 || status === 403 || error?.type === 'authentication_error' || error?.type === 'permission_error') return { ...base, class: 'auth' };
  if (status === 429 || error?.type === 'rate_limit_error') return { ...base, class: 'rate_limited' };
  if (status === 404) return { ...base, class: 'not_found' };
  // 529 overloaded_error and 500 api_error are Anthropic's own trouble.
  if (status === 408 || status >= 500) return { ...base, class: 'server_error' };
  return { ...base, class: 'bad_request' };
}

export default defineAiProvider({
  id: 'anthropic',
  title: TITLE,
  defaultModels: { chat: 'claude-3-5-haiku-latest' },
  modelInfo,
  ownsModel: (model) => model.startsWith('claude-'),
  chat: {
    request: (request, { stream }) => ({ path: 'messages', headers: VERSION_HEADERS, body: messagesBody(request, stream) }),
    parse: parseMessage,
    streamParser: messagesStreamParser,
  },
  classify: classifyAnthropicError,
});
