// How connector contract tests mock providers for this client: MSW's default setupServer patches
// http.request and fetch, which undici's own sockets never touch, so tests intercept at the socket layer.
import { HttpRequestInterceptor } from '@mswjs/interceptors/http';
import { http, HttpResponse } from 'msw';
import { defineNetwork, InterceptorSource } from 'msw/experimental';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOutboundClient } from './client.ts';
import { createSsrfGuard } from './ssrf-guard.ts';

const seen: Array<{ method: string; url: string; authorization: string | null; body: string }> = [];
const network = defineNetwork({
  sources: [new InterceptorSource({ interceptors: [new HttpRequestInterceptor()] })],
  handlers: [
    http.post('https://api.provider.test/v1/echo', async ({ request }) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization'), body: await request.text() });
      return HttpResponse.json({ id: 'msg_1' }, { status: 201 });
    }),
    http.get('https://api.provider.test/v1/limited', () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '3' } })),
  ],
  onUnhandledFrame: 'error',
  context: { quiet: true },
});

beforeAll(() => network.enable());
afterAll(() => network.disable());

it('serves mocked provider answers to the outbound client, with no DNS and no network', async () => {
  // The resolver would refuse everything: intercepted sockets never reach it.
  const guard = createSsrfGuard({ resolve: async () => [{ address: '10.0.0.1', family: 4 }] });
  const sleeps: number[] = [];
  const client = createOutboundClient({ guard, clock: { now: () => 0, sleep: async (ms) => void sleeps.push(ms) } });

  const created = await client.request({
    url: 'https://api.provider.test/v1/echo',
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: '{"text":"hi"}',
  });
  const limited = await client.request({ url: 'https://api.provider.test/v1/limited', retry: { maxAttempts: 2 } });
  await client.close();

  expect(created).toMatchObject({ ok: true, status: 201 });
  expect(created.ok && JSON.parse(created.body.toString())).toEqual({ id: 'msg_1' });
  expect(seen).toEqual([{ method: 'POST', url: 'https://api.provider.test/v1/echo', authorization: 'Bearer sk-test', body: '{"text":"hi"}' }]);
  expect(limited).toMatchObject({ ok: false, attempts: 2, error: { code: 'http_error', status: 429, retryAfterMs: 3_000 } });
  expect(sleeps).toEqual([3_000]);
});
