// The /api/v1/ai routes and the quotas on a real hub with fake upstreams: per-minute limits, budgets by
// reservation (concurrent calls cannot overspend) with their events, seed 001's completion call with
// structured output and its repair, estimates, usage by group with CNY costs and daily rollups, images,
// and reading another workspace as its admin.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { signIn } from '../../test/support/test-hub.ts';
import { startAiTestHub, type AiTestHub } from './testing/hub.ts';
import { aiBudgetCounters, aiRollupDays, aiUsage, aiUsageDaily } from './tables.ts';
import { rollUpDays } from './usage/rollup.ts';

const MESSAGES = [{ role: 'user', content: 'Say hello.' }];
const NO_LIMITS = { dailyTokens: null, monthlyTokens: null, dailyCostUsd: null, monthlyCostUsd: null, requestsPerMinute: null, tokensPerMinute: null };

describe.each(backends)('AI API and quotas on $name', (backend) => {
  let h: AiTestHub;
  let workspaceId: string;
  let testStarted: string;

  beforeAll(async () => {
    h = await startAiTestHub(backend);
    workspaceId = (await h.t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: h.t.auth })).json().workspace.id;
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(async () => {
    for (const fake of Object.values(h.fakes)) fake.reset();
    h.rt.cooldowns.reset();
    h.rt.breakers.reset();
    // Each test starts with an empty ledger and fresh budget periods, as on a new day.
    await h.rt.idle();
    const db = h.t.hub.context.db;
    await db.delete(aiUsage).where(eq(aiUsage.workspaceId, workspaceId));
    await db.delete(aiUsageDaily).where(eq(aiUsageDaily.workspaceId, workspaceId));
    await db.delete(aiRollupDays);
    await db.delete(aiBudgetCounters).where(eq(aiBudgetCounters.workspaceId, workspaceId));
    testStarted = new Date().toISOString();
    await setQuota(NO_LIMITS);
    await h.t.inject({ method: 'DELETE', url: '/api/v1/ai/routes/default', headers: h.t.auth });
  });

  async function setQuota(body: Record<string, unknown>) {
    const response = await h.t.inject({ method: 'PUT', url: '/api/v1/ai/quota', headers: h.t.auth, payload: { ...NO_LIMITS, ...body } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }
  const chat = (body: Record<string, unknown> = {}) =>
    h.t.inject({ method: 'POST', url: '/v1/chat/completions', headers: h.t.auth, payload: { model: 'route:default', messages: MESSAGES, ...body } });
  const get = async (url: string) => {
    const response = await h.t.inject({ method: 'GET', url, headers: h.t.auth });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('refuses requests over the per-minute limit with 429 and Retry-After', async () => {
    await setQuota({ requestsPerMinute: 2 });
    expect((await chat()).statusCode).toBe(200);
    expect((await chat()).statusCode).toBe(200);
    const refused = await chat();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'ai_rate_limited', details: { limit: 'requests_per_minute', allowed: 2 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.fakes.glm.calls).toHaveLength(2);
  });

  it('refuses requests over the tokens-per-minute limit with 429 and Retry-After, counting each worst case', async () => {
    const estimate = (await h.t.inject({ method: 'POST', url: '/api/v1/ai/estimate', headers: h.t.auth, payload: { messages: MESSAGES, maxTokens: 20 } })).json();
    const worst = estimate.promptTokens + 20;
    await setQuota({ tokensPerMinute: worst * 2 });
    expect((await chat({ max_tokens: 20 })).statusCode).toBe(200);
    expect((await chat({ max_tokens: 20 })).statusCode).toBe(200);
    const refused = await chat({ max_tokens: 20 });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'ai_rate_limited', details: { limit: 'tokens_per_minute', allowed: worst * 2 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.fakes.glm.calls).toHaveLength(2);
  });

  it('refuses a request whose worst-case cost does not fit the daily cost budget, and one over the monthly token budget', async () => {
    await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/default', headers: h.t.auth, payload: { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] } });
    await setQuota({ dailyCostUsd: 0.0001 });
    // 1,000 output tokens at 0.60 USD per million alone are 0.0006 USD.
    const costly = await chat({ max_tokens: 1_000 });
    expect(costly.statusCode, costly.body).toBe(402);
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(costly.json().error).toMatchObject({ code: 'budget_exceeded', details: { quota: 'cost.daily', unit: 'usd', limit: 0.0001, resetsAt: tomorrow.toISOString() } });
    expect(costly.json().error.details.requested).toBeGreaterThan(0.0006);
    // A small one fits.
    expect((await chat({ max_tokens: 10 })).statusCode).toBe(200);

    await setQuota({ monthlyTokens: 10 });
    const overMonth = await chat({ max_tokens: 20 });
    expect(overMonth.statusCode).toBe(402);
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    expect(overMonth.json().error).toMatchObject({ code: 'budget_exceeded', details: { quota: 'tokens.monthly', unit: 'tokens', limit: 10, resetsAt: nextMonth } });
    expect(Number(overMonth.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.fakes.openai.calls).toHaveLength(1);
  });

  it('reserves the worst case atomically: concurrent calls never spend past a token budget', async () => {
    // Each call reserves its prompt estimate plus max_tokens; the fake is slow so all reserve before any settles.
    const estimate = (await h.t.inject({ method: 'POST', url: '/api/v1/ai/estimate', headers: h.t.auth, payload: { messages: MESSAGES, maxTokens: 20 } })).json();
    const worst = estimate.promptTokens + 20;
    await setQuota({ dailyTokens: worst * 3 + 1 });
    h.fakes.glm.setDefault({ kind: 'answer', delayMs: 300 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => chat({ max_tokens: 20 })));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 402, 402, 402, 402, 402]);
    const refused = answers.find((answer) => answer.statusCode === 402)!.json().error;
    expect(refused).toMatchObject({ code: 'budget_exceeded', details: { quota: 'tokens.daily', unit: 'tokens', limit: worst * 3 + 1 } });
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(refused.details.resetsAt).toBe(tomorrow.toISOString());
    await h.rt.idle();
    const quota = await get('/api/v1/ai/quota');
    // Settled: 3 calls × (12 + 5) tokens used, nothing left reserved.
    expect(quota.day.tokens).toEqual({ used: 51, reserved: 0, limit: worst * 3 + 1 });
  });

  it('emits ai.quota.warning at the warning share and ai.quota.exceeded at the limit, once per period', async () => {
    await setQuota({ dailyTokens: 60, warnPercent: 80 });
    h.fakes.glm.script({ kind: 'answer', usage: { input: 12, output: 38 } }, { kind: 'answer', usage: { input: 12, output: 38 } });
    expect((await chat({ max_tokens: 10 })).statusCode).toBe(200);
    await h.rt.idle();
    let events = (await get(`/api/v1/events?type=ai.quota.*&from=${encodeURIComponent(testStarted)}`)).items;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['ai.quota.warning']);
    expect(events[0].payload).toMatchObject({ quota: 'tokens.daily', used: 50, limit: 60, percent: 83.3 });
    // The worst case of the next call no longer fits: refused, whatever the provider would have said.
    expect((await chat({ max_tokens: 10 })).statusCode).toBe(402);
    await setQuota({ dailyTokens: 100, warnPercent: 80 });
    expect((await chat({ max_tokens: 10 })).statusCode).toBe(200);
    await h.rt.idle();
    events = (await get(`/api/v1/events?type=ai.quota.*&from=${encodeURIComponent(testStarted)}`)).items;
    expect(events.map((event: { type: string }) => event.type).sort()).toEqual(['ai.quota.exceeded', 'ai.quota.warning']);
    expect(events.find((event: { type: string }) => event.type === 'ai.quota.exceeded').payload).toMatchObject({ quota: 'tokens.daily', used: 100, limit: 100 });
  });

  it('leaves unpriced models out of a cost budget instead of pricing them at zero', async () => {
    await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/default', headers: h.t.auth, payload: { targets: [{ provider: 'openai', model: 'gpt-unpriced-test' }, { provider: 'glm', model: 'glm-4-plus' }] } });
    await setQuota({ dailyCostUsd: 5 });
    const response = await chat();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('glm');
    expect(response.headers['x-switchboard-fallback-reason']).toBe('openai/gpt-unpriced-test:no_price');
    // Under a budget a request without max_tokens is sent with the bound its reservation assumed.
    expect(h.fakes.glm.calls[0]!.body.max_tokens).toBe(4095);
    await h.rt.idle();
    const quota = await get('/api/v1/ai/quota');
    // glm-4-plus: 17 tokens at 5 CNY per million, at 0.14 USD per CNY.
    // Budgets count whole micro-dollars.
    expect(quota.day.costUsd.used).toBeCloseTo((17 * 5 * 0.14) / 1_000_000, 6);
    expect(quota.day.costUsd.limit).toBe(5);
  });

  it('completes a prompt (seed 001 shape) and returns JSON matching a schema, repairing a bad first answer', async () => {
    const plain = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { taskType: 'greeting', prompt: 'Hi', system: 'Be brief.' } });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json()).toMatchObject({ text: 'Hello from glm', provider: 'glm', taskType: 'greeting', attempts: 1, usage: { inputTokens: 12, outputTokens: 5 } });

    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'], additionalProperties: false };
    h.fakes.glm.script({ kind: 'answer', text: 'It is sunny in Lyon.' }, { kind: 'answer', json: { city: 'Lyon', celsius: 21 } });
    const repaired = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { prompt: 'Weather in Lyon?', responseSchema: schema } });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(repaired.json()).toMatchObject({ json: { city: 'Lyon', celsius: 21 }, provider: 'glm', attempts: 2 });
    const repairCall = h.fakes.glm.calls[2]!.body;
    expect(repairCall.response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(repairCall.messages)).toContain('does not match the required JSON Schema');

    // A provider that cannot comply even after the repair is a failure like any other: the route falls back.
    h.fakes.glm.script({ kind: 'answer', json: { city: 'Lyon' } }, { kind: 'answer', json: { city: 'Lyon' } });
    h.fakes.openai.script({ kind: 'answer', json: { city: 'Lyon', celsius: 21 } });
    const fallback = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { prompt: 'Weather?', responseSchema: schema } });
    expect(fallback.json()).toMatchObject({ json: { city: 'Lyon', celsius: 21 }, provider: 'openai', attempts: 3, fallbackReason: 'glm/glm-4-flash:structured_output' });
    expect(h.fakes.openai.calls[0]!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'answer', schema } });
    const rows = (await get(`/api/v1/ai/usage/attempts?requestId=${fallback.headers['x-request-id']}`)).items;
    expect(rows.map((row: { errorClass: string | null }) => row.errorClass).sort()).toEqual([null, 'structured_output', 'structured_output'].sort());
  });

  it('gets structured output from Claude through a forced tool call, repairing a bad first answer the same way', async () => {
    await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/default', headers: h.t.auth, payload: { targets: [{ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }] } });
    h.fakes.anthropic.script({ kind: 'answer', json: { city: 'Paris', celsius: 18 } });
    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] };
    const response = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { prompt: 'Weather?', responseSchema: schema, schemaName: 'weather' } });
    expect(response.json()).toMatchObject({ json: { city: 'Paris', celsius: 18 }, provider: 'anthropic' });
    expect(h.fakes.anthropic.calls[0]!.body.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect(h.fakes.anthropic.calls[0]!.body.tools).toContainEqual(expect.objectContaining({ name: 'weather', input_schema: schema }));

    // The tool's input misses a required field: one repair request, the tool still forced, the problem named.
    h.fakes.anthropic.script({ kind: 'answer', json: { city: 'Paris' } }, { kind: 'answer', json: { city: 'Paris', celsius: 18 } });
    const repaired = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { prompt: 'Weather?', responseSchema: schema, schemaName: 'weather' } });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(repaired.json()).toMatchObject({ json: { city: 'Paris', celsius: 18 }, provider: 'anthropic', attempts: 2, fallbackReason: null });
    const repairCall = h.fakes.anthropic.calls[2]!.body;
    expect(repairCall.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect(repairCall.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(repairCall.messages[1])).toContain('Paris');
    expect(JSON.stringify(repairCall.messages[2])).toMatch(/does not match the required JSON Schema.*celsius/);
    const rows = (await get(`/api/v1/ai/usage/attempts?requestId=${repaired.headers['x-request-id']}`)).items;
    expect(rows.map((row: { errorClass: string | null; success: boolean }) => [row.success, row.errorClass]).sort()).toEqual([
      [false, 'structured_output'],
      [true, null],
    ]);
  });

  it('fails clearly when no target can meet the schema, even after the repair', async () => {
    await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/default', headers: h.t.auth, payload: { targets: [{ provider: 'glm', model: 'glm-4-flash' }] } });
    h.fakes.glm.script({ kind: 'answer', text: 'Sunny, 21 degrees.' }, { kind: 'answer', json: { city: 'Lyon' } });
    const schema = { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] };
    const response = await h.t.inject({ method: 'POST', url: '/api/v1/ai/completion', headers: h.t.auth, payload: { prompt: 'Weather?', responseSchema: schema } });
    expect(response.statusCode).toBe(502);
    const { error } = response.json();
    expect(error.code).toBe('ai_route_exhausted');
    expect(error.message).toContain('glm/glm-4-flash: structured_output');
    expect(error.details.attempts).toEqual([expect.objectContaining({ provider: 'glm', class: 'structured_output', message: expect.stringMatching(/did not answer with JSON matching the schema: .*celsius/) })]);
    expect(h.fakes.glm.calls).toHaveLength(2);
  });

  it('estimates the cost of a request for every target of its route from the price table', async () => {
    const response = await h.t.inject({ method: 'POST', url: '/api/v1/ai/estimate', headers: h.t.auth, payload: { prompt: 'Translate this sentence into French.', maxTokens: 100 } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.route).toBe('default');
    expect(body.promptTokens).toBeGreaterThan(5);
    expect(body.targets.map((target: { provider: string }) => target.provider)).toEqual(['glm', 'openai', 'anthropic', 'mistral']);
    const openai = body.targets.find((target: { provider: string }) => target.provider === 'openai');
    expect(openai).toMatchObject({ priced: true, currency: 'USD', priceVersion: '2026-01', maxOutputTokens: 100, available: true });
    expect(openai.worstCaseCostUsd).toBeCloseTo((body.promptTokens * 0.15 + 100 * 0.6) / 1_000_000, 10);
    expect(body.targets[0]).toMatchObject({ provider: 'glm', currency: 'CNY', expectedCost: 0 });
    expect(body.expectedCostUsd).toBe(0);
  });

  it('groups usage by provider, model, day and task type, with costs per currency, and keeps totals across the daily rollup', async () => {
    await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/default', headers: h.t.auth, payload: { targets: [{ provider: 'glm', model: 'glm-4-plus' }] } });
    await chat();
    await chat();
    const byProvider = await get('/api/v1/ai/usage?groupBy=provider');
    const glm = byProvider.items.find((item: { key: string }) => item.key === 'glm');
    expect(glm.cost).toContainEqual({ currency: 'CNY', amount: expect.any(Number) });
    const byModel = await get('/api/v1/ai/usage?groupBy=model');
    expect(byModel.items.find((item: { key: string }) => item.key === 'glm/glm-4-plus')).toMatchObject({ attempts: 2, inputTokens: 24, outputTokens: 10, cost: [{ currency: 'CNY', amount: 0.00017 }] });
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await get(`/api/v1/ai/usage?groupBy=day&from=${today}&to=${today}`);
    expect(byDay.items.map((item: { key: string }) => item.key)).toEqual([today]);

    // Roll up as if it were tomorrow: the totals read from ai_usage_daily must equal the ledger's.
    const before = await get('/api/v1/ai/usage?groupBy=model');
    await h.rt.ledger.flush();
    const rolled = await rollUpDays(h.t.hub.context.db, new Date(Date.now() + 2 * 86_400_000));
    expect(rolled).toContain(today);
    const after = await get('/api/v1/ai/usage?groupBy=model');
    expect(after.totals).toEqual(before.totals);
    expect(after.items).toEqual(before.items);
  });

  it('generates images through the images route and meters them per image', async () => {
    const response = await h.t.inject({ method: 'POST', url: '/v1/images/generations', headers: h.t.auth, payload: { prompt: 'a lighthouse at dawn', n: 1 } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['x-switchboard-provider']).toBe('glm');
    expect(response.json().data[0].url).toContain('images.example.test/glm');
    const rows = (await get(`/api/v1/ai/usage/attempts?requestId=${response.headers['x-request-id']}`)).items;
    expect(rows[0]).toMatchObject({ kind: 'images', model: 'cogview-3-flash', images: 1, currency: 'CNY', cost: 0 });

    // A priced image model is charged per image generated.
    const saved = await h.t.inject({ method: 'PUT', url: '/api/v1/ai/routes/images', headers: h.t.auth, payload: { kind: 'images', targets: [{ provider: 'openai', model: 'dall-e-3' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    try {
      const two = await h.t.inject({ method: 'POST', url: '/v1/images/generations', headers: h.t.auth, payload: { prompt: 'a lighthouse at dusk', n: 2 } });
      expect(two.statusCode, two.body).toBe(200);
      expect(two.headers['x-switchboard-provider']).toBe('openai');
      expect(two.json().data).toHaveLength(2);
      const [row] = (await get(`/api/v1/ai/usage/attempts?requestId=${two.headers['x-request-id']}`)).items;
      expect(row).toMatchObject({ kind: 'images', provider: 'openai', model: 'dall-e-3', images: 2, currency: 'USD', success: true });
      expect(row.costUsd).toBeCloseTo(0.08, 8);
    } finally {
      await h.t.inject({ method: 'DELETE', url: '/api/v1/ai/routes/images', headers: h.t.auth });
    }
  });

  it('lets a signed-in admin read the AI usage and quota of another workspace they administer, not an API key', async () => {
    const session = await signIn(h.t);
    const created = await h.t.inject({ method: 'POST', url: '/api/v1/workspaces', headers: session, payload: { name: 'Other', slug: 'other-ai' } });
    expect(created.statusCode, created.body).toBe(201);
    const otherId = created.json().workspace.id;
    const asAdmin = await h.t.inject({ method: 'GET', url: `/api/v1/ai/usage?workspaceId=${otherId}`, headers: session });
    expect(asAdmin.statusCode, asAdmin.body).toBe(200);
    expect(asAdmin.json()).toMatchObject({ workspaceId: otherId, items: [] });
    expect((await h.t.inject({ method: 'GET', url: `/api/v1/ai/quota?workspaceId=${otherId}`, headers: session })).statusCode).toBe(200);
    expect((await h.t.inject({ method: 'GET', url: `/api/v1/ai/usage?workspaceId=${otherId}`, headers: h.t.auth })).statusCode).toBe(403);
  });

  it('needs an API key on the /v1 endpoints', async () => {
    const anonymous = await h.t.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'route:default', messages: MESSAGES } });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await h.t.inject({ method: 'POST', url: '/v1/embeddings', headers: { authorization: 'Bearer sb_not_a_key_000000000000000' }, payload: { model: 'route:embeddings', input: 'x' } });
    expect(wrong.statusCode).toBe(401);
  });
});
