// followRedirects sends each hop through the client, so every Location is judged by the SSRF guard; hops
// are capped, and credentials do not travel to another origin.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundClient } from './client.ts';
import { followRedirects } from './redirects.ts';
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

function client() {
  const created = createOutboundClient({ guard: createSsrfGuard({ allowPrivateNetworks: '127.0.0.0/8' }), clock: fakeClock().clock });
  cleanup.push(() => created.close());
  return (request: Parameters<typeof created.request>[0]) => created.request(request);
}

describe('followRedirects', () => {
  it('follows relative and absolute Locations to the final answer', async () => {
    const final = await server(reply(200, 'here'));
    const start = await server((request, response) =>
      request.url === '/start' ? reply(301, '', { location: '/middle' })(request, response) : reply(302, '', { location: `${final.url}/end` })(request, response),
    );

    const result = await followRedirects(client(), { url: `${start.url}/start` });

    expect(result).toMatchObject({ ok: true, status: 200, redirects: 2, finalUrl: `${final.url}/end`, attempts: 3 });
    expect(result.ok && result.body.toString()).toBe('here');
  });

  it.each([
    ['a private address', 'http://10.0.0.1/admin', 'private address 10.0.0.1 (10.0.0.0/8)'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'cloud metadata address 169.254.169.254 (169.254.169.254/32)'],
    ['another scheme', 'file:///etc/passwd', 'scheme file: is not allowed (only http: and https:)'],
  ])('re-checks every hop: refuses a redirect to %s', async (_name, location, message) => {
    const start = await server(reply(302, '', { location }));

    const result = await followRedirects(client(), { url: start.url });

    expect(result).toMatchObject({ ok: false, redirects: 1, error: { code: 'ssrf_refused', message } });
  });

  it('gives up after maxHops', async () => {
    const loop = await server(reply(302, '', { location: '/again' }));

    const result = await followRedirects(client(), { url: loop.url }, { maxHops: 3 });

    expect(result).toMatchObject({ ok: false, redirects: 3, error: { code: 'too_many_redirects', status: 302 } });
    expect(loop.requests).toHaveLength(4);
  });

  it('keeps credentials on the same origin and drops them on another', async () => {
    const other = await server(reply(200));
    const start = await server((request, response) =>
      request.url === '/first' ? reply(307, '', { location: '/second' })(request, response) : reply(307, '', { location: other.url })(request, response),
    );

    await followRedirects(client(), { url: `${start.url}/first`, headers: { authorization: 'Bearer secret', 'x-trace': '1' } });

    expect(start.requests.map((r) => r.headers.authorization)).toEqual(['Bearer secret', 'Bearer secret']);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers['x-trace']).toBe('1');
  });

  it('turns a POST into a GET after 303, and keeps it after 307', async () => {
    const target = await server(reply(200));
    const start = await server((request, response) =>
      reply(request.url === '/see-other' ? 303 : 307, '', { location: `${target.url}/next` })(request, response),
    );
    const send = client();

    await followRedirects(send, { url: `${start.url}/see-other`, method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    await followRedirects(send, { url: `${start.url}/temporary`, method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });

    expect(target.requests.map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([
      ['GET', '', undefined],
      ['POST', 'payload', 'text/plain'],
    ]);
  });

  it('returns a redirect without a usable Location as it is', async () => {
    const start = await server(reply(302));

    expect(await followRedirects(client(), { url: start.url })).toMatchObject({ ok: false, redirects: 0, error: { code: 'http_error', status: 302 } });
  });
});
