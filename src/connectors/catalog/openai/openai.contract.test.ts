// Contract test for the OpenAI connector: the exact requests it sends and how it reads OpenAI's documented
// answers and error bodies, against fixtures shaped like the API reference's examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import openai from './index.ts';

const KEY = 'sk-proj-Q7vE2mXk9bT4LrW8nC1sYd6FhJ0pA3uZ5gN';
const BASE = 'https://api.openai.com/v1';

// ---- fixtures (shaped like the reference's examples) ----
const models = {
  object: 'list',
  data: [
    { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
    { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
    { id: 'ft:gpt-4o-mini:acme::9abcDEF', object: 'model', created: 1730000000, owned_by: 'acme-research' },
  ],
};
const completion = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Bonjour ! Comment puis-je vous aider ?', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 0 } },
  service_tier: 'default',
  system_fingerprint: 'fp_06737a9306',
};
const embeddings = {
  object: 'list',
  // Deliberately out of order: the connector must follow `index`, not array position.
  data: [
    { object: 'embedding', index: 1, embedding: [0.0123, -0.0456, 0.0789] },
    { object: 'embedding', index: 0, embedding: [-0.0069, 0.0053, -0.0004] },
  ],
  model: 'text-embedding-3-small',
  usage: { prompt_tokens: 8, total_tokens: 8 },
};
const invalidKey = {
  error: {
    message: 'Incorrect API key provided: sk-proj-********************************nope. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};
const modelNotFound = {
  error: { message: 'The model `gpt-9-turbo` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' },
};
const rateLimited = {
  error: {
    message: 'Rate limit reached for gpt-4o-mini in organization org-acme on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  },
};
const rateHeaders = {
  'x-ratelimit-limit-requests': '500',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-limit-tokens': '200000',
  'x-ratelimit-remaining-tokens': '199950',
};

// One-off answers queued per route, in front of the route's normal answer.
const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response | Promise<Response>) {
  if (request.headers.get('authorization') !== `Bearer ${KEY}`) return HttpResponse.json(invalidKey, { status: 401 });
  const next = queued.get(route)?.shift();
  return next ? next() : normal();
}

const api = provider([
  http.get(`${BASE}/models`, ({ request }) =>
    answer('models', request, () => HttpResponse.json(models, { headers: { 'openai-organization': 'acme-research', 'openai-processing-ms': '41', 'x-request-id': 'req_1' } })),
  ),
  http.post(`${BASE}/chat/completions`, ({ request }) => answer('chat', request, () => HttpResponse.json(completion))),
  http.post(`${BASE}/embeddings`, ({ request }) => answer('embeddings', request, () => HttpResponse.json(embeddings))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

function runnerWith(credentials: Record<string, string> = { apiKey: KEY }) {
  return connectorRunner(openai, { credentials });
}

describe('OpenAI connector: connection check', () => {
  it('lists the models with the bearer key and the optional organization and project headers, and names the organization OpenAI reports', async () => {
    const runner = runnerWith({ apiKey: KEY, organization: 'org-7fQ2acme', project: 'proj_Lk3acme' });
    expect(await runner.check()).toEqual({
      ok: true,
      account: { id: 'acme-research', name: 'acme-research', details: { models: 3, project: 'proj_Lk3acme', organization: 'acme-research' } },
    });
    const [sent] = api.requests;
    expect(api.requests).toHaveLength(1);
    expect(sent?.method).toBe('GET');
    expect(sent?.url.href).toBe('https://api.openai.com/v1/models');
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(sent?.headers.get('openai-organization')).toBe('org-7fQ2acme');
    expect(sent?.headers.get('openai-project')).toBe('proj_Lk3acme');
    expect(sent?.headers.get('accept')).toBe('application/json');
    await runner.close();
  });

  it('sends no organization or project header when none is configured, and falls back to the key’s last four characters when no organization is reported', async () => {
    queue('models', () => HttpResponse.json(models));
    const runner = runnerWith();
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'key-Z5gN', name: 'OpenAI key ••••Z5gN', details: { models: 3 } } });
    expect(api.requests[0]?.headers.has('openai-organization')).toBe(false);
    expect(api.requests[0]?.headers.has('openai-project')).toBe(false);
    await runner.close();
  });

  it('reports a rejected key with OpenAI’s status and code, without the key fragment OpenAI echoes', async () => {
    const runner = runnerWith({ apiKey: 'sk-proj-wrongwrongwrongnope' });
    const result = await runner.check();
    expect(result).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by OpenAI: 401 invalid_api_key: Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    });
    expect(JSON.stringify(result)).not.toContain('sk-proj-');
    await runner.close();
  });

  it('calls a rate-limited check unavailable rather than a bad credential', async () => {
    queue('models', ...Array.from({ length: 3 }, () => () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '1' } })));
    const runner = runnerWith();
    const result = await runner.check();
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(result.ok === false && result.message).toMatch(/^OpenAI answered 429 rate_limit_exceeded: Rate limit reached/);
    expect(runner.sleeps).toEqual([1000, 1000]);
    await runner.close();
  });
});

