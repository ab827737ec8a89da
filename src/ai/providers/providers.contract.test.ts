// The one contract every AI provider passes, against a local fake that speaks its wire format: chat,
// streaming, tool calls, structured output, embeddings, usage (cached and reasoning tokens included) and
// the classification of its errors. A new provider adds its dialect to PROVIDERS and must pass the same.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../connectors/registry.ts';
import { baseUrlOf } from '../../integrations/runtime/provider-http.ts';
import { createOutboundClient, createSsrfGuard } from '../../platform/outbound/index.ts';
import type { AiIntegration } from '../router/integrations.ts';
import { StreamBroken, openEventStream, sendJson } from '../router/transport.ts';
import { FAKE_USAGE, PROVIDER_ERRORS, providerError, startFakeUpstream, type Dialect, type FakeUpstream } from '../testing/fake-upstreams.ts';
import { loadAiProviders } from './registry.ts';
import { ProviderFailureError, type ChatDelta, type ChatRequest, type FailureClass, type Usage } from './sdk.ts';

const catalog = await loadCatalog();
const providers = await loadAiProviders();
const outbound = createOutboundClient({ guard: createSsrfGuard({ allowPrivateNetworks: '127.0.0.0/8' }) });
afterAll(() => outbound.close());

interface ProviderCase {
  dialect: Dialect;
  model: string;
  /** Usage as the provider reports it for FAKE_USAGE (not every provider reports cached or reasoning tokens). */
  usage: Usage;
  /** Documented error bodies and the class each must get. */
  errors: [keyof typeof PROVIDER_ERRORS, FailureClass][];
  embeddings: boolean;
}

const full: Usage = { inputTokens: FAKE_USAGE.input, outputTokens: FAKE_USAGE.output, cachedTokens: FAKE_USAGE.cached, reasoningTokens: FAKE_USAGE.reasoning };
const PROVIDERS: ProviderCase[] = [
  {
    dialect: 'glm',
    model: 'glm-4-flash',
    usage: { ...full, reasoningTokens: 0 },
    errors: [
      ['glmRateLimited', 'rate_limited'],
      ['glmUsageCap', 'rate_limited'],
      ['glmNoBalance', 'out_of_balance'],
      ['paymentRequired', 'out_of_balance'],
      ['glmBadKey', 'auth'],
      ['glmBadRequest', 'bad_request'],
      ['openAiServerError', 'server_error'],
    ],
    embeddings: true,
  },
  {
    dialect: 'openai',
    model: 'gpt-4o-mini',
    usage: full,
    errors: [
      ['openAiRateLimited', 'rate_limited'],
      ['openAiNoQuota', 'out_of_balance'],
      ['paymentRequired', 'out_of_balance'],
      ['openAiBadKey', 'auth'],
      ['openAiBadRequest', 'bad_request'],
      ['openAiServerError', 'server_error'],
    ],
    embeddings: true,
  },
  {
    dialect: 'anthropic',
    model: 'claude-3-5-haiku-latest',
    usage: { ...full, reasoningTokens: 0 },
    errors: [
      ['anthropicRateLimited', 'rate_limited'],
      ['anthropicNoCredit', 'out_of_balance'],
      ['anthropicBadKey', 'auth'],
      ['anthropicOverloaded', 'server_error'],
    ],
    embeddings: false,
  },
  {
    dialect: 'mistral',
    model: 'mistral-small-latest',
    usage: { ...full, cachedTokens: 0, reasoningTokens: 0 },
    errors: [
      ['mistralRateLimited', 'rate_limited'],
      ['paymentRequired', 'out_of_balance'],
      ['mistralBadKey', 'auth'],
      ['openAiServerError', 'server_error'],
    ],
    embeddings: true,
  },
];

