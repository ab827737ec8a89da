// The scrape.page job: one page through the pipeline (robots.txt → politeness → fetch → extract → chunk →
// embed → store). Pages are jobs, so a crawl spreads over every worker and resumes after a restart: a page
// whose worker died is simply run again (its row says it has not ended).
import { sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { defineJob, type JobContext } from '../../platform/jobs/define.ts';
import type { ScrapeOptions } from '../contracts.ts';
import { fetchHtml, type FetchOutcome } from '../crawl/http-engine.ts';
import type { Lease } from '../crawl/politeness.ts';
import { createUrlFilter, normalizeUrl, type UrlVerdict } from '../crawl/url-rules.ts';
import type { ChunkingOptions, PreparedPage } from '../extract/prepare.ts';
import { scrapingRuntime, type ScrapingRuntime } from '../runtime.ts';
import type { PageRef, PageResult } from './complete-page.ts';
import { embedChunks } from './embed-chunks.ts';
import { PAGE_JOB, pageJobDefinition, pagePayload, type PagePayload } from './frontier.ts';
import { createStepReporter } from './step-reporter.ts';

// A granted start further away than this is not slept through: the job is put off until then instead, so a
// site with a long Crawl-delay does not hold a worker's slot.
const MAX_SLEEP_MS = 5_000;
const LEASE_WAIT_MS = 15_000;
// A put-off job is queued this much before its start (the job layer polls every 2 s), then sleeps the rest;
// one that still comes back after its start (plus a little) asks for a new one.
const PUT_OFF_EARLY_MS = 3_000;
const RESERVATION_TOLERANCE_MS = 250;
const RETRY_LIMIT = 2;

interface LoadedPage extends PageRef {
  depth: number;
  scrapeStatus: string;
  options: ScrapeOptions;
}

export function scrapePageJob(hubContext: () => HubContext, concurrency: number) {
  // Jobs fetched (and completed) together: fewer job-table round trips per page on a busy crawl.
  const batchSize = 5;
  return defineJob<PagePayload>({
    name: PAGE_JOB,
    payload: pagePayload,
    // Fetch failures are handled inside (retries with backoff, then a failed page); a job attempt fails
    // only when the worker itself did (database down, crash): then another attempt runs the page again.
    retry: { limit: RETRY_LIMIT, delaySeconds: 5, backoff: true },
    batchSize,
    concurrency: Math.max(1, Math.ceil(concurrency / batchSize)),
    timeoutSeconds: 600,
    retentionDays: 2,
    handler: (payload, context) => runPage(hubContext(), payload, context),
  });
}

const steps = createStepReporter();
const filters = new Map<string, (url: URL) => UrlVerdict>();
const shownDelays = new Set<string>();

async function runPage(hub: HubContext, payload: PagePayload, context: JobContext): Promise<unknown> {
  const runtime = scrapingRuntime(hub);
  const scrape = await scrapeInfo(hub, payload.scrapeId);
  if (!scrape) return { skipped: 'the scrape was deleted' };
  if (scrape.status !== 'queued' && scrape.status !== 'running') return { skipped: `scrape is ${scrape.status}` };
  // A page that already ended (its job run again after a crash) is fetched again but counted once:
  // a page is ended only if it has not ended yet (complete-page.ts).
  const page: LoadedPage = {
    id: payload.pageId,
    scrapeId: payload.scrapeId,
    workspaceId: scrape.workspaceId,
    url: payload.url,
    depth: payload.depth,
    scrapeStatus: scrape.status,
    options: scrape.options,
  };
  try {
    return await processPage(hub, runtime, page, payload, context);
  } catch (error) {
    if (context.signal.aborted || context.attempt < RETRY_LIMIT) throw error;
    // The last attempt: end the page, so the scrape can end too.
    const message = error instanceof Error ? error.message : String(error);
    await runtime.writer.complete({ page, result: { status: 'failed', errorCode: 'internal_error', error: message } });
    return { failed: message };
  }
}

async function processPage(hub: HubContext, runtime: ScrapingRuntime, page: LoadedPage, payload: PagePayload, context: JobContext): Promise<unknown> {
  const { options } = page;
  const { signal } = context;
  const url = new URL(page.url);
  // Pages stay `queued` until they end (one write per page, batched by the page writer): the scrape shows the work.
  if (page.scrapeStatus === 'queued') {
    await hub.db.execute(sql`
      update scrapes set status = 'running', started_at = coalesce(started_at, now()) where id = ${page.scrapeId} and status = 'queued'`);
  }
  steps.report(hub, page.scrapeId, page.depth === 0 ? 'discover' : 'fetch');

  // robots.txt, and the delay it asks for (capped), shown once per host in the scrape.
  let delayMs = options.crawlDelay * 1000;
  const robotsCheck = async (target: URL) => {
    if (!options.respectRobots) return { allowed: true, reason: null as string | null, crawlDelay: undefined as number | undefined };
    const rules = await runtime.robots.rulesFor(target, options.userAgent);
    return { allowed: rules.isAllowed(target), reason: rules.reason, crawlDelay: rules.crawlDelay };
  };
  const robots = await robotsCheck(url);
  if (!robots.allowed) {
    return end(hub, runtime, page, {
      status: 'blocked',
      errorCode: robots.reason ? 'robots_unavailable' : 'robots_disallowed',
      error: robots.reason ?? 'robots.txt disallows this URL',
    });
  }
  if (robots.crawlDelay !== undefined) delayMs = Math.max(delayMs, Math.min(robots.crawlDelay, hub.config.scrapeMaxCrawlDelaySeconds) * 1000);
  await showDelay(hub, page.scrapeId, url.host, delayMs / 1000);

  // Concurrency first (one slot of the scrape, one of the host, across all workers), then the per-host delay
  // (a start reserved in the database), so the spacing granted is the spacing requests actually get.
  const attemptBudgetMs = (options.pageTimeoutSeconds * 1000 + 10_000) * (options.maxRetries + 1) + 30_000;
  let scheduledAt: number | undefined;
  let leases: Lease[] = [];
  try {
    const taken = await runtime.politeness.acquire(
      [
        { key: `scrape:${page.scrapeId}`, limit: options.maxConcurrency.global },
        { key: `host:${url.host}`, limit: options.maxConcurrency.perHost },
      ],
      { ttlMs: attemptBudgetMs, maxWaitMs: LEASE_WAIT_MS, signal },
    );
    if (!taken) {
      signal.throwIfAborted();
      return putOff(hub, page, runtime.clock.now() + 1_000, {});
    }
    leases = taken.leases;
    // A start granted before the job was put off still holds if the job is on time for it; a job that
    // comes back late asks again, or it would start right behind a request reserved after it.
    const kept = payload.reservedAt !== undefined && runtime.clock.now() <= payload.reservedAt + RESERVATION_TOLERANCE_MS;
    const start = kept ? payload.reservedAt! : await runtime.politeness.reserve(url.host, delayMs);
    const wait = start - runtime.clock.now();
    if (wait > MAX_SLEEP_MS) {
      await runtime.politeness.release(leases.splice(0));
      return putOff(hub, page, start - PUT_OFF_EARLY_MS, { reservedAt: start });
    }
    scheduledAt = start;
    if (wait > 0) await runtime.clock.sleep(wait, signal);
    // Slots can take a while to come free: a scrape cancelled meanwhile must not start another fetch.
    if ((taken.waited || wait > 0) && !(await stillRunning(hub, page.scrapeId))) return { skipped: 'scrape ended while waiting' };
    steps.report(hub, page.scrapeId, 'fetch');
    const fetchOptions = {
      userAgent: options.userAgent,
      timeoutMs: options.pageTimeoutSeconds * 1000,
      maxBytes: options.maxPageBytes,
      maxRetries: options.maxRetries,
      signal,
      allowedByRobots: async (target: URL) => (await robotsCheck(target)).allowed,
      proxy: await runtime.proxies.routeFor(page.workspaceId, page.scrapeId),
    };
    let engine: 'http' | 'browser' = options.engine === 'browser' ? 'browser' : 'http';
    let fetched: FetchOutcome = engine === 'browser' ? await runtime.browser.render(url, fetchOptions) : await fetchHtml(hub.outbound, url, fetchOptions);
    signal.throwIfAborted();
    if (!fetched.ok) {
      if (fetched.retryAfterMs !== undefined && context.attempt < RETRY_LIMIT) {
        return putOff(hub, page, runtime.clock.now() + fetched.retryAfterMs, {});
      }
      return end(hub, runtime, page, {
        status: fetched.outcome,
        engine,
        httpStatus: fetched.status ?? null,
        errorCode: fetched.code,
        error: fetched.reason,
        fetchMs: fetched.ms,
        attempts: fetched.attempts,
        scheduledAt,
      });
    }

    steps.report(hub, page.scrapeId, 'extract');
    let prepared = await runtime.extraction.prepare(fetched.html, extractOptions(options, fetched.finalUrl), chunkingFor(options));
    // auto: a page whose main content is empty over HTTP is probably drawn by JavaScript.
    if (options.engine === 'auto' && prepared.page.empty) {
      const rendered = await runtime.browser.render(url, fetchOptions);
      signal.throwIfAborted();
      if (rendered.ok) {
        engine = 'browser';
        fetched = rendered;
        prepared = await runtime.extraction.prepare(rendered.html, extractOptions(options, rendered.finalUrl), chunkingFor(options));
      }
    }
    await runtime.politeness.release(leases.splice(0));
    return await storeExtracted(hub, runtime, page, { engine, fetched, prepared, signal, scheduledAt });
  } finally {
    if (leases.length > 0) await runtime.politeness.release(leases).catch(() => {});
  }
}

async function storeExtracted(
  hub: HubContext,
  runtime: ScrapingRuntime,
  page: LoadedPage,
  input: { engine: string; fetched: Extract<FetchOutcome, { ok: true }>; prepared: PreparedPage; signal: AbortSignal; scheduledAt: number | undefined },
): Promise<unknown> {
  const { options } = page;
  const { fetched } = input;
  const extracted = input.prepared.page;
  const base: PageResult = {
    status: 'done',
    engine: input.engine,
    finalUrl: fetched.finalUrl !== page.url ? fetched.finalUrl : null,
    httpStatus: fetched.status,
    contentType: fetched.contentType,
    title: extracted.title,
    markdown: extracted.markdown,
    contentHash: extracted.contentHash,
    simhash: extracted.simhash,
    fetchMs: fetched.ms,
    attempts: fetched.attempts,
    ...(input.scheduledAt !== undefined ? { scheduledAt: input.scheduledAt } : {}),
    bytes: fetched.bytes,
    empty: extracted.empty,
    products: extracted.products,
    children: page.depth < options.maxDepth ? children(page, extracted.links, fetched.finalUrl) : [],
  };
  if (extracted.noindex) return end(hub, runtime, page, { ...base, status: 'skipped', errorCode: 'noindex', error: 'the page asks not to be indexed (meta robots noindex)' });
  if (extracted.empty) return end(hub, runtime, page, { ...base, status: 'skipped', errorCode: 'empty', error: 'no main content found' });
  // A copy of a page already stored needs no paid embedding calls (the final check is in the transaction).
  if (options.embeddings.provider === 'integration' && (await isKnownContent(hub, page, extracted.contentHash))) return end(hub, runtime, page, base);

  if (options.embeddings.provider !== 'none') {
    steps.report(hub, page.scrapeId, 'chunk');
    const embedded = await embedChunks(hub, runtime, page, input.prepared.chunks ?? [], input.signal, (step) => steps.report(hub, page.scrapeId, step));
    Object.assign(base, embedded);
  }
  steps.report(hub, page.scrapeId, 'store');
  return end(hub, runtime, page, base);
}

function chunkingFor(options: ScrapeOptions): ChunkingOptions | null {
  if (options.embeddings.provider === 'none') return null;
  return { size: options.chunkSize, overlap: options.chunkOverlap, lexical: options.embeddings.provider === 'lexical' };
}

function extractOptions(options: ScrapeOptions, url: string) {
  return { url, includeSelectors: options.includeSelectors, excludeSelectors: options.excludeSelectors, extractProducts: options.extractProducts };
}

function children(page: LoadedPage, links: string[], baseUrl: string) {
  let filter = filters.get(page.scrapeId);
  if (!filter) {
    const seedHosts = page.options.urls.map((raw) => normalizeUrl(raw)?.host).filter((host): host is string => !!host);
    filter = createUrlFilter({ ...page.options, seedHosts });
    if (filters.size > 100) filters.delete(filters.keys().next().value!);
    filters.set(page.scrapeId, filter);
  }
  const found = [];
  for (const link of links) {
    const url = normalizeUrl(link, baseUrl);
    if (url && filter(url).ok) found.push({ url, depth: page.depth + 1 });
  }
  return found;
}

async function isKnownContent(hub: HubContext, page: LoadedPage, hash: string): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await hub.db.execute(sql`select id from scrape_pages where scrape_id = ${page.scrapeId} and content_hash = ${hash} and status = 'done' limit 1`),
  );
  return rows.length > 0;
}

