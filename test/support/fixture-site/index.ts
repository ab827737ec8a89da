// A generated website on 127.0.0.1 for scraping tests and benchmarks: N linked articles, a robots.txt that
// tests control (rules, Crawl-delay, or a 404/503 answer), special pages (products, duplicates, a flaky page,
// a slow page, a PDF, a script-drawn page, a redirect) and a log of every request in arrival order.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { articlePage, duplicatePage, layout, productJsonLd, productMicrodata, scriptOnlyPage, sentence } from './content.ts';

export interface FixtureRequest {
  path: string;
  userAgent: string;
  /** Milliseconds since the site started, from a monotonic clock. */
  at: number;
  /** The client hung up before the answer was complete (a cancelled fetch). */
  aborted: boolean;
}

export interface FixtureSiteOptions {
  /** Articles at /page/0 … /page/N-1. Default 20. */
  pages?: number;
  /** Links from each article to the next ones (a tree of this fan-out under the home page). Default 5. */
  fanOut?: number;
  /** robots.txt: its body, or a status to answer instead. Default: disallow /private/. */
  robots?: { body: string } | { status: number };
  /** Link the special pages from the home page. Default false. */
  special?: boolean;
  /** How many times /special/flaky answers 503 before it works. Default 2. */
  flakyFailures?: number;
  /** Milliseconds /special/slow waits before answering. Default 10,000. */
  slowMs?: number;
  /** Added to every answer, in milliseconds. Default 0. */
  latencyMs?: number;
}

export interface FixtureSite {
  url: string;
  host: string;
  requests: FixtureRequest[];
  /** Requests for one path, in arrival order. */
  requestsFor(path: string): FixtureRequest[];
  setRobots(robots: FixtureSiteOptions['robots']): void;
  close(): Promise<void>;
}

export const DEFAULT_ROBOTS = 'User-agent: *\nDisallow: /private/\n';

export const SPECIAL_PATHS = [
  '/special/products-jsonld',
  '/special/products-graph',
  '/special/products-array',
  '/special/products-microdata',
  '/special/duplicate-a',
  '/special/duplicate-b',
  '/special/near-a',
  '/special/near-b',
  '/special/flaky',
  '/special/file.pdf',
  '/special/script-only',
  '/special/redirect',
  '/special/missing',
  '/private/secret',
] as const;

export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const pages = options.pages ?? 20;
  const fanOut = options.fanOut ?? 5;
  let robots = options.robots ?? { body: DEFAULT_ROBOTS };
  const requests: FixtureRequest[] = [];
  const started = performance.now();
  let flakyLeft = options.flakyFailures ?? 2;

  const childrenOf = (index: number) => {
    const links: string[] = [];
    for (let child = index * fanOut + 1; child <= index * fanOut + fanOut && child < pages; child++) links.push(`/page/${child}`);
    return links;
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    const entry: FixtureRequest = { path, userAgent: String(request.headers['user-agent'] ?? ''), at: performance.now() - started, aborted: false };
    requests.push(entry);
    response.on('close', () => {
      if (!response.writableFinished) entry.aborted = true;
    });
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const html = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    };

    if (path === '/robots.txt') {
      if ('status' in robots) {
        response.writeHead(robots.status, { 'content-type': 'text/plain' });
        response.end(`status ${robots.status}`);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(robots.body);
      return;
    }
    if (path === '/') {
      const links = ['/page/0', ...(options.special ? SPECIAL_PATHS : [])];
      return html(200, layout('Fixture home', `<article><h1>Fixture home</h1><p>${sentence(1, 40)}</p><ul>${links.map((href) => `<li><a href="${href}">${href}</a></li>`).join('')}</ul></article>`));
    }
    if (path === '/about') {
      return html(200, layout('About', `<article><h1>About the fixture</h1><p>${sentence(2, 50)}</p><p>${sentence(3, 50)}</p></article>`));
    }
    const article = /^\/page\/(\d+)$/.exec(path);
    if (article) {
      const index = Number(article[1]);
      if (index >= pages) return html(404, layout('Not found', '<p>No such page.</p>'));
      return html(200, articlePage(index, childrenOf(index)));
    }
    switch (path) {
      case '/special/products-jsonld':
        return html(200, productJsonLd('single'));
      case '/special/products-graph':
        return html(200, productJsonLd('graph'));
      case '/special/products-array':
        return html(200, productJsonLd('array'));
      case '/special/products-microdata':
        return html(200, productMicrodata());
      case '/special/duplicate-a':
      case '/special/duplicate-b':
        return html(200, duplicatePage(path.slice(-1), '1 May 2026'));
      case '/special/near-a':
        return html(200, duplicatePage('near', '2 May 2026'));
      case '/special/near-b':
        return html(200, duplicatePage('near', '3 May 2026'));
      case '/special/flaky':
        if (flakyLeft > 0) {
          flakyLeft--;
          response.writeHead(503, { 'content-type': 'text/plain' });
          response.end('try again');
          return;
        }
        return html(200, layout('Flaky', `<article><h1>Flaky but fine</h1><p>${sentence(4000, 50)}</p><p>${sentence(4001, 50)}</p></article>`));
      case '/special/slow':
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, options.slowMs ?? 10_000);
          response.on('close', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        if (response.destroyed) return;
        return html(200, layout('Slow', `<article><h1>Slow</h1><p>${sentence(4100, 50)}</p></article>`));
      case '/special/file.pdf':
        response.writeHead(200, { 'content-type': 'application/pdf' });
        response.end('%PDF-1.4 not really');
        return;
      case '/special/script-only':
        return html(200, scriptOnlyPage());
      case '/special/redirect':
        response.writeHead(302, { location: '/special/products-jsonld' });
        response.end();
        return;
      case '/private/secret':
        return html(200, layout('Secret', `<article><h1>Secret</h1><p>${sentence(4200, 50)}</p></article>`));
      default:
        return html(404, layout('Not found', '<p>No such page.</p>'));
    }
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  // Keep-alive sockets would hold close() open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}`,
    host,
    requests,
    requestsFor: (path) => requests.filter((request) => request.path === path),
    setRobots(next) {
      robots = next ?? { body: DEFAULT_ROBOTS };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
