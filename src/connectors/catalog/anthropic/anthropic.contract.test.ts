// Contract test for the Anthropic connector: x-api-key and anthropic-version on every call, the model
// list as the key check, and createChatCompletion through the Messages API (top-level system, max_tokens).
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import anthropic from './index.ts';

const KEY = 'sk-ant-api03-Q7vE2mXk9bT4LrW8nC1sYd6FhJ0pA3uZ5gN-abcd';
const BASE = 'https://api.anthropic.com/v1';
const models = { data: [{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5', last_id: 'claude-sonnet-4-5' };
const message = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-5-haiku-20241022',
  content: [{ type: 'text', text: 'Bonjour !' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 6 },
};
const unauthorised = { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } };

const guard = (request: Request, answer: () => Response) =>
  request.headers.get('x-api-key') === KEY && request.headers.get('anthropic-version') === '2023-06-01' ? answer() : HttpResponse.json(unauthorised, { status: 401 });
const api = provider([
  http.get(`${BASE}/models`, ({ request }) => guard(request, () => HttpResponse.json(models))),
  http.post(`${BASE}/messages`, ({ request }) => guard(request, () => HttpResponse.json(message))),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

describe('Anthropic connector', () => {
  it('checks the key by listing models with x-api-key and anthropic-version', async () => {
    const runner = connectorRunner(anthropic, { credentials: { apiKey: KEY } });
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'key-abcd', name: 'Anthropic key ••••abcd', details: { models: 1 } } });
    expect(api.requests[0]?.url.href).toBe(`${BASE}/models`);
    expect(api.requests[0]?.headers.has('authorization')).toBe(false);
    await runner.close();
  });

  it('reports a refused key with its error type', async () => {
    const runner = connectorRunner(anthropic, { credentials: { apiKey: 'sk-ant-wrong-000000' } });
    expect(await runner.check()).toMatchObject({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: expect.stringContaining('authentication_error') });
    await runner.close();
  });

  it('lists models and sends chats as Messages with a top-level system and max_tokens', async () => {
    const runner = connectorRunner(anthropic, { credentials: { apiKey: KEY } });
    expect(await runner.run('listModels', {})).toEqual({ ok: true, output: { models: [{ id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5' }] } });
    const outcome = await runner.run('createChatCompletion', {
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello!' },
      ],
    });
    expect(outcome).toEqual({
      ok: true,
      output: { id: message.id, model: message.model, content: 'Bonjour !', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 14, outputTokens: 6, cachedTokens: 4, reasoningTokens: 0 } },
    });
    expect(JSON.parse(api.requests[1]!.body)).toEqual({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 4096,
      system: 'Answer in French.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
    });
    await runner.close();
  });
});
