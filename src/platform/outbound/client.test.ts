// The outbound client against a real HTTP server on 127.0.0.1 (allow-listed): retries, Retry-After,
// timeouts, breaker, rate budget, cache, abort, SSRF refusals and the operation record. Delays are read
// from the fake clock's sleeps, never measured.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundClient, type OutboundClientOptions } from './client.ts';
import { systemClock, type Clock } from './clock.ts';
import type { OutboundOperation } from './contracts.ts';
import { createSsrfGuard } from './ssrf-guard.ts';
import { fakeClock, reply, startServer, type Handler, type LocalServer } from './test-support.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function server(handler: Handler): Promise<LocalServer> {
  const started = await startServer(handler);
  cleanup.push(started.close);
  return started;
}

/** Answers with each handler in turn; the last one repeats. */
function sequence(...handlers: Handler[]): Handler {
  return (request, response, index) => handlers[Math.min(index, handlers.length - 1)]!(request, response, index);
}

function setup(options: Partial<OutboundClientOptions> = {}) {
  const fake = fakeClock();
  const operations: OutboundOperation[] = [];
  const client = createOutboundClient({
    guard: createSsrfGuard({ allowPrivateNetworks: '127.0.0.0/8' }),
    clock: fake.clock,
    onOperation: (operation) => operations.push(operation),
    ...options,
  });
  cleanup.push(() => client.close());
  return { client, operations, ...fake };
}

