// The outbound client's stream(): chunks handed over as they arrive, error bodies read whole, the
// header timeout, a cut connection surfacing as a thrown error, and the SSRF guard and breaker applying.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundClient } from './client.ts';
import type { OutboundOperation } from './contracts.ts';
import { createSsrfGuard } from './ssrf-guard.ts';
import { startServer, type Handler } from './test-support.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function setup(handler: Handler, options: { allow?: string } = {}) {
  const server = await startServer(handler);
  const operations: OutboundOperation[] = [];
  const client = createOutboundClient({
    guard: createSsrfGuard({ allowPrivateNetworks: options.allow ?? '127.0.0.0/8' }),
    onOperation: (operation) => operations.push(operation),
    breaker: { consecutiveFailures: 2, cooldownMs: 60_000 },
  });
  cleanup.push(server.close, () => client.close());
  return { server, client, operations };
}

async function collect(body: AsyncIterable<Buffer>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of body) chunks.push(chunk.toString());
  return chunks;
}

describe('stream()', () => {
  it('hands over the body chunk by chunk, and records one operation when it ends', async () => {
    const { server, client, operations } = await setup((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      setTimeout(() => {
        response.write('data: two\n\n');
        response.end();
      }, 20);
    });
    const result = await client.stream({ url: `${server.url}/events`, method: 'POST', body: '{"q":1}', headers: { 'content-type': 'application/json' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.headers['content-type']).toBe('text/event-stream');
    expect(operations).toHaveLength(0);
    expect((await collect(result.body)).join('')).toBe('data: one\n\ndata: two\n\n');
    expect(server.requests[0]).toMatchObject({ method: 'POST', body: '{"q":1}' });
    expect(operations).toEqual([expect.objectContaining({ status: 200, errorCode: null, attempts: 1 })]);
  });

  it('reads a non-2xx answer whole and returns it as an http_error with Retry-After', async () => {
    const { server, client } = await setup((request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' });
      response.end('{"error":{"code":"1302","message":"rate limited"}}');
    });
    const result = await client.stream({ url: `${server.url}/chat` });
    expect(result).toMatchObject({ ok: false, error: { code: 'http_error', status: 429, retryAfterMs: 3000 } });
    expect(!result.ok && result.response?.body.toString()).toContain('1302');
  });

  it('gives up when the headers do not come in time', async () => {
    const { server, client } = await setup(() => {
      // Never answers.
    });
    const result = await client.stream({ url: `${server.url}/slow`, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('throws from the body when the connection is cut mid-stream', async () => {
    const { server, client, operations } = await setup((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const result = await client.stream({ url: `${server.url}/cut` });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of result.body) seen.push(chunk.toString());
      })(),
    ).rejects.toThrow();
    expect(seen.join('')).toBe('data: first\n\n');
    expect(operations[0]?.errorCode).toBe('network');
  });

  it('refuses private addresses that are not allowed, and fails fast once the breaker opens', async () => {
    const refused = await setup(() => {}, { allow: '' });
    expect(await refused.client.stream({ url: `${refused.server.url}/x` })).toMatchObject({ ok: false, error: { code: 'ssrf_refused' } });

    const { server, client } = await setup((request, response) => {
      response.writeHead(503);
      response.end('down');
    });
    for (let i = 0; i < 2; i++) await client.stream({ url: `${server.url}/x`, breakerKey: 'ai:test' });
    expect(await client.stream({ url: `${server.url}/x`, breakerKey: 'ai:test' })).toMatchObject({ ok: false, error: { code: 'circuit_open' } });
    expect(server.requests).toHaveLength(2);
  });
});
