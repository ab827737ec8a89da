// Outbound proxies per workspace on every database backend, with real local forward proxies (npm `proxy`)
// that log the requests tunnelled through them: a crawl goes through the proxy, per-request rotation
// alternates, per-scrape rotation sticks and moves past a dead or refusing proxy, the settings API masks
// passwords and stores the URLs encrypted, and the browser engine's requests take the proxy too. The proxy is
// npm `proxy` 4.1.0 (pinned): a small, maintained forward proxy with CONNECT and a Proxy-Authorization hook.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/support/databases.ts';
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site/index.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { rowsOf } from '../platform/db/database.ts';

const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ENDED = ['completed', 'failed', 'cancelled'];

interface TestProxy {
  url: string;
  /** Paths of the HTTP requests that went through the proxy's tunnels. */
  paths: string[];
  /** CONNECT requests, accepted or not. */
  connects: number;
  close(): Promise<void>;
}

async function startProxy(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const server = createProxy(createServer());
  const proxy: TestProxy = { url: '', paths: [], connects: 0, close: () => new Promise((resolve) => server.close(() => resolve())) };
  if (credentials) {
    const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
    server.authenticate = (request) => request.headers['proxy-authorization'] === expected;
  }
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // After CONNECT the client's bytes are the tunnelled HTTP requests: their request lines name the paths.
  server.prependListener('connect', (_request, socket: Socket) => {
    proxy.connects += 1;
    socket.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString('latin1').matchAll(/^(?:GET|HEAD|POST) (\S+) HTTP\/1\.1\r$/gm)) proxy.paths.push(match[1]!);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.url = credentials ? `http://${credentials.user}:${credentials.password}@127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

/** A port nothing listens on: a dead proxy. */
async function deadProxyUrl(): Promise<string> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe.each(backends)('scrape proxies on $name', (backend) => {
  let hub: TestHub;
  let site: FixtureSite;
  const proxies: TestProxy[] = [];
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const response = await hub.inject({ method, url, headers: hub.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, text: response.body, body: response.body ? response.json() : null };
  };
  const crawl = async (payload: Record<string, unknown>) => {
    const created = await call('POST', '/api/v1/scrapes', { urls: [`${site.url}/`], maxRetries: 0, embeddings: { provider: 'none' }, ...payload });
    expect(created.status).toBe(201);
    for (;;) {
      const { body } = await call('GET', `/api/v1/scrapes/${created.body.id}`);
      if (ENDED.includes(body.status)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const pageRequests = () => site.requests.filter((request) => request.path !== '/robots.txt').map((request) => request.path);
  const reset = () => {
    site.requests.length = 0;
    for (const proxy of proxies) {
      proxy.paths.length = 0;
      proxy.connects = 0;
    }
  };

  beforeAll(async () => {
    site = await startFixtureSite({ pages: 6, fanOut: 3 });
    proxies.push(await startProxy({ user: 'crawler', password: 's3cret-pw' }), await startProxy());
    hub = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_CHROMIUM_PATH: CHROMIUM } });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await site?.close();
    for (const proxy of proxies) await proxy.close();
  });

  it('stores proxy URLs encrypted, answers them masked and names bad ones', async () => {
    const [a, b] = proxies;
    const saved = await call('PUT', '/api/v1/scrapers/settings', { maxPages: 20, proxies: { urls: [a!.url, b!.url], rotation: 'per-request' } });
    expect(saved.status).toBe(200);
    const masked = a!.url.replace('s3cret-pw', '***');
    expect(saved.body.proxies).toEqual({ urls: [masked, b!.url], rotation: 'per-request' });
    const read = await call('GET', '/api/v1/scrapers/settings');
    expect(read.body.proxies).toEqual({ urls: [masked, b!.url], rotation: 'per-request' });
    expect(read.body.defaults).toEqual({ maxPages: 20 });
    for (const text of [saved.text, read.text]) expect(text).not.toContain('s3cret-pw');
    const rows = rowsOf<{ proxies: string }>(await hub.hub.context.db.execute(sql`select proxies from scrape_settings where proxies is not null`));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.proxies).toMatch(/^sbv1\./);
    expect(rows[0]!.proxies).not.toContain('s3cret');
    // Nor in the logs.
    expect(hub.logs.join('\n')).not.toContain('s3cret-pw');

    // Left out: kept as saved (a client sending back what it read does not lose the passwords).
    await call('PUT', '/api/v1/scrapers/settings', { maxPages: 20 });
    expect((await call('GET', '/api/v1/scrapers/settings')).body.proxies.urls).toEqual([masked, b!.url]);

    const bad = await call('PUT', '/api/v1/scrapers/settings', {
      proxies: { urls: ['socks5://127.0.0.1:1080', masked, 'http://10.0.0.1:3128/path', 'http://169.254.169.254:80'], rotation: 'per-request' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('body.proxies.urls.0: must start with http:// or https://');
    expect(bad.text).toContain('body.proxies.urls.1: has a masked password');
    expect(bad.text).toContain('body.proxies.urls.2: must be scheme, credentials, host and port only');
    expect(bad.text).toContain('body.proxies.urls.3: is refused by the SSRF guard');
    const rotation = await call('PUT', '/api/v1/scrapers/settings', { proxies: { urls: [b!.url], rotation: 'sometimes' } });
    expect(rotation.status).toBe(400);
    expect(rotation.text).toContain('rotation');
    // Nothing changed by the refused updates.
    expect((await call('GET', '/api/v1/scrapers/settings')).body.proxies.urls).toEqual([masked, b!.url]);
  });

  it('crawls through the proxies, alternating per request', async () => {
    reset();
    const done = await crawl({});
    expect(done.status).toBe('completed');
    const [a, b] = proxies;
    const fetched = pageRequests();
    expect(fetched.length).toBeGreaterThanOrEqual(6);
    // Every page request went through one of the proxies (robots.txt is fetched directly, see README).
    expect([...a!.paths, ...b!.paths].sort()).toEqual([...fetched].sort());
    // The authenticated proxy accepted the vault's credentials, and the two took turns.
    expect(a!.paths.length).toBeGreaterThan(0);
    expect(b!.paths.length).toBeGreaterThan(0);
    expect(Math.abs(a!.paths.length - b!.paths.length)).toBeLessThanOrEqual(1);
  });

  it('per scrape: keeps one proxy, and moves past a dead one and one that refuses (407)', async () => {
    const [a, b] = proxies;
    const refusing = a!.url.replace('s3cret-pw', 'wrong-pw');
    for (const first of [await deadProxyUrl(), refusing]) {
      reset();
      expect((await call('PUT', '/api/v1/scrapers/settings', { proxies: { urls: [first, b!.url], rotation: 'per-scrape' } })).status).toBe(200);
      const done = await crawl({ maxConcurrency: 1 });
      expect(done.status).toBe('completed');
      // The failing proxy was tried once; every page then went through the next one, which it stuck to.
      expect(b!.paths.sort()).toEqual(pageRequests().sort());
      expect(a!.paths).toEqual([]);
      if (first === refusing) expect(a!.connects).toBe(1);
    }
  });

  it.skipIf(!existsSync(CHROMIUM))('takes the browser engine’s requests through the proxy too', async () => {
    reset();
    const [, b] = proxies;
    await call('PUT', '/api/v1/scrapers/settings', { proxies: { urls: [b!.url], rotation: 'per-scrape' } });
    const done = await crawl({ engine: 'browser', maxPages: 2 });
    expect(done.status).toBe('completed');
    expect(pageRequests().length).toBeGreaterThan(0);
    expect(b!.paths.sort()).toEqual(pageRequests().sort());
  }, 60_000);
});