const quickRetry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retries', () => {
  it('retries a 503 and returns the success, after a jittered backoff', async () => {
    const upstream = await server(sequence(reply(503, 'busy'), reply(200, '{"ok":true}', { 'content-type': 'application/json' })));
    const { client, sleeps } = setup();

    const result = await client.request({ url: `${upstream.url}/items`, retry: quickRetry });

    expect(result).toMatchObject({ ok: true, status: 200, attempts: 2, fromCache: false });
    expect(result.ok && result.body.toString()).toBe('{"ok":true}');
    expect(upstream.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThan(100);
  });

  it('waits exactly what Retry-After asks, in seconds or as a date', async () => {
    const { client, sleeps, clock } = setup();
    const inSeconds = await server(sequence(reply(503, '', { 'retry-after': '7' }), reply(200, 'done')));
    const asDate = await server(
      sequence((request, response) => reply(503, '', { 'retry-after': new Date(clock.now() + 5_000).toUTCString() })(request, response), reply(200, 'done')),
    );

    expect(await client.request({ url: inSeconds.url, retry: quickRetry })).toMatchObject({ ok: true, attempts: 2 });
    expect(await client.request({ url: asDate.url, retry: quickRetry })).toMatchObject({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([7_000, 5_000]);
  });

  it('retries a 429 after its retry-after', async () => {
    const upstream = await server(sequence(reply(429, 'slow down', { 'retry-after': '2' }), reply(200, 'done')));
    const { client, sleeps } = setup();

    expect(await client.request({ url: upstream.url, retry: quickRetry })).toMatchObject({ ok: true, attempts: 2 });
    expect(sleeps).toEqual([2_000]);
  });

  it('waits for a 429 rate-limit reset header when there is no Retry-After', async () => {
    const { client, sleeps, clock } = setup();
    const upstream = await server(
      sequence(reply(429, '', { 'x-ratelimit-reset': String(Math.floor(clock.now() / 1000) + 12) }), reply(200, 'done')),
    );

    expect(await client.request({ url: upstream.url, retry: quickRetry })).toMatchObject({ ok: true });
    expect(sleeps).toEqual([12_000]);
  });

  it('gives up at once, with retryAfterMs, when the server asks for more than the cap', async () => {
    const upstream = await server(reply(429, 'quota', { 'retry-after': '3600' }));
    const { client, sleeps } = setup();

    const result = await client.request({ url: upstream.url, retry: { ...quickRetry, maxRetryAfterMs: 60_000 } });

    expect(result).toMatchObject({ ok: false, attempts: 1, error: { code: 'http_error', status: 429, retryAfterMs: 3_600_000 } });
    expect(sleeps).toEqual([]);
    expect(upstream.requests).toHaveLength(1);
  });

  it.each([400, 401, 404, 422, 501])('does not retry %i, and hands back the provider answer', async (status) => {
    const upstream = await server(reply(status, '{"error":"invalid_api_key"}'));
    const { client, sleeps } = setup();

    const result = await client.request({ url: `${upstream.url}/me`, retry: quickRetry });

    expect(result).toMatchObject({ ok: false, attempts: 1, error: { code: 'http_error', status } });
    expect(!result.ok && result.response?.body.toString()).toBe('{"error":"invalid_api_key"}');
    expect(upstream.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('stops after maxAttempts and says so', async () => {
    const upstream = await server(reply(503));
    const { client, sleeps } = setup();

    const result = await client.request({ url: `${upstream.url}/x`, retry: quickRetry });

    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: 'http_error', status: 503 } });
    expect(!result.ok && result.error.message).toBe(`GET ${upstream.url}/x answered 503 (after 3 attempts)`);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeLessThan(200);
  });

  it('retries a dropped connection', async () => {
    const upstream = await server(sequence((request) => request.socket.destroy(), reply(200, 'done')));
    const { client } = setup();

    expect(await client.request({ url: upstream.url, retry: quickRetry })).toMatchObject({ ok: true, attempts: 2 });
  });

  it('does not repeat a POST unless the caller opts in', async () => {
    const upstream = await server(sequence(reply(503), reply(201, 'created')));
    const { client } = setup();

    expect(await client.request({ url: upstream.url, method: 'POST', body: '{}' })).toMatchObject({ ok: false, attempts: 1 });
    expect(await client.request({ url: upstream.url, method: 'POST', body: '{"a":1}', retry: quickRetry })).toMatchObject({
      ok: true,
      status: 201,
      attempts: 1,
    });
    expect(upstream.requests.map((r) => r.body)).toEqual(['{}', '{"a":1}']);
  });

  it('sends the same body again on each attempt', async () => {
    const upstream = await server(sequence(reply(502), reply(200)));
    const { client } = setup();

    await client.request({ url: upstream.url, method: 'PUT', body: Buffer.from('payload'), headers: { 'content-type': 'text/plain' } });

    expect(upstream.requests.map((r) => r.body)).toEqual(['payload', 'payload']);
  });
});

describe('timeouts', () => {
  it('ends an attempt that gets no answer', async () => {
    const upstream = await server(() => {});
    const { client } = setup();

    const result = await client.request({ url: upstream.url, timeoutMs: 50, retry: false });

    expect(result).toMatchObject({ ok: false, attempts: 1, error: { code: 'timeout', message: 'no complete answer within 50 ms' } });
  });

  it('covers the body too, not just the headers', async () => {
    const upstream = await server((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
    });
    const { client } = setup();

    expect(await client.request({ url: upstream.url, timeoutMs: 50, retry: false })).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('retries a timed-out attempt', async () => {
    const upstream = await server(sequence(() => {}, reply(200, 'late but fine')));
    const { client } = setup();

    expect(await client.request({ url: upstream.url, timeoutMs: 50, retry: quickRetry })).toMatchObject({ ok: true, attempts: 2 });
  });
});

describe('circuit breaker', () => {
  const breaker = { consecutiveFailures: 3, cooldownMs: 10_000 };

  it('opens after N failed attempts, answers circuit_open without calling, and half-opens after the cooldown', async () => {
    let healthy = false;
    const upstream = await server((request, response) => reply(healthy ? 200 : 500)(request, response));
    const { client, advance } = setup({ breaker });
    const call = () => client.request({ url: upstream.url, retry: false, breakerKey: 'acme' });

    for (let i = 0; i < 3; i++) expect(await call()).toMatchObject({ ok: false, error: { code: 'http_error', status: 500 } });
    expect(client.breakerState('acme')).toBe('open');

    const refused = await call();
    expect(refused).toMatchObject({ ok: false, attempts: 0, error: { code: 'circuit_open', retryAfterMs: 10_000 } });
    expect(upstream.requests).toHaveLength(3);

    advance(9_999);
    expect(await call()).toMatchObject({ error: { code: 'circuit_open', retryAfterMs: 1 } });

    advance(1);
    healthy = true;
    expect(await call()).toMatchObject({ ok: true, status: 200 });
    expect(client.breakerState('acme')).toBe('closed');
    expect(await call()).toMatchObject({ ok: true });
    expect(upstream.requests).toHaveLength(5);
  });

  it('re-opens when the probe fails, for another full cooldown', async () => {
    const upstream = await server(reply(503));
    const { client, advance } = setup({ breaker });
    const call = () => client.request({ url: upstream.url, retry: false, breakerKey: 'acme' });

    for (let i = 0; i < 3; i++) await call();
    advance(10_000);
    expect(await call()).toMatchObject({ error: { code: 'http_error', status: 503 } });
    expect(await call()).toMatchObject({ error: { code: 'circuit_open', retryAfterMs: 10_000 } });
    expect(upstream.requests).toHaveLength(4);
  });

  it('lets a single probe through while half-open; others fail fast', async () => {
    let release: () => void = () => {};
    const upstream = await server(
      sequence(reply(500), reply(500), reply(500), (request, response) => {
        release = () => reply(200, 'probe ok')(request, response);
      }),
    );
    const { client, advance } = setup({ breaker });
    const call = () => client.request({ url: upstream.url, retry: false, breakerKey: 'acme' });

    for (let i = 0; i < 3; i++) await call();
    advance(10_000);
    const probe = call();
    await expect.poll(() => upstream.requests.length).toBe(4);

    expect(client.breakerState('acme')).toBe('half-open');
    expect(await call()).toMatchObject({ ok: false, error: { code: 'circuit_open' } });
    release();
    expect(await probe).toMatchObject({ ok: true });
    expect(upstream.requests).toHaveLength(4);
  });

  it('counts every attempt, and does not hold 4xx against the provider', async () => {
    const failing = await server(reply(503));
    const rejecting = await server(reply(404));
    const { client } = setup({ breaker });

    for (let i = 0; i < 5; i++) await client.request({ url: rejecting.url, retry: false, breakerKey: 'strict' });
    expect(client.breakerState('strict')).toBe('closed');

    const result = await client.request({ url: failing.url, retry: { ...quickRetry, maxAttempts: 5 }, breakerKey: 'flaky' });
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: 'circuit_open' } });
    expect(client.breakerState('flaky')).toBe('open');
  });

  it('keeps one breaker per key', async () => {
    const upstream = await server(reply(500));
    const { client } = setup({ breaker });
    for (let i = 0; i < 3; i++) await client.request({ url: upstream.url, retry: false, breakerKey: 'a' });

    expect(client.breakerState('a')).toBe('open');
    expect(client.breakerState('b')).toBe('closed');
    expect(await client.request({ url: upstream.url, retry: false, breakerKey: 'b' })).toMatchObject({ error: { code: 'http_error' } });
  });
});

