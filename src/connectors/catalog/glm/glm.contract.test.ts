// Contract test for the GLM connector: region base URLs, the bearer key, the free-model key check and how
// GLM's business codes in 429 bodies (1113 balance, 1302 rate limit) become check results; the actions.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import { capResetMs } from './errors.ts';
import glm from './index.ts';

const KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6.Q7vE2mXk9bT4LrW8';
const CHINA = 'https://open.bigmodel.cn/api/paas/v4';
const GLOBAL = 'https://api.z.ai/api/paas/v4';

const completion = {
  id: '20260101120000abcdef',
  created: 1767240000,
  model: 'glm-4-flash',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '你好！' } }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } },
};
const embeddings = { model: 'embedding-3', object: 'list', data: [{ index: 1, object: 'embedding', embedding: [0.2] }, { index: 0, object: 'embedding', embedding: [0.1] }], usage: { prompt_tokens: 4, total_tokens: 4 } };

const next: Array<() => Response> = [];
const chat = ({ request }: { request: Request }) => {
  if (request.headers.get('authorization') !== `Bearer ${KEY}`) return HttpResponse.json({ error: { code: '1002', message: 'Authorization Token非法' } }, { status: 401 });
  return next.shift()?.() ?? HttpResponse.json(completion);
};
const api = provider([
  http.post(`${CHINA}/chat/completions`, chat),
  http.post(`${GLOBAL}/chat/completions`, chat),
  http.post(`${CHINA}/embeddings`, () => HttpResponse.json(embeddings)),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  next.length = 0;
});
afterAll(() => api.disable());

describe('GLM connector', () => {
  it('checks a key with one token from the free model of its region, and names the account after the key', async () => {
    const runner = connectorRunner(glm, { credentials: { apiKey: KEY } });
    expect(await runner.check()).toEqual({ ok: true, account: { id: `key-${KEY.slice(-4)}`, name: `GLM key ••••${KEY.slice(-4)}`, details: { region: 'china' } } });
    const [sent] = api.requests;
    expect(sent?.url.href).toBe(`${CHINA}/chat/completions`);
    expect(JSON.parse(sent!.body)).toEqual({ model: 'glm-4-flash', messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 });
    await runner.close();

    const global = connectorRunner(glm, { credentials: { apiKey: KEY }, config: { region: 'global' } });
    expect(await global.check()).toMatchObject({ ok: true, account: { details: { region: 'global' } } });
    expect(api.requests[1]?.url.href).toBe(`${GLOBAL}/chat/completions`);
    expect(JSON.parse(api.requests[1]!.body).model).toBe('glm-4.5-flash');
    await global.close();
  });

  it('tells a refused key, an empty balance (1113 in a 429) and a rate limit (1302 in a 429) apart', async () => {
    const refused = connectorRunner(glm, { credentials: { apiKey: 'wrong.key0000000' } });
    expect(await refused.check()).toMatchObject({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: expect.stringContaining('1002') });
    await refused.close();

    const runner = connectorRunner(glm, { credentials: { apiKey: KEY } });
    next.push(() => HttpResponse.json({ error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } }, { status: 429 }));
    expect(await runner.check()).toMatchObject({ ok: false, reason: 'config', message: expect.stringContaining('no balance') });
    next.push(() => HttpResponse.json({ error: { code: '1302', message: '并发数过高' } }, { status: 429 }));
    expect(await runner.check()).toMatchObject({ ok: false, reason: 'unavailable', message: expect.stringContaining('1302') });
    await runner.close();
  });

  it('reads the reset time of a 5-hour cap in Beijing time', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(capResetMs('Usage limit reached for 5 hour. Your limit will reset at 2026-01-01 12:00:00', now)).toBe(4 * 3_600_000);
    expect(capResetMs('no time here', now)).toBeUndefined();
  });

  it('runs chat completions and embeddings with the documented bodies', async () => {
    const runner = connectorRunner(glm, { credentials: { apiKey: KEY } });
    const chatOutcome = await runner.run('createChatCompletion', { messages: [{ role: 'user', content: '你好' }], maxTokens: 20 });
    expect(chatOutcome).toEqual({
      ok: true,
      output: { id: completion.id, model: 'glm-4-flash', content: '你好！', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 9, outputTokens: 3, cachedTokens: 0, reasoningTokens: 0 } },
    });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ model: 'glm-4-flash', messages: [{ role: 'user', content: '你好' }], max_tokens: 20 });
    const embedOutcome = await runner.run('createEmbeddings', { input: ['a', 'b'] });
    expect(embedOutcome).toEqual({ ok: true, output: { model: 'embedding-3', embeddings: [[0.1], [0.2]], usage: { inputTokens: 4 } } });
    await runner.close();
  });
});
