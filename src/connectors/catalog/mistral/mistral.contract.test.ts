// Contract test for the Mistral connector: the bearer key, the model list as the key check, its top-level
// error bodies, and chat completions and embeddings with the documented request bodies.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import mistral from './index.ts';

const KEY = 'Q7vE2mXk9bT4LrW8nC1sYd6FhJ0pA3uZ';
const BASE = 'https://api.mistral.ai/v1';
const completion = {
  id: 'cmpl-e5cc70bb28c444948073e77776eb30ef',
  object: 'chat.completion',
  model: 'mistral-small-latest',
  created: 1767225600,
  choices: [{ index: 0, message: { role: 'assistant', content: 'Salut !', tool_calls: null }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 },
};
const api = provider([
  http.get(`${BASE}/models`, ({ request }) =>
    request.headers.get('authorization') === `Bearer ${KEY}`
      ? HttpResponse.json({ object: 'list', data: [{ id: 'mistral-small-latest', object: 'model', name: 'mistral-small-2506' }] })
      : HttpResponse.json({ object: 'error', message: 'Unauthorized', type: 'invalid_request_error', param: null, code: null }, { status: 401 }),
  ),
  http.post(`${BASE}/chat/completions`, () => HttpResponse.json(completion)),
  http.post(`${BASE}/embeddings`, () => HttpResponse.json({ id: 'e1', object: 'list', model: 'mistral-embed', data: [{ object: 'embedding', index: 0, embedding: [0.5, 0.25] }], usage: { prompt_tokens: 3, total_tokens: 3 } })),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

describe('Mistral connector', () => {
  it('checks the key by listing models, and quotes a refusal from its top-level error body', async () => {
    const runner = connectorRunner(mistral, { credentials: { apiKey: KEY } });
    expect(await runner.check()).toEqual({ ok: true, account: { id: `key-${KEY.slice(-4)}`, name: `Mistral key ••••${KEY.slice(-4)}`, details: { models: 1 } } });
    await runner.close();
    const refused = connectorRunner(mistral, { credentials: { apiKey: 'wrong-key-000000' } });
    expect(await refused.check()).toMatchObject({ ok: false, reason: 'auth', message: expect.stringContaining('Unauthorized') });
    await refused.close();
  });

  it('sends chats with max_tokens and embeddings without an encoding format', async () => {
    const runner = connectorRunner(mistral, { credentials: { apiKey: KEY } });
    const outcome = await runner.run('createChatCompletion', { messages: [{ role: 'user', content: 'Salut' }], maxTokens: 10, temperature: 0.3 });
    expect(outcome).toEqual({ ok: true, output: { id: completion.id, model: 'mistral-small-latest', content: 'Salut !', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 8, outputTokens: 4, cachedTokens: 0, reasoningTokens: 0 } } });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Salut' }], temperature: 0.3, max_tokens: 10 });
    expect(await runner.run('createEmbeddings', { input: 'bonjour' })).toEqual({ ok: true, output: { model: 'mistral-embed', embeddings: [[0.5, 0.25]], usage: { inputTokens: 3 } } });
    expect(JSON.parse(api.requests[1]!.body)).toEqual({ model: 'mistral-embed', input: ['bonjour'] });
    await runner.close();
  });
});
