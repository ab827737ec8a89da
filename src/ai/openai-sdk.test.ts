// The official `openai` npm SDK, unchanged, with baseURL pointed at the hub and a workspace API key:
// chat, streaming chat (with usage), embeddings (the SDK's default base64 encoding), and a stream broken
// after its first token surfacing as the SDK's own error.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { BOOTSTRAP_KEY } from '../../test/support/test-hub.ts';
import { startAiTestHub, type AiTestHub } from './testing/hub.ts';

describe.each(backends)('the official openai SDK against the hub on $name', (backend) => {
  let h: AiTestHub;
  let client: OpenAI;

  beforeAll(async () => {
    h = await startAiTestHub(backend);
    // No retries: a failure must show as the hub answered it.
    client = new OpenAI({ apiKey: BOOTSTRAP_KEY, baseURL: `${h.t.hub.url}/v1`, maxRetries: 0 });
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });
  beforeEach(() => {
    for (const fake of Object.values(h.fakes)) fake.reset();
    h.rt.cooldowns.reset();
  });

  it('creates a chat completion, and exposes the routing headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'route:default', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello?' }], max_tokens: 50 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe('Hello from glm');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    expect(response.headers.get('x-switchboard-provider')).toBe('glm');
    expect(h.fakes.glm.calls[0]!.body).toMatchObject({ model: 'glm-4-flash', max_tokens: 50 });
  });

  it('streams a chat completion chunk by chunk with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe('Hello from openai');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5, completion_tokens_details: { reasoning_tokens: 1 } });
  });

  it('creates embeddings, decoding the base64 the SDK asks for', async () => {
    const result = await client.embeddings.create({ model: 'route:embeddings', input: ['a', 'bbb'] });
    expect(result.data.map((item) => item.embedding.map((value) => Math.round(value * 100) / 100))).toEqual([
      [0.01, 0.02, 0.03],
      [0.03, 0.04, 0.05],
    ]);
    expect(result.usage.prompt_tokens).toBe(8);
    expect(h.fakes.glm.calls[0]!.body).toMatchObject({ model: 'embedding-3', input: ['a', 'bbb'] });
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(floats.data[0]?.embedding).toEqual([0.01, 0.02, 0.03]);
  });

  it('raises the SDK error for a stream broken after its first token', async () => {
    h.fakes.glm.script({ kind: 'stream-cut', tokens: 1 });
    const stream = await client.chat.completions.create({ model: 'route:default', messages: [{ role: 'user', content: 'Hello?' }], stream: true });
    let text = '';
    await expect(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
    ).rejects.toThrow(/broke off the stream/);
    expect(text).toBe('Hell');
  });

  it('gets a typed API error for a refused request', async () => {
    await expect(client.chat.completions.create({ model: 'llama-99', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 400 });
    const anonymous = new OpenAI({ apiKey: 'sb_wrong_key_0000000000000000000', baseURL: `${h.t.hub.url}/v1`, maxRetries: 0 });
    await expect(anonymous.chat.completions.create({ model: 'route:default', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 });
  });
});