const WEATHER_TOOL = { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe.each(PROVIDERS)('AI provider contract: $dialect', (testCase) => {
  let fake: FakeUpstream;
  let integration: AiIntegration;
  const provider = providers.get(testCase.dialect)!;

  beforeAll(async () => {
    fake = await startFakeUpstream(testCase.dialect);
    const connector = catalog.get(testCase.dialect)!;
    const config = connector.config.parse({ baseUrl: fake.baseUrl });
    integration = {
      id: '00000000-0000-7000-8000-00000000000a',
      workspaceId: '00000000-0000-7000-8000-00000000000b',
      name: testCase.dialect,
      status: 'connected',
      provider,
      connector,
      config,
      baseUrl: baseUrlOf(connector, config),
      credential: { apiKey: fake.apiKey },
      secrets: [fake.apiKey],
    };
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model: testCase.model,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello?' },
    ],
    maxTokens: 64,
    ...extra,
  });

  async function chat(chatRequest: ChatRequest) {
    const answer = await sendJson(outbound, integration, provider.chat.request(chatRequest, { stream: false }), { timeoutMs: 5_000 });
    if (!answer.ok) return { failure: answer.failure };
    try {
      return { result: provider.chat.parse(answer.body, chatRequest) };
    } catch (error) {
      if (error instanceof ProviderFailureError) return { failure: error.failure };
      throw error;
    }
  }

  async function stream(chatRequest: ChatRequest): Promise<{ deltas: ChatDelta[]; failure?: unknown }> {
    const opened = await openEventStream(outbound, integration, provider.chat.request(chatRequest, { stream: true }), { timeoutMs: 5_000, idleTimeoutMs: 5_000 });
    if (!opened.ok) return { deltas: [], failure: opened.failure };
    const parser = provider.chat.streamParser(chatRequest);
    const deltas: ChatDelta[] = [];
    try {
      for await (const event of opened.events) deltas.push(...parser.push(event));
    } catch (error) {
      return { deltas, failure: error };
    }
    return { deltas };
  }

  const text = (deltas: ChatDelta[]) => deltas.map((delta) => (delta.type === 'text' ? delta.text : '')).join('');
  // Fields a provider never reports count as zero, as the router counts them.
  const usageOf = (deltas: ChatDelta[]) => Object.assign({ cachedTokens: 0, reasoningTokens: 0 }, ...deltas.filter((delta) => delta.type === 'usage').map((delta) => delta.usage));

  it('answers a chat completion with its text, finish reason and full usage', async () => {
    const { result } = await chat(request());
    expect(result).toMatchObject({ content: `Hello from ${testCase.dialect}`, toolCalls: [], finishReason: 'stop', usage: testCase.usage });
  });

  it('sends the key and the documented request shape', async () => {
    await chat(request());
    const [call] = fake.calls;
    const body = call!.body;
    expect(body.model).toBe(testCase.model);
    if (testCase.dialect === 'anthropic') {
      expect(call!.headers['x-api-key']).toBe(fake.apiKey);
      expect(call!.headers['anthropic-version']).toBe('2023-06-01');
      expect(body.system).toBe('Be brief.');
      expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }]);
      expect(body.max_tokens).toBe(64);
    } else {
      expect(call!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
      expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
      expect(body[testCase.dialect === 'openai' ? 'max_completion_tokens' : 'max_tokens']).toBe(64);
    }
  });

  it('sends images and temperature in its own format', async () => {
    const image = { type: 'image' as const, url: 'https://images.example.test/cat.png' };
    await chat(request({ temperature: 0.3, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }] }));
    const body = fake.calls[0]!.body;
    expect(body.temperature).toBe(0.3);
    if (testCase.dialect === 'anthropic') {
      expect(body.messages[0].content).toEqual([
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { type: 'url', url: image.url } },
      ]);
    } else {
      expect(body.messages[0].content).toEqual([
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: image.url } },
      ]);
    }
  });

  it('streams the same answer, its finish and its usage', async () => {
    const { deltas, failure } = await stream(request());
    expect(failure).toBeUndefined();
    expect(text(deltas)).toBe(`Hello from ${testCase.dialect}`);
    expect(deltas).toContainEqual({ type: 'finish', reason: 'stop' });
    expect(usageOf(deltas)).toMatchObject(testCase.usage);
    if (testCase.dialect === 'openai') expect(fake.calls[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  it('calls tools, streamed or not, with the arguments as JSON', async () => {
    const toolCall = { name: 'get_weather', arguments: { city: 'Lyon' } };
    fake.script({ kind: 'answer', toolCall });
    const { result } = await chat(request({ tools: [WEATHER_TOOL], toolChoice: 'auto' }));
    expect(result?.finishReason).toBe('tool_calls');
    expect(result?.toolCalls).toHaveLength(1);
    expect(result?.toolCalls[0]).toMatchObject({ name: 'get_weather' });
    expect(JSON.parse(result!.toolCalls[0]!.arguments)).toEqual({ city: 'Lyon' });
    const sentTools = fake.calls[0]!.body.tools;
    expect(JSON.stringify(sentTools)).toContain('get_weather');

    fake.script({ kind: 'answer', toolCall });
    const { deltas } = await stream(request({ tools: [WEATHER_TOOL] }));
    const calls = deltas.filter((delta): delta is Extract<ChatDelta, { type: 'tool_call' }> => delta.type === 'tool_call');
    expect(calls[0]).toMatchObject({ index: 0, name: 'get_weather' });
    expect(JSON.parse(calls.map((call) => call.arguments).join(''))).toEqual({ city: 'Lyon' });
    expect(deltas).toContainEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('carries a tool result back in its own format', async () => {
    await chat(
      request({
        messages: [
          { role: 'user', content: 'Weather in Lyon?' },
          { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
          { role: 'tool', toolCallId: 'call_1', content: '{"celsius":21}' },
        ],
        tools: [WEATHER_TOOL],
      }),
    );
    const sent = JSON.stringify(fake.calls[0]!.body.messages);
    expect(sent).toContain('call_1');
    expect(sent).toContain('celsius');
  });

  it('returns JSON for a JSON Schema request', async () => {
    fake.script({ kind: 'answer', json: { city: 'Lyon', celsius: 21 } });
    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] };
    const { result } = await chat(request({ responseFormat: { type: 'json_schema', name: 'weather', schema } }));
    expect(JSON.parse(result!.content!)).toEqual({ city: 'Lyon', celsius: 21 });
    expect(result!.toolCalls).toEqual([]);
  });

  it.each(testCase.errors)('classifies %s as %s', async (name, expected) => {
    fake.script(providerError(PROVIDER_ERRORS[name]));
    const { failure } = await chat(request());
    expect(failure).toMatchObject({ class: expected });
    expect((failure as { message: string }).message).not.toContain(fake.apiKey);
    // Not even the fragment of a key a provider quotes back (OpenAI's 401 does).
    expect((failure as { message: string }).message).not.toMatch(/sk-proj-ab\*+wxyz/);
  });

  it('counts an error inside a 200, or a body that is not JSON, as an invalid response', async () => {
    fake.script({ kind: 'error-in-200', body: { error: { code: '1234', message: 'network error, please retry' } } });
    expect((await chat(request())).failure).toMatchObject({ class: 'invalid_response' });
    fake.script({ kind: 'garbage' });
    expect((await chat(request())).failure).toMatchObject({ class: 'invalid_response' });
  });

  it('reports a stream cut after its first token as a broken stream', async () => {
    fake.script({ kind: 'stream-cut', tokens: 1 });
    const { deltas, failure } = await stream(request());
    expect(text(deltas).length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(StreamBroken);
  });

  it('turns an error event inside a streamed 200 into a failure, before or after the first token', async () => {
    fake.script({ kind: 'stream-error', tokens: 0 });
    const before = await stream(request());
    expect(text(before.deltas)).toBe('');
    expect(before.failure).toBeInstanceOf(ProviderFailureError);
    expect((before.failure as ProviderFailureError).failure).toMatchObject({ class: 'server_error' });
    fake.script({ kind: 'stream-error', tokens: 1 });
    const after = await stream(request());
    expect(text(after.deltas).length).toBeGreaterThan(0);
    expect((after.failure as ProviderFailureError).failure.message).toMatch(testCase.dialect === 'anthropic' ? /overloaded_error/ : /1234/);
  });

  it.runIf(testCase.embeddings)('embeds texts in input order with their token count', async () => {
    const adapter = provider.embeddings!;
    const embeddingsRequest = { model: provider.defaultModels.embeddings!, input: ['a', 'bbb'] };
    const answer = await sendJson(outbound, integration, adapter.request(embeddingsRequest), { timeoutMs: 5_000 });
    expect(answer.ok).toBe(true);
    const result = adapter.parse(answer.ok ? answer.body : null, embeddingsRequest);
    expect(result.vectors).toEqual([
      [0.01, 0.02, 0.03],
      [0.03, 0.04, 0.05],
    ]);
    expect(result.usage).toEqual({ inputTokens: 8 });
  });
});
