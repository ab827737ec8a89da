// The AI router end to end on a real hub, against fake GLM, OpenAI, Anthropic and Mistral upstreams: the
// default chain, every error class and the fallback (or not) it causes, streams cut or slow, errors inside
// a 200, breakers with their half-open probe, and what the ledger records for each.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { PROVIDER_ERRORS, providerError } from './testing/fake-upstreams.ts';
import { startAiTestHub, sseData, type AiTestHub } from './testing/hub.ts';

const CHAIN = [
  { provider: 'glm', model: 'glm-4-flash' },
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
  { provider: 'mistral', model: 'mistral-small-latest' },
];
const MESSAGES = [{ role: 'user', content: 'Say hello.' }];

describe.each(backends)('AI router on $name', (backend) => {
  let h: AiTestHub;
  let workspaceId: string;

  beforeAll(async () => {
    h = await startAiTestHub(backend, { SWITCHBOARD_AI_BREAKER_FAILURES: '2', SWITCHBOARD_AI_BREAKER_COOLDOWN_SECONDS: '30' });
    workspaceId = (await h.t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: h.t.auth })).json().workspace.id;
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(async () => {
    for (const fake of Object.values(h.fakes)) fake.reset();
    h.rt.breakers.reset();
    h.rt.cooldowns.reset();
    h.rt.clock.now = () => Date.now();
    await saveRoute({ targets: CHAIN, retries: 1, attemptTimeoutMs: 10_000, firstTokenTimeoutMs: 10_000 });
  });

  async function saveRoute(body: Record<string, unknown>, name = 'default') {
    const response = await h.t.inject({ method: 'PUT', url: `/api/v1/ai/routes/${name}`, headers: h.t.auth, payload: { kind: 'chat', ...body } });
    expect(response.statusCode, response.body).toBe(200);
  }
  const chat = (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    h.t.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...h.t.auth, ...headers }, payload: { model: 'route:default', messages: MESSAGES, ...body } });
  async function attempts(requestId: string) {
    const response = await h.t.inject({ method: 'GET', url: `/api/v1/ai/usage/attempts?requestId=${encodeURIComponent(requestId)}`, headers: h.t.auth });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().items as Record<string, unknown>[]).sort((a, b) => (a.attempt as number) - (b.attempt as number));
  }

  it('answers through GLM first on the default chain, naming provider, model and attempts in headers', async () => {
    const response = await chat();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('glm');
    expect(response.headers['x-switchboard-model']).toBe('glm-4-flash');
    expect(response.headers['x-switchboard-attempts']).toBe('1');
    expect(response.headers['x-switchboard-fallback-reason']).toBeUndefined();
    const body = response.json();
    expect(body.choices[0].message.content).toBe('Hello from glm');
    expect(body.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 2 } });
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows).toEqual([expect.objectContaining({ provider: 'glm', model: 'glm-4-flash', success: true, inputTokens: 12, outputTokens: 5, cachedTokens: 2, currency: 'CNY', cost: 0 })]);
  });

  it('falls back on a GLM rate limit (1302 inside a 429) and cools GLM down for the next call', async () => {
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.glmRateLimited));
    const first = await chat();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['x-switchboard-provider']).toBe('openai');
    expect(first.headers['x-switchboard-attempts']).toBe('2');
    expect(first.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:rate_limited');
    const rows = await attempts(first.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.success, row.errorClass, row.fallbackReason])).toEqual([
      ['glm', false, 'rate_limited', null],
      ['openai', true, null, 'glm/glm-4-flash:rate_limited'],
    ]);
    // GLM is not asked again while it cools down.
    const second = await chat();
    expect(second.headers['x-switchboard-provider']).toBe('openai');
    expect(second.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:cooldown:rate_limited');
    expect(h.fakes.glm.calls).toHaveLength(1);
  });

  it('skips a provider out of balance (GLM 1113 inside a 429) for a long cooldown, shown on the providers page', async () => {
    expect((await chat()).headers['x-switchboard-provider']).toBe('glm');
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.glmNoBalance));
    const response = await chat();
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:out_of_balance');
    const providers = (await h.t.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: h.t.auth })).json().items;
    const glm = providers.find((provider: { id: string }) => provider.id === 'glm');
    expect(glm.health).toBe('cooling_down');
    expect(glm.integrations[0].cooldown).toMatchObject({ reason: 'out_of_balance' });
    expect(Date.parse(glm.integrations[0].cooldown.until) - Date.now()).toBeGreaterThan(30 * 60_000);
    expect(glm.lastError).toMatchObject({ class: 'out_of_balance', model: 'glm-4-flash' });
    // Latency percentiles and the error rate come from the ledger's last hour.
    expect(glm.attempts).toBeGreaterThan(1);
    expect(glm.errorRate).toBeGreaterThan(0);
    expect(glm.errorRate).toBeLessThan(1);
    expect(glm.latencyMs.p50).toEqual(expect.any(Number));
    expect(glm.latencyMs.p95).toBeGreaterThanOrEqual(glm.latencyMs.p50);
  });

  it('falls back for embeddings like for chat, on the embeddings route', async () => {
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.openAiServerError), providerError(PROVIDER_ERRORS.openAiServerError));
    const response = await h.t.inject({ method: 'POST', url: '/v1/embeddings', headers: h.t.auth, payload: { model: 'route:embeddings', input: ['a', 'bbb'], encoding_format: 'float' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-model']).toBe('text-embedding-3-small');
    expect(response.json().data.map((item: { embedding: number[] }) => item.embedding)).toEqual([
      [0.01, 0.02, 0.03],
      [0.03, 0.04, 0.05],
    ]);
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.kind, row.provider, row.model, row.errorClass])).toEqual([
      ['embeddings', 'glm', 'embedding-3', 'server_error'],
      ['embeddings', 'glm', 'embedding-3', 'server_error'],
      ['embeddings', 'openai', 'text-embedding-3-small', null],
    ]);
  });

  it('waits out a GLM 5-hour cap (1308) until the reset time it names, and a 429 for as long as its Retry-After', async () => {
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.glmUsageCap));
    const capped = await chat();
    expect(capped.statusCode, capped.body).toBe(200);
    expect(capped.headers['x-switchboard-provider']).toBe('openai');
    expect(capped.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:rate_limited');
    const providers = async () => (await h.t.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: h.t.auth })).json().items as { id: string; integrations: { cooldown: { reason: string; until: string } | null }[] }[];
    const glmCooldown = (await providers()).find((provider) => provider.id === 'glm')!.integrations[0]!.cooldown;
    // "will reset at 2099-01-01 12:00:00" is Beijing time.
    expect(glmCooldown?.reason).toBe('rate_limited');
    expect(Math.abs(Date.parse(glmCooldown!.until) - Date.parse('2099-01-01T04:00:00Z'))).toBeLessThan(5_000);

    h.fakes.openai.script(providerError(PROVIDER_ERRORS.openAiRateLimited));
    const limited = await chat();
    expect(limited.headers['x-switchboard-provider']).toBe('anthropic');
    expect(limited.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:cooldown:rate_limited, openai/gpt-4o-mini:rate_limited');
    const openaiCooldown = (await providers()).find((provider) => provider.id === 'openai')!.integrations[0]!.cooldown;
    const wait = Date.parse(openaiCooldown!.until) - Date.now();
    expect(wait).toBeGreaterThan(3_000);
    expect(wait).toBeLessThanOrEqual(7_000);
  });

  it('answers 402 from a provider as out of balance and skips it for the long cooldown', async () => {
    await saveRoute({ targets: [CHAIN[3], CHAIN[1]], retries: 1 });
    h.fakes.mistral.script(providerError(PROVIDER_ERRORS.paymentRequired));
    const response = await chat();
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('mistral/mistral-small-latest:out_of_balance');
    // Not retried on the same target: an empty balance does not fill up in a second.
    expect(h.fakes.mistral.calls).toHaveLength(1);
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.success, row.errorClass])).toEqual([
      ['mistral', false, 'out_of_balance'],
      ['openai', true, null],
    ]);
    expect(h.rt.cooldowns.active(h.integrationIds.mistral)).toMatchObject({ reason: 'out_of_balance' });
    expect(h.rt.cooldowns.active(h.integrationIds.mistral)!.until - Date.now()).toBeGreaterThan(30 * 60_000);
  });

  it("fails fast on the caller's bad request, without trying another provider", async () => {
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.glmBadRequest));
    const response = await chat();
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'ai_bad_request', message: expect.stringContaining('1214') });
    expect(h.fakes.openai.calls).toHaveLength(0);
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.errorClass])).toEqual([['glm', 'bad_request']]);
  });

  it('retries a 5xx once on the same target, then falls back', async () => {
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.openAiServerError), providerError(PROVIDER_ERRORS.openAiServerError));
    const response = await chat();
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-attempts']).toBe('3');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.errorClass, row.fallbackReason])).toEqual([
      ['glm', 'server_error', null],
      ['glm', 'server_error', 'glm/glm-4-flash:retry:server_error'],
      ['openai', null, 'glm/glm-4-flash:server_error'],
    ]);
  });

  it('times a silent provider out and falls back, and a retry succeeds on the same target', async () => {
    // Long enough for a busy machine's healthy answer (1 s was not, with several suites on 2 cores), short next to a silence.
    await saveRoute({ targets: CHAIN, retries: 1, attemptTimeoutMs: 2_500, firstTokenTimeoutMs: 2_500 });
    h.fakes.glm.script({ kind: 'hang' }, { kind: 'hang' });
    const response = await chat();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.errorClass])).toEqual([
      ['glm', 'timeout'],
      ['glm', 'timeout'],
      ['openai', null],
    ]);

    // Two timeouts opened GLM's breaker (threshold 2 here); a fresh one shows the retry on the same target.
    h.rt.breakers.reset();
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.openAiServerError));
    const retried = await chat();
    expect(retried.headers['x-switchboard-provider']).toBe('glm');
    expect(retried.headers['x-switchboard-attempts']).toBe('2');
  });

  it('counts an error inside a 200 and an unreadable 200 as failures', async () => {
    h.fakes.glm.script({ kind: 'error-in-200', body: { error: { code: '1234', message: '网络错误' } } }, { kind: 'garbage' });
    const response = await chat();
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.errorClass])).toEqual([
      ['glm', 'invalid_response'],
      ['glm', 'invalid_response'],
      ['openai', null],
    ]);
  });

  it('skips a provider whose key is refused and marks its integration', async () => {
    await saveRoute({ targets: [CHAIN[1], CHAIN[2]], retries: 0 });
    h.fakes.openai.script(providerError(PROVIDER_ERRORS.openAiBadKey));
    const response = await chat();
    expect(response.headers['x-switchboard-provider']).toBe('anthropic');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('openai/gpt-4o-mini:auth');
    const integration = (await h.t.inject({ method: 'GET', url: `/api/v1/integrations/${h.integrationIds.openai}`, headers: h.t.auth })).json();
    expect(integration.status).toBe('error');
    // OpenAI quotes a fragment of the refused key; neither the ledger nor the integration keeps it.
    const [refused] = await attempts(response.headers['x-request-id'] as string);
    expect(refused).toMatchObject({ provider: 'openai', errorClass: 'auth', errorMessage: expect.stringContaining('Incorrect API key provided') });
    expect(JSON.stringify(refused)).not.toMatch(/sk-proj|wxyz/);
    expect(JSON.stringify(integration)).not.toMatch(/sk-proj|wxyz/);
    const next = await chat();
    expect(next.headers['x-switchboard-fallback-reason']).toBe('openai/gpt-4o-mini:integration_error');
    // A re-check with the provider puts it back in service.
    const retest = await h.t.inject({ method: 'POST', url: `/api/v1/integrations/${h.integrationIds.openai}/test`, headers: h.t.auth });
    expect(retest.statusCode, retest.body).toBe(200);
    h.rt.integrations.invalidate(workspaceId);
  });

  it('streams in OpenAI chunks with usage, through Anthropic when it leads the chain', async () => {
    await saveRoute({ targets: [CHAIN[2], CHAIN[0]] });
    const response = await chat({ stream: true, stream_options: { include_usage: true } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    expect(response.headers['x-switchboard-provider']).toBe('anthropic');
    const events = sseData(response.body);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: Record<string, unknown> }[];
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello from anthropic');
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 2 } });
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows).toEqual([expect.objectContaining({ provider: 'anthropic', streamed: true, success: true, incomplete: false, inputTokens: 12, outputTokens: 5, estimated: false })]);
    expect(rows[0]!.firstTokenMs).not.toBeNull();
  });

  it('falls back freely before the first token: a slow first token moves on to the next provider', async () => {
    await saveRoute({ targets: CHAIN, retries: 0, firstTokenTimeoutMs: 1_000 });
    h.fakes.glm.script({ kind: 'slow-first-token', delayMs: 30_000 });
    const response = await chat({ stream: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:timeout');
    const events = sseData(response.body);
    expect(events.at(-1)).toBe('[DONE]');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.success, row.errorClass])).toEqual([
      ['glm', false, 'timeout'],
      ['openai', true, null],
    ]);
  });

  it('ends a stream cut after its first token with an explicit error event, no fallback, and an incomplete ledger row', async () => {
    h.fakes.glm.script({ kind: 'stream-cut', tokens: 2 });
    const response = await chat({ stream: true });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('glm');
    const events = sseData(response.body);
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { type: 'stream_interrupted', code: 'stream_interrupted' } });
    const text = (events.slice(0, -1) as { choices: { delta: { content?: string } }[] }[]).map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello fr');
    expect(h.fakes.openai.calls).toHaveLength(0);
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows).toEqual([expect.objectContaining({ provider: 'glm', success: false, incomplete: true, errorClass: 'stream_interrupted', estimated: true })]);
    expect(rows[0]!.outputTokens).toBeGreaterThan(0);
  });

  it("treats a provider's error event in a stream like any failure before the first token, and ends the stream with it after", async () => {
    await saveRoute({ targets: [CHAIN[2], CHAIN[0]], retries: 0 });
    h.fakes.anthropic.script({ kind: 'stream-error', tokens: 0 });
    const early = await chat({ stream: true });
    expect(early.statusCode, early.body).toBe(200);
    expect(early.headers['x-switchboard-provider']).toBe('glm');
    expect(early.headers['x-switchboard-fallback-reason']).toBe('anthropic/claude-3-5-haiku-latest:server_error');
    expect(sseData(early.body).at(-1)).toBe('[DONE]');

    h.fakes.anthropic.script({ kind: 'stream-error', tokens: 2 });
    const late = await chat({ stream: true });
    expect(late.headers['x-switchboard-provider']).toBe('anthropic');
    const events = sseData(late.body);
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { code: 'server_error', message: expect.stringContaining('overloaded_error') } });
    expect(h.fakes.glm.calls).toHaveLength(1);
    const rows = await attempts(late.headers['x-request-id'] as string);
    expect(rows).toEqual([expect.objectContaining({ provider: 'anthropic', success: false, incomplete: true, errorClass: 'server_error' })]);
  });

  it('opens the breaker of a failing model, skips it, then lets one probe through after the cooldown', async () => {
    await saveRoute({ targets: CHAIN, retries: 0 });
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.openAiServerError), providerError(PROVIDER_ERRORS.openAiServerError));
    await chat();
    await chat();
    const providers = (await h.t.inject({ method: 'GET', url: '/api/v1/ai/providers', headers: h.t.auth })).json().items;
    expect(providers.find((provider: { id: string }) => provider.id === 'glm').breakers).toContainEqual(expect.objectContaining({ model: 'glm-4-flash', state: 'open' }));
    const skipped = await chat();
    expect(skipped.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:circuit_open');
    expect(h.fakes.glm.calls).toHaveLength(2);
    // The cooldown passes on the router's clock, not the wall's.
    const realNow = h.rt.clock.now;
    h.rt.clock.now = () => realNow() + 31_000;
    const probe = await chat();
    h.rt.clock.now = realNow;
    expect(probe.headers['x-switchboard-provider']).toBe('glm');
    expect(h.rt.breakers.snapshot('glm/glm-4-flash').state).toBe('closed');
  });

  it('answers 502 with every attempt when the whole chain fails, and 429 when every provider is rate limited', async () => {
    await saveRoute({ targets: [CHAIN[0], CHAIN[3]], retries: 0 });
    h.fakes.glm.script(providerError(PROVIDER_ERRORS.openAiServerError));
    h.fakes.mistral.script(providerError(PROVIDER_ERRORS.openAiServerError));
    const failed = await chat();
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('ai_route_exhausted');
    expect(failed.json().error.details.attempts.map((a: { provider: string; class: string }) => `${a.provider}:${a.class}`)).toEqual(['glm:server_error', 'mistral:server_error']);

    h.fakes.glm.script(providerError(PROVIDER_ERRORS.glmRateLimited));
    h.fakes.mistral.script(providerError({ ...PROVIDER_ERRORS.mistralRateLimited, headers: { 'retry-after': '9' } }));
    const limited = await chat();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('provider_rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('skips targets that cannot serve the request: tools, images, context length', async () => {
    await saveRoute({ targets: [{ provider: 'glm', model: 'glm-4v-flash' }, CHAIN[1]] });
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    const withTools = await chat({ tools });
    expect(withTools.headers['x-switchboard-provider']).toBe('openai');
    expect(withTools.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4v-flash:capability');
    const huge = await chat({ messages: [{ role: 'user', content: 'word '.repeat(12_000) }] });
    expect(huge.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4v-flash:capability');
    expect(h.fakes.glm.calls).toHaveLength(0);

    // glm-4-flash reads no images: a message with one goes to a model that does, image included.
    await saveRoute({ targets: [CHAIN[0], CHAIN[1]] });
    h.fakes.openai.reset();
    const image = { type: 'image_url', image_url: { url: 'https://images.example.test/cat.png' } };
    const withImage = await chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }] });
    expect(withImage.statusCode, withImage.body).toBe(200);
    expect(withImage.headers['x-switchboard-provider']).toBe('openai');
    expect(withImage.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:capability');
    expect(h.fakes.glm.calls).toHaveLength(0);
    expect(h.fakes.openai.calls[0]!.body.messages[0].content).toContainEqual(image);
  });

  it('sends first attempts to weighted targets, whatever their place in the chain', async () => {
    await saveRoute({ targets: [CHAIN[0], { ...CHAIN[2], weight: 5 }] });
    for (let i = 0; i < 3; i++) {
      const response = await chat();
      expect(response.headers['x-switchboard-provider']).toBe('anthropic');
      expect(response.headers['x-switchboard-fallback-reason']).toBeUndefined();
    }
    expect(h.fakes.glm.calls).toHaveLength(0);
    // The unweighted target still backs the weighted one up.
    h.fakes.anthropic.script(providerError(PROVIDER_ERRORS.anthropicOverloaded), providerError(PROVIDER_ERRORS.anthropicOverloaded));
    expect((await chat()).headers['x-switchboard-provider']).toBe('glm');
  });

  it('counts a stream request answered by a JSON error inside a 200 as a failure, and falls back', async () => {
    await saveRoute({ targets: CHAIN, retries: 0 });
    h.fakes.glm.script({ kind: 'error-in-200', body: { error: { code: '1234', message: '网络错误，请稍后重试' } } });
    const response = await chat({ stream: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('openai');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('glm/glm-4-flash:invalid_response');
    expect(sseData(response.body).at(-1)).toBe('[DONE]');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.success, row.errorClass, row.streamed])).toEqual([
      ['glm', false, 'invalid_response', true],
      ['openai', true, null, true],
    ]);
    expect(rows[0]!.errorMessage).toContain('1234');
  });

  it('answers 504 ai_timeout when the whole-call limit passes, with a ledger row per attempt cut short', async () => {
    // The last target is cut by the whole-call limit, not by its own attempt limit: still a timeout of the route.
    await saveRoute({ targets: [CHAIN[0], CHAIN[1]], retries: 0, timeoutMs: 1_500, attemptTimeoutMs: 1_000 });
    h.fakes.glm.script({ kind: 'hang' });
    h.fakes.openai.script({ kind: 'hang' });
    const response = await chat();
    expect(response.statusCode, response.body).toBe(504);
    expect(response.json().error.code).toBe('ai_timeout');
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows.map((row) => [row.provider, row.errorClass])).toEqual([
      ['glm', 'timeout'],
      ['openai', 'timeout'],
    ]);
  });

  it('takes a concrete model instead of a route, and refuses a model no provider serves', async () => {
    const claude = await chat({ model: 'claude-3-5-haiku-latest' });
    expect(claude.headers['x-switchboard-provider']).toBe('anthropic');
    expect(claude.json().choices[0].message.content).toBe('Hello from anthropic');
    const prefixed = await chat({ model: 'mistral/mistral-small-latest' });
    expect(prefixed.headers['x-switchboard-provider']).toBe('mistral');
    const unknown = await chat({ model: 'llama-99' });
    expect(unknown.statusCode).toBe(400);
  });

  it('records a model without a price as unpriced, never as zero', async () => {
    await saveRoute({ targets: [{ provider: 'openai', model: 'gpt-unpriced-test' }] });
    const response = await chat();
    expect(response.statusCode, response.body).toBe(200);
    const rows = await attempts(response.headers['x-request-id'] as string);
    expect(rows[0]).toMatchObject({ cost: null, currency: null, costUsd: null });
    const usage = (await h.t.inject({ method: 'GET', url: '/api/v1/ai/usage?groupBy=model', headers: h.t.auth })).json();
    expect(usage.items.find((item: { key: string }) => item.key === 'openai/gpt-unpriced-test')).toMatchObject({ unpriced: 1, costUsd: 0 });
    const metrics = (await h.t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/switchboard_ai_missing_price_total\{provider="openai",model="gpt-unpriced-test"\} 1/);
  });

  it('routes a task type to its own route and labels the usage with it', async () => {
    await saveRoute({ targets: [CHAIN[3]] }, 'summarize');
    const response = await chat({ model: 'route:summarize' });
    expect(response.headers['x-switchboard-provider']).toBe('mistral');
    const byHeader = await chat({}, { 'x-switchboard-task-type': 'summarize' });
    expect(byHeader.headers['x-switchboard-provider']).toBe('glm');
    const usage = (await h.t.inject({ method: 'GET', url: '/api/v1/ai/usage?groupBy=taskType', headers: h.t.auth })).json();
    expect(usage.items.map((item: { key: string }) => item.key)).toContain('summarize');
    await h.t.inject({ method: 'DELETE', url: '/api/v1/ai/routes/summarize', headers: h.t.auth });
  });
});
