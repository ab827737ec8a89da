// Local stand-ins for AI providers, on 127.0.0.1, speaking each wire format: OpenAI chat/embeddings/images
// (SSE with stream_options.include_usage), GLM (the OpenAI dialect under /api/paas/v4, its error codes in
// 429 bodies), Mistral (the dialect under /v1, top-level error bodies) and Anthropic Messages (its SSE event
// types). Tests script what the next requests get: an answer, an HTTP error, an error inside a 200, a
// stream cut after its first token, a slow first token, or silence.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Dialect = 'openai' | 'glm' | 'mistral' | 'anthropic';

export interface FakeUsage {
  input: number;
  output: number;
  cached: number;
  reasoning: number;
}

export type Behaviour =
  /** A normal answer: text (default `Hello from <dialect>`), a tool call, or JSON for a schema request. */
  | { kind: 'answer'; text?: string; toolCall?: { name: string; arguments: Record<string, unknown> }; json?: unknown; usage?: Partial<FakeUsage>; delayMs?: number }
  | { kind: 'http-error'; status: number; body: unknown; headers?: Record<string, string> }
  /** 200 with an error object (or any body) instead of an answer. */
  | { kind: 'error-in-200'; body: unknown }
  /** 200 whose body is not JSON. */
  | { kind: 'garbage' }
  /** A stream that sends `tokens` text pieces and then loses its connection. */
  | { kind: 'stream-cut'; tokens: number }
  /** A stream that sends `tokens` text pieces (0: none) and then the dialect's own error event, and ends. */
  | { kind: 'stream-error'; tokens: number }
  /** A stream whose headers come at once but whose first token waits `delayMs`. */
  | { kind: 'slow-first-token'; delayMs: number }
  /** Accepts the request and never answers. */
  | { kind: 'hang' };

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FakeUpstream {
  dialect: Dialect;
  /** What an integration's baseUrl should be set to. */
  baseUrl: string;
  /** The key it accepts. */
  apiKey: string;
  calls: RecordedCall[];
  /** Queues behaviours for the next requests (chat, embeddings, images), in order. */
  script(...behaviours: Behaviour[]): void;
  /** What requests get when nothing is queued. Default: an answer. */
  setDefault(behaviour: Behaviour): void;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_USAGE: FakeUsage = { input: 12, output: 5, cached: 2, reasoning: 1 };

const PREFIX: Record<Dialect, string> = { openai: '/v1', glm: '/api/paas/v4', mistral: '/v1', anthropic: '/v1' };

/** The error bodies each provider documents, for scripting http-error behaviours. */
export const PROVIDER_ERRORS = {
  glmRateLimited: { status: 429, body: { error: { code: '1302', message: '您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。' } } },
  glmUsageCap: { status: 429, body: { error: { code: '1308', message: 'Usage limit reached for 5 hour. Your limit will reset at 2099-01-01 12:00:00' } } },
  glmNoBalance: { status: 429, body: { error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } } },
  glmBadKey: { status: 401, body: { error: { code: '1002', message: 'Authorization Token非法，请确认Authorization Token正确传递。' } } },
  glmBadRequest: { status: 400, body: { error: { code: '1214', message: 'messages 参数非法。请检查文档。' } } },
  openAiServerError: { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } } },
  openAiRateLimited: { status: 429, body: { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '7' } },
  openAiNoQuota: { status: 429, body: { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } },
  // OpenAI quotes the start and end of the refused key in its message.
  openAiBadKey: { status: 401, body: { error: { message: 'Incorrect API key provided: sk-proj-ab*********************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } },
  /** A plain 402 (OpenAI-compatible gateways and Mistral answer this for an unpaid account). */
  paymentRequired: { status: 402, body: { error: { message: 'Payment required: your account has no credit left.', type: 'billing_error', param: null, code: 'payment_required' } } },
  openAiBadRequest: { status: 400, body: { error: { message: "Invalid value for 'temperature'.", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } } },
  anthropicOverloaded: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
  anthropicRateLimited: { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } } },
  anthropicBadKey: { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } },
  anthropicNoCredit: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } } },
  mistralRateLimited: { status: 429, body: { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited', param: null, code: '1300' } },
  mistralBadKey: { status: 401, body: { object: 'error', message: 'Unauthorized', type: 'invalid_request_error', param: null, code: null } },
} as const;

function usageOf(behaviour: Behaviour): FakeUsage {
  return { ...FAKE_USAGE, ...(behaviour.kind === 'answer' ? behaviour.usage : {}) };
}

/** The answer text split the way providers stream it: a few characters per event. */
function pieces(text: string): string[] {
  return text.match(/.{1,4}/gs) ?? [''];
}

function answerText(dialect: Dialect, behaviour: Behaviour, body: any): string | null {
  if (behaviour.kind === 'answer' && behaviour.toolCall) return null;
  if (behaviour.kind === 'answer' && behaviour.json !== undefined) return JSON.stringify(behaviour.json);
  const format = body?.response_format?.type;
  if (format === 'json_schema' || format === 'json_object') return JSON.stringify({ answer: `from ${dialect}` });
  return behaviour.kind === 'answer' && behaviour.text !== undefined ? behaviour.text : `Hello from ${dialect}`;
}

// ---- OpenAI dialect (OpenAI, GLM, Mistral) ----------------------------------------------------------------

function openAiUsage(dialect: Dialect, usage: FakeUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    ...(dialect === 'mistral' ? {} : { prompt_tokens_details: { cached_tokens: usage.cached } }),
    ...(dialect === 'openai' ? { completion_tokens_details: { reasoning_tokens: usage.reasoning } } : {}),
  };
}

