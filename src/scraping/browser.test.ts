// The browser engine on the system Chromium: a page drawn by JavaScript is rendered (engine browser), auto
// escalates only pages whose content is empty over HTTP, and a missing Chromium is named in the error.
import { existsSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../../test/support/databases.ts';
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site/index.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { createOutboundClient, createSsrfGuard } from '../platform/outbound/index.ts';
import { createBrowserPool } from './crawl/browser-engine.ts';

const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('browser engine without Chromium', () => {
  it('says where it looked and how to fix it', async () => {
    const outbound = createOutboundClient({ guard: createSsrfGuard() });
    const pool = createBrowserPool({
      outbound,
      logger: pino({ level: 'silent' }),
      limits: { executablePath: '/nonexistent/chromium', pagesPerBrowser: 5, maxPageMemoryMb: 64, maxOpenPages: 1 },
    });
    const outcome = await pool.render(new URL('https://example.com/'), { userAgent: 'SwitchboardBot', timeoutMs: 1000, maxBytes: 1024, maxRetries: 0 });
    expect(outcome).toMatchObject({ ok: false, code: 'browser_unavailable', reason: expect.stringMatching(/not found at \/nonexistent\/chromium.*SWITCHBOARD_CHROMIUM_PATH/) });
    expect(pool.stats().available).toBe(false);
    await outbound.close();
  });
});

describe.skipIf(!existsSync(CHROMIUM))(`browser engine on ${CHROMIUM}`, () => {
  let hub: TestHub;
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite({ pages: 2 });
    hub = await startTestHub(pgliteBackend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_CHROMIUM_PATH: CHROMIUM } });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await site?.close();
  });

  async function crawl(payload: Record<string, unknown>) {
    const created = await hub.inject({ method: 'POST', url: '/api/v1/scrapes', headers: hub.auth, payload });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    for (;;) {
      const scrape = (await hub.inject({ method: 'GET', url: `/api/v1/scrapes/${id}`, headers: hub.auth })).json();
      if (['completed', 'failed', 'cancelled'].includes(scrape.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pages = (await hub.inject({ method: 'GET', url: `/api/v1/scrapes/${id}/pages`, headers: hub.auth })).json().items;
    return new Map<string, { status: string; engine: string; markdown: string | null }>(pages.map((page: { url: string }) => [new URL(page.url).pathname, page]));
  }

  it('renders pages in Chromium, its requests going through the outbound client', async () => {
    const pages = await crawl({ urls: [`${site.url}/special/script-only`, `${site.url}/page/0`], maxDepth: 0, engine: 'browser' });
    expect(pages.get('/special/script-only')).toMatchObject({ status: 'done', engine: 'browser', markdown: expect.stringContaining('Rendered in the browser') });
    expect(pages.get('/page/0')).toMatchObject({ status: 'done', engine: 'browser' });
    // Chromium fetched nothing itself: the site saw our client's requests, with our user agent.
    expect(site.requestsFor('/special/script-only').every((request) => request.userAgent.startsWith('SwitchboardBot/'))).toBe(true);
  }, 60_000);

  it('escalates to the browser in auto only when the main content is empty over HTTP', async () => {
    const pages = await crawl({ urls: [`${site.url}/special/script-only`, `${site.url}/page/1`], maxDepth: 0, engine: 'auto' });
    expect(pages.get('/special/script-only')).toMatchObject({ status: 'done', engine: 'browser' });
    expect(pages.get('/page/1')).toMatchObject({ status: 'done', engine: 'http' });
    const health = (await hub.inject({ method: 'GET', url: '/api/v1/scrapers/health', headers: hub.auth })).json();
    expect(health.resources.browser).toMatchObject({ available: true, launches: 1 });
    expect(health.resources.browser.pagesRendered).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