describe('rate budget', () => {
  it('is shared by every call under one key; a call that cannot wait is refused before sending', async () => {
    const upstream = await server(reply(200, 'ok'));
    const { client, sleeps } = setup();
    const budget = { key: 'integration-1', perSecond: 1 };

    expect(await client.request({ url: `${upstream.url}/a`, rateBudget: budget })).toMatchObject({ ok: true });
    const second = await client.request({ url: `${upstream.url}/b`, rateBudget: budget, timeoutMs: 5_000 });

    // The fake clock runs ahead of the limiter's real window, so the wait keeps failing until timeoutMs is spent.
    expect(second).toMatchObject({ ok: false, attempts: 0, error: { code: 'rate_limited_locally' } });
    expect(!second.ok && second.error.retryAfterMs).toBeGreaterThan(0);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms > 0 && ms <= 1_000)).toBe(true);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5_000);
    expect(await client.request({ url: `${upstream.url}/c`, rateBudget: { key: 'integration-2', perSecond: 1 } })).toMatchObject({ ok: true });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/a', '/c']);
  });

  it('waits for room rather than failing when the wait fits in the timeout', async () => {
    const upstream = await server(reply(200, 'ok'));
    const waits: number[] = [];
    const recordingClock: Clock = { now: systemClock.now, sleep: (ms, signal) => (waits.push(ms), systemClock.sleep(ms, signal)) };
    const { client } = setup({ clock: recordingClock });
    const budget = { key: 'integration-1', perSecond: 1 };

    const results = await Promise.all([
      client.request({ url: upstream.url, rateBudget: budget, timeoutMs: 5_000 }),
      client.request({ url: upstream.url, rateBudget: budget, timeoutMs: 5_000 }),
    ]);

    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(upstream.requests).toHaveLength(2);
    expect(waits.length).toBeGreaterThan(0);
  });

  it('answers at once when the wait cannot fit', async () => {
    const upstream = await server(reply(200));
    const { client, sleeps } = setup();
    const budget = { key: 'k', perMinute: 1 };

    await client.request({ url: upstream.url, rateBudget: budget });
    const result = await client.request({ url: upstream.url, rateBudget: budget, timeoutMs: 1_000 });

    expect(result).toMatchObject({ ok: false, error: { code: 'rate_limited_locally' } });
    expect(!result.ok && result.error.retryAfterMs).toBeGreaterThan(1_000);
    expect(sleeps).toEqual([]);
  });
});

