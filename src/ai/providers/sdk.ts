// The AI provider SDK: the one internal request/response shape every AI connector maps to and from, and
// how a connector folder declares its AI adapter (`ai.ts` beside its `index.ts`). Pure mapping, no I/O:
// the router does transport, retries and fallback, so every provider behaves the same way there.

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; url: string; detail?: 'auto' | 'low' | 'high' };

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model wrote them. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  /** Assistant turns that called tools. */
  toolCalls?: ToolCall[];
  /** Tool turns: which call this answers. */
  toolCallId?: string;
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface ChatRequest {
  /** The provider's own model id (the router has mapped the route's target to it). */
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  responseFormat?: ResponseFormat;
  /** An end-user id some providers use for abuse monitoring. */
  user?: string;
}

export interface Usage {
  /** Every prompt token, cached ones included. */
  inputTokens: number;
  /** Every generated token, reasoning included. */
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (billed lower). */
  cachedTokens: number;
  /** Output tokens spent on hidden reasoning. */
  reasoningTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface ChatResult {
  id: string;
  model: string;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** Null when the provider did not say (then the ledger estimates and says so). */
  usage: Usage | null;
}

/** One step of a streamed answer, in the provider-independent vocabulary. */
export type ChatDelta =
  | { type: 'start'; id?: string; model?: string }
  | { type: 'text'; text: string }
  | { type: 'tool_call'; index: number; id?: string; name?: string; arguments: string }
  | { type: 'finish'; reason: FinishReason }
  /** Counts seen so far; later usage deltas replace earlier ones field by field. */
  | { type: 'usage'; usage: Partial<Usage> };

export interface EmbeddingsRequest {
  model: string;
  input: string[];
  dimensions?: number;
}

export interface EmbeddingsResult {
  model: string;
  /** In input order. */
  vectors: number[][];
  usage: { inputTokens: number } | null;
}

export interface ImageRequest {
  model: string;
  prompt: string;
  n: number;
  size?: string;
  quality?: string;
  responseFormat?: 'url' | 'b64_json';
}

export interface ImageResult {
  created: number;
  images: { url?: string; b64Json?: string; revisedPrompt?: string }[];
  usage: Usage | null;
}

/** A request to send, relative to the integration's base URL; auth is added by the runtime. */
export interface WireRequest {
  path: string;
  headers?: Record<string, string>;
  body: unknown;
}

/** One server-sent event as framed on the wire. */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Why an attempt failed, decided from status *and* body. The router acts on the class:
 * rate_limited / out_of_balance → cool the provider down and fall back; auth → mark the integration and
 * fall back; bad_request → the caller's fault, fail fast; not_found → this target cannot serve, fall back;
 * server_error / timeout / network → retry with backoff, then fall back; invalid_response → fall back.
 */
export const FAILURE_CLASSES = [
  'rate_limited',
  'out_of_balance',
  'auth',
  'bad_request',
  'not_found',
  'server_error',
  'timeout',
  'network',
  'invalid_response',
  'structured_output',
  'stream_interrupted',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export interface ProviderFailure {
  class: FailureClass;
  /** The provider's own words (its message and code), for the caller and the ledger. */
  message: string;
  status?: number;
  /** The provider's error code (GLM's 1113, OpenAI's insufficient_quota). */
  code?: string;
  /** How long the provider asked us to stay away (Retry-After, or a known window). */
  retryAfterMs?: number;
}

/** Thrown by adapters for an error found inside a 2xx body or a stream; the router catches it. */
export class ProviderFailureError extends Error {
  override name = 'ProviderFailureError';
  readonly failure: ProviderFailure;
  constructor(failure: ProviderFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export interface ModelInfo {
  /** Prompt plus output tokens the model accepts. */
  contextTokens: number;
  /** Default and upper bound of output tokens (what a reservation assumes when max tokens is unset). */
  maxOutputTokens: number;
  tools: boolean;
  vision: boolean;
  /** Native JSON Schema output (response_format); others get a JSON object plus the schema in the prompt. */
  jsonSchema: boolean;
}

export interface StreamParser {
  /** Maps one event to deltas; throws ProviderFailureError for an error event. */
  push(event: SseEvent): ChatDelta[];
  /** True once the provider signalled the end ([DONE], message_stop). */
  readonly done: boolean;
}

export interface AiProviderDefinition {
  /** The connector id this adapter belongs to (its folder). */
  id: string;
  title: string;
  defaultModels: { chat: string; embeddings?: string; images?: string };
  /** What the router needs to know about a model; unknown models get the provider's typical values. */
  modelInfo(model: string): ModelInfo;
  /** Whether a model id (without a provider prefix) looks like one of this provider's. */
  ownsModel(model: string): boolean;
  chat: {
    request(request: ChatRequest, options: { stream: boolean }): WireRequest;
    /** Reads a 2xx answer; throws ProviderFailureError when the body is an error or unreadable. */
    parse(body: unknown, request: ChatRequest): ChatResult;
    streamParser(request: ChatRequest): StreamParser;
  };
  embeddings?: {
    request(request: EmbeddingsRequest): WireRequest;
    parse(body: unknown, request: EmbeddingsRequest): EmbeddingsResult;
  };
  images?: {
    request(request: ImageRequest): WireRequest;
    parse(body: unknown, request: ImageRequest): ImageResult;
  };
  /** Classifies a non-2xx answer from its status, headers and body. */
  classify(status: number, body: unknown, retryAfterMs: number | undefined): ProviderFailure;
}

export function defineAiProvider(definition: AiProviderDefinition): AiProviderDefinition {
  return definition;
}

/** The error object of `{ error: { message, code, type } }` bodies (OpenAI, GLM, Mistral, Anthropic). */
export function errorObject(body: unknown): { message?: string; code?: string; type?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  // Mistral puts its error fields at the top level: `{ object: 'error', message, type, code }`.
  const topLevel = (body as { object?: unknown }).object === 'error' ? body : undefined;
  if ((!error || typeof error !== 'object') && !topLevel) return undefined;
  const record = (topLevel ?? error) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
  const message = text(record.message);
  const code = text(record.code);
  const type = text(record.type);
  return { ...(message !== undefined ? { message } : {}), ...(code !== undefined ? { code } : {}), ...(type !== undefined ? { type } : {}) };
}

/** `"<title> answered 429 1302: rate limited"`-style text from a status and an error body. */
export function describeFailure(title: string, status: number | undefined, body: unknown): string {
  const error = errorObject(body);
  const detail = error ? [error.code ?? error.type, error.message].filter(Boolean).join(': ') : typeof body === 'string' ? body.slice(0, 200) : '';
  return `${title} answered${status !== undefined ? ` ${status}` : ''}${detail ? ` ${detail}` : ''}`.trim();
}