function openAiCompletion(dialect: Dialect, behaviour: Behaviour, body: any) {
  const text = answerText(dialect, behaviour, body);
  const call = behaviour.kind === 'answer' ? behaviour.toolCall : undefined;
  return {
    id: `chatcmpl-fake-${dialect}`,
    object: 'chat.completion',
    created: 1_767_225_600,
    model: body?.model ?? 'unknown',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text,
          ...(call ? { tool_calls: [{ id: 'call_fake_1', type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }] } : {}),
        },
        finish_reason: call ? 'tool_calls' : 'stop',
      },
    ],
    usage: openAiUsage(dialect, usageOf(behaviour)),
  };
}

function openAiChunks(dialect: Dialect, behaviour: Behaviour, body: any): string[] {
  const base = { id: `chatcmpl-fake-${dialect}`, object: 'chat.completion.chunk', created: 1_767_225_600, model: body?.model ?? 'unknown' };
  const chunk = (choice: unknown, extra: object = {}) => `data: ${JSON.stringify({ ...base, choices: choice === null ? [] : [choice], ...extra })}\n\n`;
  const out = [chunk({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null })];
  const call = behaviour.kind === 'answer' ? behaviour.toolCall : undefined;
  if (call) {
    out.push(chunk({ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_fake_1', type: 'function', function: { name: call.name, arguments: '' } }] }, finish_reason: null }));
    for (const piece of pieces(JSON.stringify(call.arguments))) out.push(chunk({ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null }));
  } else {
    for (const piece of pieces(answerText(dialect, behaviour, body) ?? '')) out.push(chunk({ index: 0, delta: { content: piece }, finish_reason: null }));
  }
  const usage = openAiUsage(dialect, usageOf(behaviour));
  const finish = call ? 'tool_calls' : 'stop';
  if (dialect === 'openai') {
    out.push(chunk({ index: 0, delta: {}, finish_reason: finish }));
    // OpenAI sends usage only when asked, in a last chunk with no choices.
    if (body?.stream_options?.include_usage) out.push(chunk(null, { usage }));
  } else {
    // GLM and Mistral put usage on the finishing chunk, unasked.
    out.push(chunk({ index: 0, delta: {}, finish_reason: finish }, { usage }));
  }
  out.push('data: [DONE]\n\n');
  return out;
}

// ---- Anthropic Messages -----------------------------------------------------------------------------------

function anthropicMessage(behaviour: Behaviour, body: any) {
  const usage = usageOf(behaviour);
  const forced = body?.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
  const call = behaviour.kind === 'answer' ? behaviour.toolCall : undefined;
  const json = behaviour.kind === 'answer' ? behaviour.json : undefined;
  const content = forced
    ? [{ type: 'tool_use', id: 'toolu_fake_1', name: forced, input: json ?? { answer: 'from anthropic' } }]
    : call
      ? [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_fake_1', name: call.name, input: call.arguments }]
      : [{ type: 'text', text: answerText('anthropic', behaviour, body) }];
  return {
    id: 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model: body?.model ?? 'unknown',
    content,
    stop_reason: forced || call ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input - usage.cached, cache_creation_input_tokens: 0, cache_read_input_tokens: usage.cached, output_tokens: usage.output },
  };
}

function anthropicEvents(behaviour: Behaviour, body: any): string[] {
  const usage = usageOf(behaviour);
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const message = anthropicMessage(behaviour, body);
  const out = [
    event('message_start', {
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input - usage.cached, cache_creation_input_tokens: 0, cache_read_input_tokens: usage.cached, output_tokens: 1 } },
    }),
    event('ping', {}),
  ];
  message.content.forEach((block: any, index: number) => {
    if (block.type === 'text') {
      out.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of pieces(block.text)) out.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    } else {
      out.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      for (const piece of pieces(JSON.stringify(block.input))) out.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    out.push(event('content_block_stop', { index }));
  });
  out.push(event('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output } }));
  out.push(event('message_stop', {}));
  return out;
}

// ---- server ------------------------------------------------------------------------------------------------

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeUpstream(dialect: Dialect, options: { apiKey?: string; host?: string } = {}): Promise<FakeUpstream> {
  const apiKey = options.apiKey ?? `test-key-${dialect}-0123456789`;
  const prefix = PREFIX[dialect];
  const calls: RecordedCall[] = [];
  let queue: Behaviour[] = [];
  let fallback: Behaviour = { kind: 'answer' };

  const authorised = (request: IncomingMessage) =>
    dialect === 'anthropic' ? request.headers['x-api-key'] === apiKey : request.headers.authorization === `Bearer ${apiKey}`;
  const unauthorised = (response: ServerResponse) => {
    const error = { openai: PROVIDER_ERRORS.openAiBadKey, glm: PROVIDER_ERRORS.glmBadKey, mistral: PROVIDER_ERRORS.mistralBadKey, anthropic: PROVIDER_ERRORS.anthropicBadKey }[dialect];
    send(response, error.status, error.body);
  };

  async function streamOut(response: ServerResponse, events: string[], behaviour: Behaviour) {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    if (behaviour.kind === 'slow-first-token') {
      // The opening event carries no token: headers and a role/message_start arrive, then nothing for a while.
      response.write(events[0]);
      await sleep(behaviour.delayMs);
      if (response.destroyed) return;
      for (const piece of events.slice(1)) response.write(piece);
      response.end();
      return;
    }
    if (behaviour.kind === 'stream-error') {
      // Anthropic sends an `error` event; the OpenAI dialects a chunk holding an error object.
      const error =
        dialect === 'anthropic'
          ? `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`
          : `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: '1234' } })}\n\n`;
      const firstToken = events.findIndex((item) => /"(content|text|partial_json)":"[^"]/.test(item) && !item.includes('message_start'));
      for (const piece of events.slice(0, firstToken + behaviour.tokens)) response.write(piece);
      response.write(error);
      response.end();
      return;
    }
    if (behaviour.kind === 'stream-cut') {
      const tokenEvents = events.filter((item) => /"(content|text|partial_json)":"[^"]/.test(item) && !item.includes('message_start'));
      const cutAfter = events.indexOf(tokenEvents[Math.max(0, behaviour.tokens - 1)] ?? events[1]!);
      for (const piece of events.slice(0, cutAfter + 1)) response.write(piece);
      setTimeout(() => response.socket?.destroy(), 10);
      return;
    }
    for (const piece of events) response.write(piece);
    response.end();
  }

  async function handleChat(request: IncomingMessage, response: ServerResponse, body: any, behaviour: Behaviour) {
    const streamed = body?.stream === true;
    if (behaviour.kind === 'answer' && behaviour.delayMs) await sleep(behaviour.delayMs);
    if (dialect === 'anthropic') {
      if (!streamed) return send(response, 200, anthropicMessage(behaviour, body));
      return streamOut(response, anthropicEvents(behaviour, body), behaviour);
    }
    if (!streamed) return send(response, 200, openAiCompletion(dialect, behaviour, body));
    return streamOut(response, openAiChunks(dialect, behaviour, body), behaviour);
  }

  async function route(request: IncomingMessage, response: ServerResponse, body: any) {
    const path = (request.url ?? '/').split('?')[0]!;
    if (!path.startsWith(prefix)) return send(response, 404, { error: { message: `no route ${path}` } });
    const route = path.slice(prefix.length);
    if (!authorised(request)) return unauthorised(response);
    if (request.method === 'GET' && route === '/models') {
      return send(response, 200, { object: 'list', data: [{ id: `${dialect}-model-a`, object: 'model', display_name: 'Model A' }, { id: `${dialect}-model-b`, object: 'model' }] });
    }
    const isChat = route === (dialect === 'anthropic' ? '/messages' : '/chat/completions');
    const isEmbeddings = route === '/embeddings' && dialect !== 'anthropic';
    const isImages = route === '/images/generations' && (dialect === 'openai' || dialect === 'glm');
    if (!isChat && !isEmbeddings && !isImages) return send(response, 404, { error: { message: `no route ${path}` } });

    const behaviour = queue.shift() ?? fallback;
    switch (behaviour.kind) {
      case 'http-error':
        return send(response, behaviour.status, behaviour.body, behaviour.headers);
      case 'error-in-200':
        return send(response, 200, behaviour.body);
      case 'garbage':
        return send(response, 200, '<html>upstream proxy error</html>', { 'content-type': 'application/json' });
      case 'hang':
        return;
      default:
        break;
    }
    if (isEmbeddings) {
      const inputs: string[] = Array.isArray(body?.input) ? body.input : [body?.input];
      const dimensions = typeof body?.dimensions === 'number' ? body.dimensions : 3;
      return send(response, 200, {
        object: 'list',
        // Reversed on purpose: clients must order by `index`.
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: Array.from({ length: dimensions }, (_, d) => (String(text).length + d) / 100) })).reverse(),
        model: body?.model,
        usage: { prompt_tokens: inputs.length * 4, total_tokens: inputs.length * 4 },
      });
    }
    if (isImages) {
      const count = typeof body?.n === 'number' && body.n > 0 ? body.n : 1;
      return send(response, 200, { created: 1_767_225_600, data: Array.from({ length: count }, (_, i) => ({ url: `https://images.example.test/${dialect}/${i + 1}.png`, revised_prompt: body?.prompt })) });
    }
    return handleChat(request, response, body, behaviour);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      calls.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body });
      route(request, response, body).catch((error: unknown) => {
        if (!response.headersSent) send(response, 500, { error: { message: String(error) } });
      });
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dialect,
    baseUrl: `http://${host}:${port}${prefix}`,
    apiKey,
    calls,
    script: (...behaviours) => void queue.push(...behaviours),
    setDefault: (behaviour) => void (fallback = behaviour),
    reset() {
      queue = [];
      fallback = { kind: 'answer' };
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Behaviour for a documented provider error (`PROVIDER_ERRORS.glmNoBalance`). */
export function providerError(error: { status: number; body: unknown; headers?: Record<string, string> }): Behaviour {
  return { kind: 'http-error', status: error.status, body: error.body, ...(error.headers ? { headers: error.headers } : {}) };
}
