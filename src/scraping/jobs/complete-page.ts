// The one transaction that ends a page: its final state and content, products, chunks, vectors, the links it
// adds to the frontier, the scrape's counters and smoothed rate, and, for the last page, the scrape's own end
// with its scrape.completed or scrape.failed event. The scrape row is locked first, so pages of one scrape
// end one at a time and exactly one of them sees the scrape finish.
import { sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import { rowsOf, type Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { emitEvent } from '../../webhooks/index.ts';
import type { Chunk } from '../chunk/chunker.ts';
import type { Product } from '../extract/products.ts';
import type { ScrapingRuntime } from '../runtime.ts';
import { scrapeChunks, scrapeProducts, type PageStatus } from '../tables.ts';
import { NEAR_DUPLICATE_BITS } from '../extract/fingerprint.ts';
import { addPages, type Candidate } from './frontier.ts';

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

interface LockedScrape {
  status: string;
  url: string;
  discovered: number;
  processed: number;
  succeeded: number;
  rate_per_second: number | null;
  progress_at: string | Date | null;
  max_pages: number;
}

// Weight of the newest interval in the smoothed rate: high enough to follow a crawl speeding up after
// robots.txt and first pages, low enough that one slow page does not swing the ETA.
const RATE_SMOOTHING = 0.2;

export async function completePage(hub: HubContext, runtime: ScrapingRuntime, page: PageRef, result: PageResult): Promise<{ finished: boolean; stored: boolean }> {
  return hub.db.transaction(async (tx) => {
    // The scrape row is locked first (pages of a scrape end one at a time). Only the next statement looks for
    // an earlier page with the same or nearly the same content: in the locking statement itself the search
    // would run on a snapshot taken before the lock was granted, and miss a copy committed meanwhile.
    const [scrape] = rowsOf<LockedScrape>(
      await tx.execute(sql`
        select status, url, discovered, processed, succeeded, rate_per_second, progress_at, (options->>'maxPages')::int as max_pages
        from scrapes where id = ${page.scrapeId} for update`),
    );
    if (!scrape) return { finished: false, stored: false };
    const now = new Date(runtime.clock.now());
    const candidate = result.status === 'done' && result.contentHash ? duplicateOf(page, result.contentHash, result.simhash ?? null) : sql`null::uuid`;
    const updated = rowsOf<{ status: PageStatus; duplicate_of: string | null }>(
      await tx.execute(sql`
        update scrape_pages set
          status = case when d.id is null then ${result.status} else 'duplicate' end, duplicate_of = d.id,
          engine = ${result.engine ?? null}, final_url = ${result.finalUrl ?? null},
          http_status = ${result.httpStatus ?? null}, content_type = ${result.contentType ?? null}, title = ${result.title ?? null},
          markdown = case when d.id is null then ${result.status === 'done' ? (result.markdown ?? null) : null}::text end,
          content_hash = ${result.contentHash ?? null}, simhash = ${result.simhash ?? null}, error_code = ${result.errorCode ?? null},
          error = ${result.error ?? null}, fetch_ms = ${result.fetchMs ?? null}, attempts = ${result.attempts ?? 0}, bytes = ${result.bytes ?? null},
          empty = ${result.empty ?? false}, fetched_at = ${now.toISOString()}::timestamptz,
          scheduled_at = ${result.scheduledAt === undefined ? null : new Date(result.scheduledAt).toISOString()}::timestamptz
        from (select ${candidate} as id) d
        where scrape_pages.id = ${page.id} and scrape_pages.status = 'queued'
        returning scrape_pages.status, scrape_pages.duplicate_of`),
    );
    // Already ended (the scrape was cancelled, or another attempt finished it): nothing to count twice.
    if (updated.length === 0) return { finished: false, stored: false };
    const status = updated[0]!.status;
    const stored = status === 'done';

    let products = 0;
    let chunks = 0;
    let embedded = 0;
    let added = 0;
    if (stored) {
      products = await insertProducts(tx, page, result.products ?? []);
      chunks = await insertChunks(tx, page, result.chunks ?? []);
      if (result.vectors?.length && result.embeddingModel) {
        await runtime.vectors.upsert(
          tx,
          result.vectors.map((vector) => ({ workspaceId: page.workspaceId, model: result.embeddingModel!, contentHash: vector.contentHash, vector: vector.vector })),
        );
        embedded = result.vectors.length;
      }
      added = await addPages(hub.jobs, tx, { id: page.scrapeId, workspaceId: page.workspaceId, maxPages: Number(scrape.max_pages) }, result.children ?? [], {
        discovered: Number(scrape.discovered),
        status: scrape.status,
      });
    }

    const previousAt = scrape.progress_at ? new Date(scrape.progress_at).getTime() : null;
    const interval = previousAt === null ? null : Math.max(1, now.getTime() - previousAt);
    const instant = interval === null ? null : 1000 / interval;
    const rate =
      instant === null ? null : scrape.rate_per_second === null ? instant : RATE_SMOOTHING * instant + (1 - RATE_SMOOTHING) * Number(scrape.rate_per_second);
    const count = (wanted: PageStatus) => (status === wanted ? 1 : 0);
    const [counters] = rowsOf<{ processed: number; discovered: number; succeeded: number; failed: number; blocked: number; status: string }>(
      await tx.execute(sql`
        update scrapes set
          processed = processed + 1, discovered = discovered + ${added}, succeeded = succeeded + ${count('done')}, failed = failed + ${count('failed')},
          blocked = blocked + ${count('blocked')}, skipped = skipped + ${count('skipped')}, duplicates = duplicates + ${count('duplicate')},
          products = products + ${products}, chunks = chunks + ${chunks}, embedded = embedded + ${embedded},
          rate_per_second = ${rate}, progress_at = ${now.toISOString()}::timestamptz,
          status = case when status = 'queued' then 'running' else status end,
          started_at = coalesce(started_at, ${now.toISOString()}::timestamptz)
        where id = ${page.scrapeId}
        returning processed, discovered, succeeded, failed, blocked, status`),
    );
    if (!counters || counters.status !== 'running' || Number(counters.processed) < Number(counters.discovered)) {
      return { finished: false, stored };
    }
    await finishScrape(hub, tx, { id: page.scrapeId, workspaceId: page.workspaceId, url: scrape.url, now, ...counters });
    return { finished: true, stored };
  });
}

/** A subquery: the first earlier page of the scrape with the same content hash or a SimHash a few bits away. */
function duplicateOf(page: PageRef, hash: string, simhash: bigint | null) {
  const near =
    simhash === null
      ? sql``
      : sql`or (p.simhash is not null and bit_count(int8send(p.simhash # ${simhash}::bigint)) <= ${NEAR_DUPLICATE_BITS})`;
  return sql`(select p.id from scrape_pages p
    where p.scrape_id = ${page.scrapeId} and p.status = 'done' and p.id <> ${page.id} and (p.content_hash = ${hash} ${near})
    order by p.created_at limit 1)`;
}

async function insertProducts(tx: Queryable, page: PageRef, products: Product[]): Promise<number> {
  if (products.length === 0) return 0;
  await tx.insert(scrapeProducts).values(
    products.map((product) => ({ id: newId(), scrapeId: page.scrapeId, pageId: page.id, workspaceId: page.workspaceId, ...product })),
  );
  return products.length;
}

/** Chunks whose content the scrape already holds (repeated boilerplate) are kept once. */
async function insertChunks(tx: Queryable, page: PageRef, chunks: NonNullable<PageResult['chunks']>): Promise<number> {
  if (chunks.length === 0) return 0;
  const inserted = await tx
    .insert(scrapeChunks)
    .values(
      chunks.map((chunk) => ({
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
    )
    .onConflictDoNothing()
    .returning({ id: scrapeChunks.id });
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