describe('OpenAI connector: actions', () => {
  it('listModels GETs /v1/models and serves the next call from cache', async () => {
    const runner = runnerWith();
    const first = await runner.run('listModels', {});
    expect(first).toEqual({
      ok: true,
      output: {
        models: [
          { id: 'gpt-4o-mini', ownedBy: 'system', created: 1721172741 },
          { id: 'text-embedding-3-small', ownedBy: 'system', created: 1705948997 },
          { id: 'ft:gpt-4o-mini:acme::9abcDEF', ownedBy: 'acme-research', created: 1730000000 },
        ],
      },
    });
    expect(await runner.run('listModels', {})).toEqual(first);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.url.href).toBe('https://api.openai.com/v1/models');
    await runner.close();
  });

  it('createChatCompletion POSTs the documented body and returns the message, finish reason and usage', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createChatCompletion', {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello!' },
      ],
      temperature: 0.2,
      maxTokens: 64,
    });
    expect(outcome).toEqual({
      ok: true,
      output: {
        id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        model: 'gpt-4o-mini-2024-07-18',
        message: { role: 'assistant', content: 'Bonjour ! Comment puis-je vous aider ?', refusal: null },
        finishReason: 'stop',
        usage: { promptTokens: 19, completionTokens: 10, totalTokens: 29 },
      },
    });
    const [sent] = api.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url.href).toBe('https://api.openai.com/v1/chat/completions');
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(sent?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent!.body)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello!' },
      ],
      temperature: 0.2,
      max_completion_tokens: 64,
    });
    await runner.close();
  });

  it('leaves optional parameters out of the body when they are not given', async () => {
    const runner = runnerWith();
    await runner.run('createChatCompletion', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    await runner.close();
  });

  it('retries a 429 after the Retry-After OpenAI sends (the fake clock records the wait)', async () => {
    queue('chat', () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '2', 'x-ratelimit-reset-requests': '120ms', ...rateHeaders } }));
    const runner = runnerWith();
    const outcome = await runner.run('createChatCompletion', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(outcome).toMatchObject({ ok: true, output: { finishReason: 'stop' } });
    expect(runner.sleeps).toEqual([2000]);
    expect(api.requests).toHaveLength(2);
    expect(api.requests[1]?.body).toBe(api.requests[0]?.body);
    await runner.close();
  });

  it('gives up at once when the reset is too far away, and reports when to come back', async () => {
    queue('chat', () => HttpResponse.json(rateLimited, { status: 429, headers: { 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '1s', ...rateHeaders } }));
    const runner = runnerWith();
    const outcome = await runner.run('createChatCompletion', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(outcome).toMatchObject({ ok: false, kind: 'provider_error', status: 429, retryAfterMs: 360_000 });
    expect(outcome.ok === false && outcome.message).toMatch(/^OpenAI answered 429 rate_limit_exceeded: Rate limit reached for gpt-4o-mini/);
    expect(api.requests).toHaveLength(1);
    expect(runner.sleeps).toEqual([]);
    await runner.close();
  });

  it('relays a missing model as a provider error in OpenAI’s words', async () => {
    queue('chat', () => HttpResponse.json(modelNotFound, { status: 404 }));
    const runner = runnerWith();
    const outcome = await runner.run('createChatCompletion', { model: 'gpt-9-turbo', messages: [{ role: 'user', content: 'Hi' }] });
    expect(outcome).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'OpenAI answered 404 model_not_found: The model `gpt-9-turbo` does not exist or you do not have access to it.',
      providerBody: modelNotFound,
    });
    await runner.close();
  });

  it('keeps the echoed key fragment out of an action’s error message and provider body', async () => {
    const runner = runnerWith({ apiKey: 'sk-proj-revokedrevokednope' });
    const outcome = await runner.run('createEmbeddings', { input: 'hello' });
    expect(outcome).toMatchObject({ ok: false, kind: 'provider_error', status: 401 });
    expect(outcome.ok === false && outcome.message).toBe(
      'OpenAI answered 401 invalid_api_key: Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    );
    expect(JSON.stringify(outcome)).not.toContain('sk-proj-');
    expect(outcome.ok === false && outcome.providerBody).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    await runner.close();
  });

  it('createEmbeddings POSTs one text with the default model and float encoding', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createEmbeddings', { input: 'The food was delicious.' });
    expect(outcome).toEqual({
      ok: true,
      output: {
        model: 'text-embedding-3-small',
        embeddings: [
          [-0.0069, 0.0053, -0.0004],
          [0.0123, -0.0456, 0.0789],
        ],
        usage: { promptTokens: 8, totalTokens: 8 },
      },
    });
    const [sent] = api.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url.href).toBe('https://api.openai.com/v1/embeddings');
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(sent!.body)).toEqual({ model: 'text-embedding-3-small', input: 'The food was delicious.', encoding_format: 'float' });
    await runner.close();
  });

  it('createEmbeddings sends a list of texts, a chosen model and dimensions as given', async () => {
    const runner = runnerWith();
    await runner.run('createEmbeddings', { model: 'text-embedding-3-large', input: ['first', 'second'], dimensions: 256 });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ model: 'text-embedding-3-large', input: ['first', 'second'], encoding_format: 'float', dimensions: 256 });
    await runner.close();
  });

  it('refuses invalid input before calling OpenAI', async () => {
    const runner = runnerWith();
    expect(await runner.run('createChatCompletion', { model: 'gpt-4o-mini', messages: [] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('createEmbeddings', { input: [] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('createChatCompletion', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], temperature: 3 })).toMatchObject({
      ok: false,
      kind: 'invalid_input',
    });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });
});