async function end(hub: HubContext, runtime: ScrapingRuntime, page: LoadedPage, result: PageResult): Promise<unknown> {
  const outcome = await runtime.writer.complete({ page: { id: page.id, scrapeId: page.scrapeId, workspaceId: page.workspaceId, url: page.url }, result });
  if (outcome.finished) {
    filters.delete(page.scrapeId);
    steps.forget(page.scrapeId);
    await runtime.politeness.forget(`scrape:${page.scrapeId}`);
  }
  return { status: result.status, ...(result.errorCode ? { reason: result.errorCode } : {}) };
}

/** Runs the page again at `at` as a new job (the current one completes), keeping a reserved start if any. */
async function putOff(hub: HubContext, page: LoadedPage, at: number, extra: Pick<PagePayload, 'reservedAt'>): Promise<unknown> {
  await hub.jobs.send(
    pageJobDefinition(hub.jobs),
    { scrapeId: page.scrapeId, pageId: page.id, url: page.url, depth: page.depth, ...extra },
    { workspaceId: page.workspaceId, startAfter: new Date(at) },
  );
  return { putOffUntil: new Date(at).toISOString() };
}

// Pages of one scrape ask this often at once. A scrape's options never change; a status half a second old is
// recent enough (a cancel also aborts every page job through the job layer within about a second).
const STATUS_TTL_MS = 500;
type ScrapeInfo = { workspaceId: string; options: ScrapeOptions; status: string; at: number };
const scrapes = new Map<string, ScrapeInfo>();
// One query per scrape at a time: the pages that find the status stale together share it.
const refreshing = new Map<string, Promise<ScrapeInfo | undefined>>();

