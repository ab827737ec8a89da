// The transaction that ends pages: for a batch of pages (from any scrapes), their final states and content,
// products, chunks, vectors, the links they add to the frontier, each scrape's counters and smoothed rate, and,
// for a scrape whose last page this is, its end with its scrape.completed or scrape.failed event. Each scrape's
// row is locked once per batch (scrapes in id order, so two batches cannot deadlock), which makes the duplicate
// check and the end exact: batches of one scrape commit one after another, pages inside a batch are cheap.
import { sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import { rowsOf, type Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { emitEvent } from '../../webhooks/index.ts';
import type { Chunk } from '../chunk/chunker.ts';
import type { Product } from '../extract/products.ts';
import type { ScrapingRuntime } from '../runtime.ts';
import { scrapeChunks, scrapePageBands, scrapeProducts, type PageStatus } from '../tables.ts';
import { hammingDistance, NEAR_DUPLICATE_BITS, simhashBands } from '../extract/fingerprint.ts';
import { addPages, toArray, type Candidate } from './frontier.ts';

export interface PageResult {
  status: Exclude<PageStatus, 'queued' | 'cancelled'>;
  engine?: string | null;
  finalUrl?: string | null;
  httpStatus?: number | null;
  contentType?: string | null;
  title?: string | null;
  markdown?: string | null;
  contentHash?: string | null;
  simhash?: bigint | null;
  errorCode?: string | null;
  error?: string | null;
  fetchMs?: number | null;
  /** The start the politeness layer granted (epoch ms). */
  scheduledAt?: number;
  /** HTTP attempts of the fetch (retries included). */
  attempts?: number;
  bytes?: number | null;
  empty?: boolean;
  products?: Product[];
  chunks?: (Chunk & { contentHash: string; embeddingModel: string | null })[];
  vectors?: { contentHash: string; vector: number[] }[];
  embeddingModel?: string | null;
  children?: Candidate[];
}

export interface PageRef {
  id: string;
  scrapeId: string;
  workspaceId: string;
  url: string;
}

export interface PageCompletion {
  page: PageRef;
  result: PageResult;
}

export interface CompletionOutcome {
  /** This batch ended the scrape (its last page ended here). */
  finished: boolean;
  /** The page's content was stored (not a duplicate, not ended before). */
  stored: boolean;
}

interface LockedScrape {
  status: string;
  url: string;
  discovered: number;
  processed: number;
  rate_per_second: number | null;
  progress_at: string | Date | null;
  max_pages: number;
}

// Weight of the newest interval in the smoothed rate: high enough to follow a crawl speeding up after
// robots.txt and first pages, low enough that one slow batch does not swing the ETA.
const RATE_SMOOTHING = 0.2;

/** Ends a batch of pages in one transaction; the outcomes are in the order of `completions`. */
export async function completePages(hub: HubContext, runtime: ScrapingRuntime, completions: PageCompletion[]): Promise<CompletionOutcome[]> {
  const outcomes = completions.map(() => ({ finished: false, stored: false }));
  const byScrape = new Map<string, number[]>();
  completions.forEach((completion, index) => {
    const indexes = byScrape.get(completion.page.scrapeId) ?? [];
    indexes.push(index);
    byScrape.set(completion.page.scrapeId, indexes);
  });
  await hub.db.transaction(async (tx) => {
    for (const scrapeId of [...byScrape.keys()].sort()) {
      const indexes = byScrape.get(scrapeId)!;
      const results = await completeScrapePages(
        hub,
        runtime,
        tx,
        indexes.map((index) => completions[index]!),
      );
      indexes.forEach((index, position) => (outcomes[index] = results[position]!));
    }
  });
  return outcomes;
}

/** Ends one page on its own (the batched path with a batch of one). */
export async function completePage(hub: HubContext, runtime: ScrapingRuntime, page: PageRef, result: PageResult): Promise<CompletionOutcome> {
  return (await completePages(hub, runtime, [{ page, result }]))[0]!;
}

async function completeScrapePages(hub: HubContext, runtime: ScrapingRuntime, tx: Queryable, completions: PageCompletion[]): Promise<CompletionOutcome[]> {
  const none = completions.map(() => ({ finished: false, stored: false }));
  const { scrapeId, workspaceId } = completions[0]!.page;
  // The lock comes first: the duplicate lookup below then runs on a snapshot that sees every batch of this
  // scrape committed before it (in the locking statement itself the snapshot predates the lock).
  const [scrape] = rowsOf<LockedScrape>(
    await tx.execute(sql`
      select status, url, discovered, processed, rate_per_second, progress_at, (options->>'maxPages')::int as max_pages
      from scrapes where id = ${scrapeId} for update`),
  );
  if (!scrape) return none;
  const now = new Date(runtime.clock.now());
  const duplicates = await findDuplicates(tx, scrapeId, completions);

  const rows = completions.map(({ page, result }, index) => {
    const duplicateOf = duplicates[index] ?? null;
    const status: PageStatus = duplicateOf ? 'duplicate' : result.status;
    return {
      id: page.id,
      status,
      duplicate_of: duplicateOf,
      engine: result.engine ?? null,
      final_url: result.finalUrl ?? null,
      http_status: result.httpStatus ?? null,
      content_type: result.contentType ?? null,
      title: result.title ?? null,
      markdown: status === 'done' ? (result.markdown ?? null) : null,
      content_hash: result.contentHash ?? null,
      // As text: JSON numbers cannot carry 64 bits.
      simhash: result.simhash === null || result.simhash === undefined ? null : result.simhash.toString(),
      error_code: result.errorCode ?? null,
      error: result.error ?? null,
      fetch_ms: result.fetchMs ?? null,
      attempts: result.attempts ?? 0,
      bytes: result.bytes ?? null,
      empty: result.empty ?? false,
      scheduled_at: result.scheduledAt === undefined ? null : new Date(result.scheduledAt).toISOString(),
    };
  });
  // Pages already ended (the scrape was cancelled, or another attempt finished them) are left as they are
  // and counted nowhere. Found by id only (ids are unique; the scrape is not matched, which could lead the
  // planner onto the index of the scrape's queued pages).
  const updated = rowsOf<{ id: string; status: PageStatus }>(
    await tx.execute(sql`
      update scrape_pages p set
        status = r.status, duplicate_of = r.duplicate_of, engine = r.engine, final_url = r.final_url, http_status = r.http_status,
        content_type = r.content_type, title = r.title, markdown = r.markdown, content_hash = r.content_hash, simhash = r.simhash,
        error_code = r.error_code, error = r.error, fetch_ms = r.fetch_ms, attempts = r.attempts, bytes = r.bytes, empty = r.empty,
        fetched_at = ${now.toISOString()}::timestamptz, scheduled_at = r.scheduled_at
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(
        id uuid, status text, duplicate_of uuid, engine text, final_url text, http_status int, content_type text, title text,
        markdown text, content_hash text, simhash bigint, error_code text, error text, fetch_ms int, attempts int, bytes int,
        empty boolean, scheduled_at timestamptz)
      where p.id = r.id and p.id = any(${toArray(rows.map((row) => row.id))}::uuid[]) and p.status = 'queued'
      returning p.id, p.status`),
  );
  if (updated.length === 0) return none;
  const ended = new Map(updated.map((row) => [row.id, row.status]));
  const stored = completions.filter(({ page }) => ended.get(page.id) === 'done');

  const products = await insertProducts(tx, stored);
  const chunks = await insertChunks(tx, stored);
  const embedded = await upsertVectors(tx, runtime, stored);
  await insertBands(tx, scrapeId, stored);
  const children = stored.flatMap(({ result }) => result.children ?? []);
  const added = await addPages(hub.jobs, tx, { id: scrapeId, workspaceId, maxPages: Number(scrape.max_pages) }, children, {
    discovered: Number(scrape.discovered),
    status: scrape.status,
  });

  const previousAt = scrape.progress_at ? new Date(scrape.progress_at).getTime() : null;
  const interval = previousAt === null ? null : Math.max(1, now.getTime() - previousAt);
  const instant = interval === null ? null : (updated.length * 1000) / interval;
  const rate =
    instant === null ? null : scrape.rate_per_second === null ? instant : RATE_SMOOTHING * instant + (1 - RATE_SMOOTHING) * Number(scrape.rate_per_second);
  const count = (wanted: PageStatus) => updated.filter((row) => row.status === wanted).length;
  const [counters] = rowsOf<{ processed: number; discovered: number; succeeded: number; failed: number; blocked: number; status: string }>(
    await tx.execute(sql`
      update scrapes set
        processed = processed + ${updated.length}, discovered = discovered + ${added}, succeeded = succeeded + ${count('done')},
        failed = failed + ${count('failed')}, blocked = blocked + ${count('blocked')}, skipped = skipped + ${count('skipped')},
        duplicates = duplicates + ${count('duplicate')}, products = products + ${products}, chunks = chunks + ${chunks},
        embedded = embedded + ${embedded}, rate_per_second = ${rate}, progress_at = ${now.toISOString()}::timestamptz,
        status = case when status = 'queued' then 'running' else status end,
        started_at = coalesce(started_at, ${now.toISOString()}::timestamptz)
      where id = ${scrapeId}
      returning processed, discovered, succeeded, failed, blocked, status`),
  );
  const outcomes = completions.map(({ page }) => ({ finished: false, stored: ended.get(page.id) === 'done' }));
  if (!counters || counters.status !== 'running' || Number(counters.processed) < Number(counters.discovered)) return outcomes;
  await finishScrape(hub, tx, { id: scrapeId, workspaceId, url: scrape.url, now, ...counters });
  return outcomes.map((outcome) => ({ ...outcome, finished: true }));
}

/**
 * For each page with content, the first page of the scrape it duplicates: an earlier stored page (or one
 * earlier in this batch) with the same content hash or a SimHash at most NEAR_DUPLICATE_BITS away. Earlier
 * pages are found through the hash index and the SimHash bands, so the cost does not grow with the scrape.
 */
async function findDuplicates(tx: Queryable, scrapeId: string, completions: PageCompletion[]): Promise<(string | null)[]> {
  const found: (string | null)[] = completions.map(() => null);
  const withContent = completions.filter(({ result }) => result.status === 'done' && result.contentHash);
  if (withContent.length === 0) return found;
  const hashes = [...new Set(withContent.map(({ result }) => result.contentHash!))];
  const bands = [...new Set(withContent.flatMap(({ result }) => (result.simhash === null || result.simhash === undefined ? [] : simhashBands(result.simhash))))];
  // Written so that the only plans are index lookups whatever the statistics say (the embedded database has no
  // autovacuum, so they are often stale): the status is checked here, not in SQL, where it would tempt the
  // planner onto the (scrape, status) index, which walks every stored page of the scrape. The SimHash comes as
  // text: node-postgres reads bigint as a JavaScript number, which cannot hold 64 bits.
  const rows = rowsOf<{ id: string; status: string; content_hash: string | null; simhash: string | null; created_at: string | Date }>(
    await tx.execute(sql`
      select p.id, p.status, p.content_hash, p.simhash::text as simhash, p.created_at from scrape_pages p
      where p.scrape_id = ${scrapeId} and p.content_hash = any(${toArray(hashes)}::text[])
      union
      select p.id, p.status, p.content_hash, p.simhash::text as simhash, p.created_at from scrape_page_bands b join scrape_pages p on p.id = b.page_id
      where b.scrape_id = ${scrapeId} and b.band = any(${`{${bands.join(',')}}`}::int[])`),
  );
  // A page of this batch that shows up already ended was run again (its worker died after the commit): it
  // is left as it is, so it cannot become the original of another.
  const ended = new Set(rows.filter((row) => row.status !== 'queued').map((row) => row.id));
  const kept = rows
    .filter((row) => row.status === 'done')
    .sort((x, y) => new Date(x.created_at).getTime() - new Date(y.created_at).getTime() || (x.id < y.id ? -1 : 1))
    .map((row) => ({ id: row.id, hash: row.content_hash, simhash: row.simhash === null ? null : BigInt(row.simhash) }));
  completions.forEach(({ page, result }, index) => {
    if (result.status !== 'done' || !result.contentHash) return;
    const own = result.simhash ?? null;
    const original = kept.find(
      (other) =>
        other.id !== page.id &&
        (other.hash === result.contentHash || (own !== null && other.simhash !== null && hammingDistance(own, other.simhash) <= NEAR_DUPLICATE_BITS)),
    );
    if (original) found[index] = original.id;
    else if (!ended.has(page.id)) kept.push({ id: page.id, hash: result.contentHash, simhash: own });
  });
  return found;
}

async function insertBands(tx: Queryable, scrapeId: string, stored: PageCompletion[]): Promise<void> {
  const rows = stored.flatMap(({ page, result }) =>
    result.simhash === null || result.simhash === undefined ? [] : simhashBands(result.simhash).map((band) => ({ scrapeId, band, pageId: page.id })),
  );
  if (rows.length > 0) await tx.insert(scrapePageBands).values(rows).onConflictDoNothing();
}

/** Vectors of the batch, one per (model, content hash); returns how many were computed for it. */
async function upsertVectors(tx: Queryable, runtime: ScrapingRuntime, stored: PageCompletion[]): Promise<number> {
  const rows = new Map<string, { workspaceId: string; model: string; contentHash: string; vector: number[] }>();
  for (const { page, result } of stored) {
    if (!result.vectors?.length || !result.embeddingModel) continue;
    for (const vector of result.vectors) {
      rows.set(`${result.embeddingModel} ${vector.contentHash}`, { workspaceId: page.workspaceId, model: result.embeddingModel, contentHash: vector.contentHash, vector: vector.vector });
    }
  }
  if (rows.size === 0) return 0;
  await runtime.vectors.upsert(tx, [...rows.values()]);
  return rows.size;
}

async function insertProducts(tx: Queryable, stored: PageCompletion[]): Promise<number> {
  const rows = stored.flatMap(({ page, result }) =>
    (result.products ?? []).map((product) => ({ id: newId(), scrapeId: page.scrapeId, pageId: page.id, workspaceId: page.workspaceId, ...product })),
  );
  if (rows.length === 0) return 0;
  await tx.insert(scrapeProducts).values(rows);
  return rows.length;
}

/** Chunks whose content the scrape already holds (repeated boilerplate) are kept once. */
async function insertChunks(tx: Queryable, stored: PageCompletion[]): Promise<number> {
  const rows = stored.flatMap(({ page, result }) =>
    (result.chunks ?? []).map((chunk) => ({
      id: newId(),
      workspaceId: page.workspaceId,
      scrapeId: page.scrapeId,
      pageId: page.id,
      url: page.url,
      position: chunk.position,
      headingPath: chunk.headingPath,
      content: chunk.content,
      contentHash: chunk.contentHash,
      embeddingModel: chunk.embeddingModel,
    })),
  );
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(scrapeChunks).values(rows).onConflictDoNothing().returning({ id: scrapeChunks.id });
  return inserted.length;
}

/** Ends a scrape whose every page has ended: completed when any page gave content, else failed with the reason. */
export async function finishScrape(
  hub: HubContext,
  tx: Queryable,
  scrape: { id: string; workspaceId: string; url: string; now: Date; processed: number; succeeded: number; failed: number; blocked: number },
): Promise<void> {
  const useful = Number(scrape.succeeded) > 0 || Number(scrape.processed) > Number(scrape.failed) + Number(scrape.blocked);
  let error: string | null = null;
  if (!useful) {
    const [first] = rowsOf<{ url: string; error: string | null; error_code: string | null }>(
      await tx.execute(sql`
        select url, error, error_code from scrape_pages where scrape_id = ${scrape.id} and status in ('failed', 'blocked')
        order by fetched_at limit 1`),
    );
    error = first ? `No page could be scraped. ${first.url}: ${first.error ?? first.error_code}` : 'No page could be scraped.';
  }
  const status = useful ? 'completed' : 'failed';
  const ended = rowsOf<{ id: string }>(
    await tx.execute(sql`
      update scrapes set status = ${status}, step = 'store', error = ${error}, finished_at = ${scrape.now.toISOString()}::timestamptz
      where id = ${scrape.id} and status = 'running' returning id`),
  );
  if (ended.length === 0) return;
  await emitEvent(hub.jobs, tx, {
    workspaceId: scrape.workspaceId,
    type: useful ? 'scrape.completed' : 'scrape.failed',
    source: 'scraper',
    payload: useful
      ? { scrapeId: scrape.id, url: scrape.url, pages: Number(scrape.succeeded), processed: Number(scrape.processed), failed: Number(scrape.failed), blocked: Number(scrape.blocked) }
      : { scrapeId: scrape.id, url: scrape.url, error: error! },
  });
}
