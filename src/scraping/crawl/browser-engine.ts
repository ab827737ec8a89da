// The browser engine: pages rendered by the system Chromium (playwright-core), one browser reused across
// pages and replaced after a number of pages, a crash, or a page over its memory or time limit. Chromium
// never touches the network itself: every request it makes is fetched by the outbound client (SSRF guard
// on every hop, redirects included) and handed back, and images, media, fonts and styles are not fetched.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import type { Logger } from 'pino';
import type { OutboundClient, OutboundRequest } from '../../platform/outbound/index.ts';
import type { FetchFailure, FetchOutcome } from './http-engine.ts';
import type { ProxyRoute } from './proxies.ts';

export interface BrowserLimits {
  executablePath: string;
  /** A browser is replaced after rendering this many pages (leaks in long-lived Chromiums add up). */
  pagesPerBrowser: number;
  /** A page whose JavaScript heap grows past this is killed and its browser replaced. */
  maxPageMemoryMb: number;
  /** Pages rendered at once by this process. */
  maxOpenPages: number;
}

export interface RenderOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRetries: number;
  signal?: AbortSignal;
  allowedByRobots?: (url: URL) => Promise<boolean>;
  /** Chromium's requests all go through the outbound client, so through the workspace's proxies too. */
  proxy?: ProxyRoute | null;
}

export interface BrowserStats {
  executablePath: string;
  available: boolean;
  launches: number;
  pagesRendered: number;
  renderFailures: number;
  killedForMemory: number;
  killedForTime: number;
  openPages: number;
  connected: boolean;
  lastLaunchError: string | null;
}

export interface BrowserPool {
  render(url: URL, options: RenderOptions): Promise<FetchOutcome>;
  stats(): BrowserStats;
  close(): Promise<void>;
}

export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'];
const SKIPPED_RESOURCES = new Set(['image', 'media', 'font', 'stylesheet', 'websocket', 'manifest', 'texttrack', 'beacon', 'ping', 'cspreport']);
// Hop-by-hop and encoding headers: the outbound client asks for and returns identity bodies.
const DROPPED_REQUEST_HEADERS = new Set(['accept-encoding', 'connection', 'host', 'content-length', 'cookie']);
const DROPPED_RESPONSE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

interface Generation {
  browser: Browser;
  /** One context per user agent, reused by every page of this browser (a context costs more than a page). */
  contexts: Map<string, Promise<BrowserContext>>;
  served: number;
  open: number;
  retiring: boolean;
}

export function chromiumMissingMessage(path: string): string {
  return `Chromium was not found at ${path}: install it (Debian: apt-get install chromium) or set SWITCHBOARD_CHROMIUM_PATH to its executable.`;
}