function scrapeInfo(hub: HubContext, scrapeId: string, maxAgeMs = STATUS_TTL_MS): Promise<ScrapeInfo | undefined> {
  const known = scrapes.get(scrapeId);
  if (known && Date.now() - known.at <= maxAgeMs) return Promise.resolve(known);
  let pending = refreshing.get(scrapeId);
  if (!pending) {
    pending = loadScrapeInfo(hub, scrapeId, known).finally(() => refreshing.delete(scrapeId));
    refreshing.set(scrapeId, pending);
  }
  return pending;
}

async function loadScrapeInfo(hub: HubContext, scrapeId: string, known: ScrapeInfo | undefined): Promise<ScrapeInfo | undefined> {
  if (known) {
    const [row] = rowsOf<{ status: string }>(await hub.db.execute(sql`select status from scrapes where id = ${scrapeId}`));
    if (!row) return undefined;
    return Object.assign(known, { status: row.status, at: Date.now() });
  }
  const [row] = rowsOf<{ workspace_id: string; options: ScrapeOptions | string; status: string }>(
    await hub.db.execute(sql`select workspace_id, options, status from scrapes where id = ${scrapeId}`),
  );
  if (!row) return undefined;
  if (scrapes.size > 500) scrapes.delete(scrapes.keys().next().value!);
  const info = { workspaceId: row.workspace_id, options: typeof row.options === 'string' ? (JSON.parse(row.options) as ScrapeOptions) : row.options, status: row.status, at: Date.now() };
  scrapes.set(scrapeId, info);
  return info;
}

// Asked after a wait, right before a fetch would start: a fresher status than for the first look.
const STILL_RUNNING_TTL_MS = 200;

async function stillRunning(hub: HubContext, scrapeId: string): Promise<boolean> {
  const info = await scrapeInfo(hub, scrapeId, STILL_RUNNING_TTL_MS);
  return info?.status === 'running' || info?.status === 'queued';
}

async function showDelay(hub: HubContext, scrapeId: string, host: string, seconds: number) {
  const key = `${scrapeId} ${host}`;
  if (shownDelays.has(key)) return;
  if (shownDelays.size > 10_000) shownDelays.clear();
  shownDelays.add(key);
  await hub.db.execute(sql`
    update scrapes set crawl_delays = crawl_delays || jsonb_build_object(${host}::text, ${seconds}::float8) where id = ${scrapeId}`);
}