describe('cache', () => {
  it('serves a repeated GET from memory until the TTL passes', async () => {
    const upstream = await server((_request, response, index) => reply(200, `answer ${index}`)(_request, response));
    const { client, advance, operations } = setup();
    const get = () => client.request({ url: `${upstream.url}/voices`, cacheTtlMs: 60_000, headers: { authorization: 'Bearer a' } });

    const first = await get();
    const second = await get();
    expect(first).toMatchObject({ ok: true, fromCache: false, attempts: 1 });
    expect(second).toMatchObject({ ok: true, fromCache: true, attempts: 0, status: 200 });
    expect(second.ok && second.body.toString()).toBe('answer 0');
    expect(operations.map((o) => o.fromCache)).toEqual([false, true]);

    advance(60_000);
    const third = await get();
    expect(third.ok && third.body.toString()).toBe('answer 1');
  });

  it('keys on the request headers, so one credential never sees another one’s answer', async () => {
    const upstream = await server((request, response) => reply(200, String(request.headers.authorization))(request, response));
    const { client } = setup();

    const a = await client.request({ url: upstream.url, cacheTtlMs: 60_000, headers: { authorization: 'Bearer a' } });
    const b = await client.request({ url: upstream.url, cacheTtlMs: 60_000, headers: { authorization: 'Bearer b' } });

    expect(a.ok && a.body.toString()).toBe('Bearer a');
    expect(b).toMatchObject({ ok: true, fromCache: false });
    expect(b.ok && b.body.toString()).toBe('Bearer b');
  });

  it('never keeps a failure, a POST, or an uncached request', async () => {
    const failing = await server(reply(404));
    const ok = await server(reply(200));
    const { client } = setup();

    await client.request({ url: failing.url, cacheTtlMs: 60_000 });
    await client.request({ url: failing.url, cacheTtlMs: 60_000 });
    await client.request({ url: ok.url, method: 'POST', cacheTtlMs: 60_000 });
    await client.request({ url: ok.url, method: 'POST', cacheTtlMs: 60_000 });
    await client.request({ url: ok.url });
    await client.request({ url: ok.url });

    expect(failing.requests).toHaveLength(2);
    expect(ok.requests).toHaveLength(4);
  });
});