export function createBrowserPool(options: { limits: BrowserLimits; outbound: OutboundClient; logger: Logger }): BrowserPool {
  const { limits, outbound, logger } = options;
  let current: Generation | null = null;
  let launching: Promise<Generation> | null = null;
  const stats = { launches: 0, pagesRendered: 0, renderFailures: 0, killedForMemory: 0, killedForTime: 0, lastLaunchError: null as string | null };
  let open = 0;
  const queue: (() => void)[] = [];
  let closed = false;

  async function slot(): Promise<() => void> {
    if (open >= limits.maxOpenPages) await new Promise<void>((resolve) => queue.push(resolve));
    open++;
    return () => {
      open--;
      queue.shift()?.();
    };
  }

  async function launch(): Promise<Generation> {
    const browser = await chromium.launch({ executablePath: limits.executablePath, args: BROWSER_ARGS, headless: true });
    stats.launches++;
    const generation: Generation = { browser, contexts: new Map(), served: 0, open: 0, retiring: false };
    browser.on('disconnected', () => {
      if (current === generation) current = null;
    });
    return generation;
  }

  async function acquire(): Promise<Generation> {
    if (current && current.browser.isConnected() && !current.retiring) return current;
    if (current?.retiring) retire(current);
    current = null;
    launching ??= launch().finally(() => (launching = null));
    current = await launching;
    return current;
  }

  function retire(generation: Generation) {
    generation.retiring = true;
    if (current === generation) current = null;
    if (generation.open === 0) generation.browser.close().catch(() => {});
  }

  async function render(url: URL, renderOptions: RenderOptions): Promise<FetchOutcome> {
    const started = Date.now();
    const fail = (code: string, reason: string, extra: Partial<FetchFailure> = {}): FetchFailure => {
      stats.renderFailures++;
      return { ok: false, outcome: 'failed', code, reason, attempts: 1, ms: Date.now() - started, ...extra };
    };
    if (!existsSync(limits.executablePath)) return fail('browser_unavailable', chromiumMissingMessage(limits.executablePath));
    if (closed) return fail('aborted', 'the browser pool is closed');
    const release = await slot();
    let generation: Generation;
    try {
      generation = await acquire();
    } catch (error) {
      release();
      stats.lastLaunchError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      return fail('browser_unavailable', `Chromium at ${limits.executablePath} did not start: ${stats.lastLaunchError}`);
    }
    generation.open++;
    generation.served++;
    if (generation.served >= limits.pagesPerBrowser) generation.retiring = true;
    let page: Page | null = null;
    // What the outbound client said about the main document, for a failure message that names the cause.
    let documentFailure: FetchFailure | null = null;
    let robotsBlocked: string | null = null;
    const kill = () => page?.close().catch(() => {});
    const timer = setTimeout(() => {
      stats.killedForTime++;
      void kill();
    }, renderOptions.timeoutMs + 2_000);
    renderOptions.signal?.addEventListener('abort', kill, { once: true });
    try {
      let context = generation.contexts.get(renderOptions.userAgent);
      if (!context) {
        context = generation.browser.newContext({ userAgent: renderOptions.userAgent, serviceWorkers: 'block', acceptDownloads: false });
        generation.contexts.set(renderOptions.userAgent, context);
      }
      const opened = await (await context).newPage();
      page = opened;
      await opened.route('**/*', async (route: Route) => {
        const request = route.request();
        const target = new URL(request.url());
        if (!/^https?:$/.test(target.protocol)) return route.continue().catch(() => {});
        if (SKIPPED_RESOURCES.has(request.resourceType())) return route.abort('blockedbyclient').catch(() => {});
        const isDocument = request.isNavigationRequest() && request.frame() === opened.mainFrame();
        if (isDocument && target.origin !== url.origin && renderOptions.allowedByRobots && !(await renderOptions.allowedByRobots(target))) {
          robotsBlocked = target.href;
          return route.abort('blockedbyclient').catch(() => {});
        }
        const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => !DROPPED_REQUEST_HEADERS.has(name.toLowerCase())));
        const outboundRequest: OutboundRequest = {
          url: target,
          method: request.method(),
          headers: { ...headers, 'user-agent': renderOptions.userAgent },
          ...(request.postDataBuffer() ? { body: request.postDataBuffer()! } : {}),
          timeoutMs: renderOptions.timeoutMs,
          maxResponseBytes: renderOptions.maxBytes,
          retry: isDocument ? { maxAttempts: renderOptions.maxRetries + 1, baseDelayMs: 500, maxDelayMs: 10_000 } : { maxAttempts: 1 },
          breakerKey: `scrape:${target.host}`,
          labels: { capability: 'scraping', engine: 'browser' },
          ...(renderOptions.signal ? { signal: renderOptions.signal } : {}),
        };
        const result = renderOptions.proxy ? await renderOptions.proxy.request(outbound, outboundRequest) : await outbound.request(outboundRequest);
        const response = result.ok ? result : result.response;
        if (!response) {
          if (isDocument) documentFailure = fail(result.ok ? 'network' : result.error.code, result.ok ? 'no answer' : result.error.message);
          return route.abort('failed').catch(() => {});
        }
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) continue;
          responseHeaders[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
        }
        return route.fulfill({ status: response.status, headers: responseHeaders, body: response.body }).catch(() => {});
      });
      const response = await opened.goto(url.href, { waitUntil: 'load', timeout: renderOptions.timeoutMs });
      if (robotsBlocked) return { ok: false, outcome: 'blocked', code: 'robots_disallowed', reason: `redirected to ${robotsBlocked}, which robots.txt disallows`, attempts: 1, ms: Date.now() - started };
      if (!response) return documentFailure ?? fail('network', 'the page did not load');
      const status = response.status();
      if (status < 200 || status > 299) return fail(`http_${status}`, `answered ${status}`, { status });
      const heap = await opened.evaluate(() => (globalThis.performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
      if (heap > limits.maxPageMemoryMb * 1024 * 1024) {
        stats.killedForMemory++;
        retire(generation);
        return fail('resource_limit', `the page used ${Math.round(heap / 1048576)} MB of JavaScript heap (limit ${limits.maxPageMemoryMb} MB)`);
      }
      const html = await opened.content();
      stats.pagesRendered++;
      const contentType = (await response.headerValue('content-type')) ?? 'text/html';
      return { ok: true, finalUrl: opened.url(), status, contentType, html, bytes: Buffer.byteLength(html), attempts: 1, ms: Date.now() - started };
    } catch (error) {
      if (renderOptions.signal?.aborted) return fail('aborted', 'cancelled');
      if (documentFailure) return documentFailure;
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      if (/Timeout|closed/i.test(message)) return fail('timeout', `not rendered within ${renderOptions.timeoutMs} ms`);
      logger.warn({ err: message, url: url.href }, 'browser render failed');
      return fail('browser_error', message);
    } finally {
      clearTimeout(timer);
      renderOptions.signal?.removeEventListener('abort', kill);
      await kill();
      generation.open--;
      if (generation.retiring) retire(generation);
      release();
    }
  }

  return {
    render,
    stats: () => ({
      executablePath: limits.executablePath,
      available: existsSync(limits.executablePath),
      ...stats,
      openPages: open,
      connected: current?.browser.isConnected() ?? false,
    }),
    async close() {
      closed = true;
      const generation = current;
      current = null;
      await generation?.browser.close().catch(() => {});
    },
  };
}
