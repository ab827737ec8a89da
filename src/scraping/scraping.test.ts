// The scraping API end to end on every database backend, against generated local sites: robots.txt rules
// (5xx → nothing fetched), Crawl-delay, include/exclude and depth, duplicates, products, a flaky page,
// cancellation, options validation, workspace defaults, progress events, search, re-runs and health.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, pgliteBackend } from '../../test/support/databases.ts';
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site/index.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { rowsOf } from '../platform/db/database.ts';

const ENDED = ['completed', 'failed', 'cancelled'];

function client(hub: TestHub) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await hub.inject({ method, url, headers: hub.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, body: response.body ? response.json() : null };
  };
  return {
    call,
    async start(payload: Record<string, unknown>) {
      const created = await call('POST', '/api/v1/scrapes', payload);
      if (created.status !== 201) throw new Error(`POST /api/v1/scrapes answered ${created.status}: ${JSON.stringify(created.body)}`);
      return created.body as { id: string };
    },
    async waitForEnd(id: string) {
      for (;;) {
        const { body } = await call('GET', `/api/v1/scrapes/${id}`);
        if (ENDED.includes(body.status)) return body;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async pages(id: string) {
      const { body } = await call('GET', `/api/v1/scrapes/${id}/pages?limit=200`);
      return body.items as { id: string; url: string; status: string; errorCode: string | null; attempts: number; duplicateOf: string | null; markdown: string | null }[];
    },
  };
}

describe.each(backends)('scraping on $name', (backend) => {
  let hub: TestHub;
  let api: ReturnType<typeof client>;
  const sites: FixtureSite[] = [];
  const site = async (options: Parameters<typeof startFixtureSite>[0]) => {
    const started = await startFixtureSite(options);
    sites.push(started);
    return started;
  };
  const pathOf = (url: string) => new URL(url).pathname;

  beforeAll(async () => {
    hub = await startTestHub(backend, {
      // The fixture sites listen on loopback; robots.txt Crawl-delays are capped at 1 s to keep tests short.
      env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_SCRAPE_MAX_CRAWL_DELAY_SECONDS: '1' },
    });
    api = client(hub);
  });
  afterAll(async () => {
    await hub?.stop();
    for (const started of sites) await started.close();
  });

  it('crawls a site into Markdown, products and chunks, politely and without duplicates', async () => {
    const fixture = await site({ pages: 8, special: true });
    const { id } = await api.start({ urls: [`${fixture.url}/`], maxPages: 50 });
    const done = await api.waitForEnd(id);
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ percentage: 100, etaSeconds: 0 });
    expect(done.progress.processed).toBe(done.progress.total);
    expect(done.crawlDelays).toEqual({ [fixture.host]: 0 });

    const pages = new Map((await api.pages(id)).map((page) => [pathOf(page.url), page]));
    expect(pages.get('/page/7')?.status).toBe('done');
    expect(pages.get('/page/0')?.markdown).toContain('| Sample | Value | Unit |');
    // robots.txt disallows /private/: never requested.
    expect(pages.get('/private/secret')).toMatchObject({ status: 'blocked', errorCode: 'robots_disallowed' });
    expect(fixture.requestsFor('/private/secret')).toHaveLength(0);
    // Two 503s, then content: retried with backoff, three HTTP attempts.
    expect(pages.get('/special/flaky')).toMatchObject({ status: 'done', attempts: 3 });
    expect(fixture.requestsFor('/special/flaky')).toHaveLength(3);
    // No retry for a 404 or a PDF.
    expect(pages.get('/special/missing')).toMatchObject({ status: 'failed', errorCode: 'http_404', attempts: 1 });
    expect(pages.get('/special/file.pdf')).toMatchObject({ status: 'skipped', errorCode: 'unsupported_content_type' });
    expect(fixture.requestsFor('/special/missing')).toHaveLength(1);
    // The same story under four URLs (two identical, two with another date): kept once.
    const copies = ['/special/duplicate-a', '/special/duplicate-b', '/special/near-a', '/special/near-b'].map((path) => pages.get(path)!);
    const kept = copies.filter((page) => page.status === 'done');
    expect(kept).toHaveLength(1);
    for (const copy of copies.filter((page) => page !== kept[0])) expect(copy).toMatchObject({ status: 'duplicate', duplicateOf: kept[0]!.id });
    // A redirect and its target: one page of content.
    expect([pages.get('/special/redirect')!.status, pages.get('/special/products-jsonld')!.status].sort()).toEqual(['done', 'duplicate']);
    // Every request said who we are.
    expect(fixture.requests.every((request) => request.userAgent.startsWith('SwitchboardBot/'))).toBe(true);

    const products = (await api.call('GET', `/api/v1/scrapes/${id}/products`)).body.items as { name: string; price: number | null; currency: string | null }[];
    expect(products.map((product) => product.name).sort()).toEqual(['Copper Widget', 'Ember Kettle', 'Falcon Mug', 'Quartz Lamp', 'Willow Basket']);
    expect(products.find((product) => product.name === 'Quartz Lamp')).toMatchObject({ price: 1299, currency: 'EUR' });

    const chunks = (await api.call('GET', `/api/v1/scrapes/${id}/chunks?limit=200`)).body.items as { url: string; headingPath: string[]; embeddingModel: string }[];
    expect(chunks.length).toBeGreaterThan(8);
    expect(chunks.every((chunk) => chunk.embeddingModel === 'lexical-hash-384-v1')).toBe(true);
    expect(chunks.some((chunk) => chunk.headingPath.some((heading) => heading.startsWith('Measurements of')))).toBe(true);

    const events = rowsOf<{ type: string; payload: { scrapeId: string; pages: number } }>(
      await hub.hub.context.db.execute(sql`select type, payload from events where payload->>'scrapeId' = ${id}`),
    );
    expect(events).toEqual([{ type: 'scrape.completed', payload: expect.objectContaining({ scrapeId: id, pages: done.progress.succeeded }) }]);
  });

  it('fetches nothing when robots.txt answers 5xx, and fails the scrape saying why', async () => {
    const fixture = await site({ pages: 3, robots: { status: 503 } });
    const { id } = await api.start({ urls: [`${fixture.url}/`, `${fixture.url}/page/1`] });
    const done = await api.waitForEnd(id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/robots\.txt answered 503: nothing is crawled/);
    expect(done.progress).toMatchObject({ blocked: 2, succeeded: 0 });
    expect(new Set(fixture.requests.map((request) => request.path))).toEqual(new Set(['/robots.txt']));
    const events = rowsOf<{ type: string }>(await hub.hub.context.db.execute(sql`select type from events where payload->>'scrapeId' = ${id}`));
    expect(events.map((event) => event.type)).toEqual(['scrape.failed']);
  });

  it('crawls everything when robots.txt answers 4xx', async () => {
    const fixture = await site({ pages: 1, robots: { status: 404 } });
    const { id } = await api.start({ urls: [`${fixture.url}/private/secret`], maxDepth: 0 });
    expect((await api.waitForEnd(id)).progress.succeeded).toBe(1);
    expect(fixture.requestsFor('/private/secret')).toHaveLength(1);
  });

  it('spaces requests to a host by its Crawl-delay (capped), and shows it', async () => {
    const fixture = await site({ pages: 4, robots: { body: 'User-agent: *\nCrawl-delay: 5\n' } });
    const urls = [0, 1, 2].map((index) => `${fixture.url}/page/${index}`);
    const { id } = await api.start({ urls, maxDepth: 0, maxConcurrency: { global: 8, perHost: 4 } });
    const done = await api.waitForEnd(id);
    // Asked for 5 s; the hub's cap (1 s here) applies.
    expect(done.crawlDelays).toEqual({ [fixture.host]: 1 });
    const granted = rowsOf<{ url: string; scheduled_at: string | Date }>(
      await hub.hub.context.db.execute(sql`select url, scheduled_at from scrape_pages where scrape_id = ${id} order by scheduled_at`),
    );
    const starts = granted.map((row) => new Date(row.scheduled_at).getTime());
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
    // The site saw the pages in the order they were granted.
    const seen = fixture.requests.filter((request) => request.path.startsWith('/page/')).map((request) => request.path);
    expect(seen).toEqual(granted.map((row) => pathOf(row.url)));
  });

  it('follows include/exclude patterns, depth and maxPages', async () => {
    const fixture = await site({ pages: 30, fanOut: 3 });
    const { id } = await api.start({ urls: [`${fixture.url}/`], maxDepth: 2, includePatterns: ['/page/**'], excludePatterns: ['/page/2'] });
    await api.waitForEnd(id);
    expect((await api.pages(id)).map((page) => pathOf(page.url)).sort()).toEqual(['/', '/page/0', '/page/1', '/page/3']);

    const capped = await api.start({ urls: [`${fixture.url}/`], maxPages: 3 });
    const done = await api.waitForEnd(capped.id);
    expect(done.progress.total).toBe(3);
    expect(await api.pages(capped.id)).toHaveLength(3);
  });

  it('cancels a scrape: the fetch in flight is aborted and nothing more starts', async () => {
    const fixture = await site({ pages: 3, slowMs: 120_000 });
    const { id } = await api.start({ urls: [`${fixture.url}/special/slow`, `${fixture.url}/page/0`], maxConcurrency: { global: 1, perHost: 1 } });
    while (fixture.requestsFor('/special/slow').length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const requestsBeforeCancel = fixture.requests.length;
    const cancelled = await api.call('DELETE', `/api/v1/scrapes/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // The worker learns of it through the job layer and aborts the request.
    while (!fixture.requestsFor('/special/slow')[0]!.aborted) await new Promise((resolve) => setTimeout(resolve, 50));
    // With one slot, no other page was in flight, and none starts once the slot is free again (a second is
    // time for a page job that was waiting for the slot to take it). A page fetched before the cancel whose
    // end was not committed yet is cancelled too: its content is dropped.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fixture.requests.slice(requestsBeforeCancel)).toEqual([]);
    const pages = await api.pages(id);
    expect(pages.find((page) => pathOf(page.url) === '/special/slow')?.status).toBe('cancelled');
    expect(pages.every((page) => page.status === 'cancelled' || page.status === 'done')).toBe(true);
    expect((await api.call('DELETE', `/api/v1/scrapes/${id}`)).status).toBe(409);
  });

  it('validates every option with a message naming the field', async () => {
    const { status, body } = await api.call('POST', '/api/v1/scrapes', {
      urls: ['ftp://example.com/file', 'http://169.254.169.254/latest/meta-data'],
      chunkSize: 500,
      chunkOverlap: 300,
      includeSelectors: ['[['],
      excludePatterns: ['regex:('],
      embeddings: { provider: 'integration' },
    });
    expect(status).toBe(400);
    const fields = (body.error.details as { field: string; message: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(['body.chunkOverlap', 'body.embeddings.integrationId', 'body.excludePatterns.0', 'body.includeSelectors.0', 'body.urls.0', 'body.urls.1']);
    expect(body.error.message).toMatch(/body\.urls\.1: is refused by the SSRF guard: .*169\.254/);
    const schema = await api.call('POST', '/api/v1/scrapes', { urls: [], maxPages: 0, engine: 'fast' });
    expect(schema.status).toBe(400);
    expect(schema.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['body.engine', 'body.maxPages', 'body.urls']);
  });

  it('applies the workspace defaults to fields a scrape leaves out', async () => {
    const fixture = await site({ pages: 10 });
    expect((await api.call('PUT', '/api/v1/scrapers/settings', { maxPages: 2, chunkSize: 300, chunkOverlap: 30 })).status).toBe(200);
    try {
      const { id } = await api.start({ urls: [`${fixture.url}/`] });
      const done = await api.waitForEnd(id);
      expect(done.options).toMatchObject({ maxPages: 2, chunkSize: 300, chunkOverlap: 30, maxDepth: 3 });
      expect(done.progress.total).toBe(2);
      const own = await api.start({ urls: [`${fixture.url}/`], maxPages: 4 });
      expect((await api.waitForEnd(own.id)).progress.total).toBe(4);
      const bad = await api.call('PUT', '/api/v1/scrapers/settings', { chunkSize: 200, chunkOverlap: 150 });
      expect(bad.status).toBe(400);
    } finally {
      await api.call('PUT', '/api/v1/scrapers/settings', {});
    }
  });

  it('streams progress as Server-Sent Events until the scrape ends', async () => {
    const fixture = await site({ pages: 6 });
    const { id } = await api.start({ urls: [`${fixture.url}/`] });
    const response = await fetch(`${hub.hub.url}/api/v1/scrapes/${id}/events`, { headers: hub.auth });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const events = text.split('\n\n').filter((block) => block.startsWith('event: '));
    expect(events.at(-1)).toMatch(/^event: end\ndata: .*"status":"completed"/);
    const progress = events.filter((block) => block.startsWith('event: progress')).map((block) => JSON.parse(block.split('data: ')[1]!));
    expect(progress.at(-1)).toMatchObject({ id, status: 'completed', progress: { percentage: 100 } });
  });

  it('searches chunks by vector and full text, and re-runs embed only what changed', async () => {
    const fixture = await site({ pages: 2, special: true });
    const { id } = await api.start({ urls: [`${fixture.url}/`], maxPages: 30 });
    const first = await api.waitForEnd(id);
    const search = await api.call('POST', '/api/v1/search', { query: 'Willow Basket', k: 3, scrapeId: id });
    expect(search.status).toBe(200);
    expect(search.body.model).toBe('lexical-hash-384-v1');
    expect(pathOf(search.body.items[0].url)).toBe('/special/products-microdata');
    expect(search.body.items[0].similarity).toBeGreaterThan(0);
    expect(search.body.items[0].textRank).toBeGreaterThan(0);

    const rerun = await api.call('POST', `/api/v1/scrapes/${id}/rerun`);
    expect(rerun.status).toBe(201);
    const second = await api.waitForEnd(rerun.body.id);
    expect(second.rerunOf).toBe(id);
    // Which of four near-identical pages is kept may differ between runs; every other chunk is unchanged.
    const hashesOf = async (scrapeId: string) =>
      ((await api.call('GET', `/api/v1/scrapes/${scrapeId}/chunks?limit=200`)).body.items as { contentHash: string }[]).map((chunk) => chunk.contentHash);
    const before = new Set(await hashesOf(id));
    const changed = (await hashesOf(rerun.body.id)).filter((hash) => !before.has(hash));
    expect(second.progress.embedded).toBeLessThanOrEqual(changed.length);
    expect(changed.length).toBeLessThanOrEqual(2);
    expect(second.progress.chunks).toBeGreaterThan(first.progress.chunks / 2);
    // Workspace-wide search shows each content once, though two scrapes hold it.
    const all = await api.call('POST', '/api/v1/search', { query: 'Willow Basket', k: 5 });
    const hashes = all.body.items.map((item: { contentHash: string }) => item.contentHash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('reports scraper health per engine and per site', async () => {
    const { status, body } = await api.call('GET', '/api/v1/scrapers/health');
    expect(status).toBe(200);
    const http = body.engines.find((group: { key: string }) => group.key === 'http');
    expect(http).toMatchObject({ state: expect.stringMatching(/healthy|degraded|down/) });
    expect(http.pages).toBeGreaterThan(10);
    expect(http.blocked).toBeGreaterThan(0);
    expect(http.statuses['200']).toBeGreaterThan(0);
    expect(body.sites.length).toBeGreaterThan(3);
    expect(body.resources.vectorStore).toBe('portable');
  });
});

describe('without SWITCHBOARD_ALLOW_PRIVATE_NETWORKS', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(pgliteBackend);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses a loopback URL with a clear 400', async () => {
    const response = await hub.inject({ method: 'POST', url: '/api/v1/scrapes', headers: hub.auth, payload: { urls: ['http://127.0.0.1:9/'] } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'body.urls.0', message: expect.stringMatching(/refused by the SSRF guard: .*127\.0\.0\.1.*SWITCHBOARD_ALLOW_PRIVATE_NETWORKS/) }],
    });
  });
});
