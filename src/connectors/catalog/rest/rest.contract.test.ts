import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import rest from './index.ts';

const api = provider([
  http.get('https://api.example.test/v2/', () => HttpResponse.text('ok')),
  http.get('https://api.example.test/v2/items', ({ request }) =>
    request.headers.get('x-api-key') === 'k-123' || new URL(request.url).searchParams.get('api_key') === 'k-123' || request.headers.get('authorization') === 'Bearer k-123'
      ? HttpResponse.json({ items: [{ id: 1 }] })
      : HttpResponse.json({ error: { message: 'invalid key' } }, { status: 401 }),
  ),
  http.post('https://api.example.test/v2/items', async ({ request }) => HttpResponse.json({ created: await request.json() }, { status: 201 })),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

describe('generic REST connector', () => {
  for (const [authMode, where] of [
    ['header', (r: { headers: Headers }) => r.headers.get('x-api-key')],
    ['bearer', (r: { headers: Headers }) => r.headers.get('authorization')],
    ['query', (r: { url: URL }) => r.url.searchParams.get('api_key')],
  ] as const) {
    it(`puts the key in the ${authMode} and reads JSON`, async () => {
      const runner = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2', authMode }, credentials: { apiKey: 'k-123' } });
      const outcome = await runner.run('getJson', { path: '/items' });
      expect(outcome).toEqual({ ok: true, output: { items: [{ id: 1 }] } });
      expect(where(api.requests[0] as never)).toBe(authMode === 'bearer' ? 'Bearer k-123' : 'k-123');
      await runner.close();
    });
  }

  it('sends basic auth and a JSON body, and returns status, headers and body', async () => {
    const runner = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2', authMode: 'basic' }, credentials: { username: 'ann', password: 'pw' } });
    const outcome = await runner.run('request', { method: 'POST', path: 'items', body: { name: 'x' } });
    expect(outcome).toMatchObject({ ok: true, output: { status: 201, body: { created: { name: 'x' } } } });
    expect(api.requests[0]?.headers.get('authorization')).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
    expect(api.requests[0]?.headers.get('content-type')).toBe('application/json');
    await runner.close();
  });

  it('checks the connection on the health path and reports the host as the account', async () => {
    const runner = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2', authMode: 'header' }, credentials: { apiKey: 'k-123' } });
    expect(await runner.check()).toMatchObject({ ok: true, account: { id: 'api.example.test' } });
    expect(api.requests[0]?.url.pathname).toBe('/v2/');
    await runner.close();
  });

  it('says which field is missing and relays the provider refusal with its message', async () => {
    const missing = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2', authMode: 'bearer' }, credentials: {} });
    expect(await missing.check()).toMatchObject({ ok: false, field: 'credentials.apiKey' });
    await missing.close();
    const wrong = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2', authMode: 'bearer' }, credentials: { apiKey: 'nope' } });
    expect(await wrong.run('getJson', { path: 'items' })).toMatchObject({ ok: false, kind: 'provider_error', status: 401, message: 'Generic REST API answered 401: invalid key' });
    await wrong.close();
  });

  it('refuses an absolute URL in place of a path', async () => {
    const runner = connectorRunner(rest, { config: { baseUrl: 'https://api.example.test/v2' }, credentials: { apiKey: 'k' } });
    expect(await runner.run('getJson', { path: 'http://169.254.169.254/latest' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    await runner.close();
  });
});