describe('abort', () => {
  it('aborts an attempt in flight', async () => {
    const upstream = await server(() => {});
    const { client } = setup();
    const controller = new AbortController();

    const pending = client.request({ url: upstream.url, signal: controller.signal });
    await expect.poll(() => upstream.requests.length).toBe(1);
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, attempts: 1, error: { code: 'aborted' } });
  });

  it('aborts a backoff wait', async () => {
    const upstream = await server(reply(503));
    const controller = new AbortController();
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort();
        }),
    };
    const { client } = setup({ clock });

    const result = await client.request({ url: upstream.url, retry: quickRetry, signal: controller.signal });

    expect(result).toMatchObject({ ok: false, attempts: 1, error: { code: 'aborted' } });
    expect(upstream.requests).toHaveLength(1);
  });

  it('does not start when already aborted', async () => {
    const upstream = await server(reply(200));
    const { client } = setup();

    expect(await client.request({ url: upstream.url, signal: AbortSignal.abort() })).toMatchObject({ ok: false, attempts: 0, error: { code: 'aborted' } });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('SSRF', () => {
  it('refuses a private literal without connecting', async () => {
    const upstream = await server(reply(200));
    const { client } = setup({ guard: createSsrfGuard() });

    const result = await client.request({ url: `${upstream.url}/`, retry: quickRetry });

    expect(result).toMatchObject({ ok: false, attempts: 0, error: { code: 'ssrf_refused', message: 'loopback address 127.0.0.1 (127.0.0.0/8)' } });
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses a hostname that resolves to a private address, and does not retry it', async () => {
    const upstream = await server(reply(200));
    const guard = createSsrfGuard({ resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const { client, sleeps } = setup({ guard });

    const result = await client.request({ url: `http://internal.test:${upstream.port}/`, retry: quickRetry });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'ssrf_refused', message: 'internal.test resolves to loopback address 127.0.0.1 (127.0.0.0/8)' },
    });
    expect(sleeps).toEqual([]);
    expect(upstream.requests).toHaveLength(0);
  });

  it('treats an unresolvable host as a network error', async () => {
    const guard = createSsrfGuard({ resolve: async () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })) });
    const { client } = setup({ guard });

    expect(await client.request({ url: 'https://nowhere.test/', retry: false })).toMatchObject({ ok: false, error: { code: 'network' } });
  });
});

describe('operation records and limits', () => {
  it('reports one record per call, with query values hidden', async () => {
    const upstream = await server(sequence(reply(503), reply(200)));
    const { client, operations, clock } = setup();

    await client.request({
      url: `${upstream.url}/v1/items?api_key=sk-secret&page=2#frag`,
      retry: quickRetry,
      breakerKey: 'acme',
      labels: { integrationId: 'int_1', action: 'listItems' },
    });

    expect(operations).toEqual([
      {
        url: `${upstream.url}/v1/items?api_key=*&page=*`,
        method: 'GET',
        status: 200,
        latencyMs: expect.any(Number),
        attempts: 2,
        errorCode: null,
        fromCache: false,
        breakerKey: 'acme',
        labels: { integrationId: 'int_1', action: 'listItems' },
        startedAt: clock.now() - operations[0]!.latencyMs,
      },
    ]);
    expect(JSON.stringify(operations)).not.toContain('sk-secret');
  });

  it('keeps credentials out of the record even when the URL is refused for carrying them', async () => {
    const { client, operations } = setup();

    const result = await client.request({ url: 'https://admin:hunter2@api.provider.test/v1?token=abc' });

    expect(result).toMatchObject({ ok: false, error: { code: 'ssrf_refused' } });
    expect(operations[0]).toMatchObject({ url: 'https://api.provider.test/v1?token=*', errorCode: 'ssrf_refused', attempts: 0, status: null });
    expect(JSON.stringify([result, operations])).not.toMatch(/hunter2|abc/);
  });

  it('records the failure code and the last status', async () => {
    const upstream = await server(reply(404));
    const { client, operations } = setup();

    await client.request({ url: upstream.url, method: 'delete' });

    expect(operations[0]).toMatchObject({ method: 'DELETE', status: 404, errorCode: 'http_error', attempts: 1 });
  });

  it('abandons a body larger than maxResponseBytes', async () => {
    const upstream = await server(reply(200, 'x'.repeat(2_000)));
    const chunked = await server((_request, response) => {
      response.write('x'.repeat(1_500));
      response.end('y'.repeat(1_500));
    });
    const { client } = setup();

    expect(await client.request({ url: upstream.url, maxResponseBytes: 1_000 })).toMatchObject({ ok: false, error: { code: 'response_too_large' } });
    expect(await client.request({ url: chunked.url, maxResponseBytes: 1_000 })).toMatchObject({ ok: false, error: { code: 'response_too_large' } });
  });

  it('does not follow redirects by itself', async () => {
    const upstream = await server(reply(302, '', { location: '/elsewhere' }));
    const { client } = setup();

    const result = await client.request({ url: upstream.url });

    expect(result).toMatchObject({ ok: false, error: { code: 'http_error', status: 302 } });
    expect(!result.ok && result.response?.headers.location).toBe('/elsewhere');
    expect(upstream.requests).toHaveLength(1);
  });
});
