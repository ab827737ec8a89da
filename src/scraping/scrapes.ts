// Scrapes as the API sees them: start one (seed pages and their jobs in one transaction), read one with
// its progress (percentage of the pages found so far, ETA from the smoothed rate, errors), cancel one.
import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../platform/auth/principal.ts';
import { notFound } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import { iso } from '../platform/http/pagination.ts';
import { rowsOf } from '../platform/db/database.ts';
import type { CreateScrapeBody, Engine, ScrapeOptions, ScrapeView } from './contracts.ts';
import { addPages, PAGE_JOB } from './jobs/frontier.ts';
import { loadDefaults, resolveOptions, validateScrape } from './options.ts';
import { scrapes } from './tables.ts';

export type ScrapeRow = typeof scrapes.$inferSelect;

export async function startScrape(
  hub: HubContext,
  principal: Principal,
  body: CreateScrapeBody,
  extra: { rerunOf?: string } = {},
): Promise<ScrapeRow> {
  const defaults = await loadDefaults(hub.db, principal.workspaceId);
  const options = resolveOptions(body, defaults, hub.config.scrapeUserAgent);
  const seeds = await validateScrape(hub, principal.workspaceId, options);
  const id = newId();
  await hub.db.transaction(async (tx) => {
    await tx.insert(scrapes).values({
      id,
      workspaceId: principal.workspaceId,
      status: 'queued',
      options: options as unknown as Record<string, unknown>,
      url: seeds[0]!.href,
      engine: options.engine,
      rerunOf: extra.rerunOf ?? null,
      createdByUserId: principal.kind === 'user' ? principal.userId : null,
    });
    await addPages(hub.jobs, tx, { id, workspaceId: principal.workspaceId, maxPages: options.maxPages }, seeds.map((url) => ({ url, depth: 0 })));
  });
  return loadScrape(hub, principal.workspaceId, id);
}

export async function loadScrape(hub: HubContext, workspaceId: string, id: string): Promise<ScrapeRow> {
  const [row] = await hub.db.select().from(scrapes).where(and(eq(scrapes.id, id), eq(scrapes.workspaceId, workspaceId)));
  if (!row) throw notFound('Scrape');
  return row;
}

const ERRORS_SHOWN = 20;

export async function scrapeErrors(hub: HubContext, scrapeId: string): Promise<ScrapeView['errors']> {
  const rows = rowsOf<{ url: string; error_code: string | null; error: string | null }>(
    await hub.db.execute(sql`
      select url, error_code, error from scrape_pages
      where scrape_id = ${scrapeId} and error is not null and status in ('failed', 'blocked', 'skipped', 'done')
        and coalesce(error_code, '') not in ('empty', 'noindex')
      order by fetched_at desc nulls last limit ${ERRORS_SHOWN}`),
  );
  return rows.map((row) => ({ url: row.url, code: row.error_code ?? 'error', reason: row.error ?? '' }));
}

export function toScrapeView(row: ScrapeRow, errors: ScrapeView['errors']): ScrapeView {
  const total = row.discovered;
  const finished = row.status === 'completed' || row.status === 'failed' || row.status === 'cancelled';
  const rate = row.ratePerSecond === null ? null : Math.round(row.ratePerSecond * 100) / 100;
  const remaining = Math.max(0, total - row.processed);
  return {
    id: row.id,
    status: row.status,
    step: row.step,
    url: row.url,
    engine: row.engine as Engine,
    options: row.options,
    progress: {
      total,
      processed: row.processed,
      percentage: finished && row.status !== 'cancelled' ? 100 : total > 0 ? Math.min(100, Math.round((row.processed / total) * 1000) / 10) : 0,
      etaSeconds: finished ? 0 : rate && rate > 0 ? Math.round(remaining / rate) : null,
      ratePerSecond: rate,
      succeeded: row.succeeded,
      failed: row.failed,
      blocked: row.blocked,
      skipped: row.skipped,
      duplicates: row.duplicates,
      products: row.products,
      chunks: row.chunks,
      embedded: row.embedded,
    },
    crawlDelays: row.crawlDelays,
    errors,
    error: row.error,
    rerunOf: row.rerunOf,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export async function scrapeView(hub: HubContext, workspaceId: string, id: string): Promise<ScrapeView> {
  const row = await loadScrape(hub, workspaceId, id);
  return toScrapeView(row, await scrapeErrors(hub, id));
}

/**
 * Cancels a scrape: no page starts any more, pages not yet ended are marked cancelled, and their jobs are
 * cancelled, which aborts fetches and embedding calls in flight (on any worker, within about a second).
 */
export async function cancelScrape(hub: HubContext, workspaceId: string, id: string): Promise<{ cancelled: boolean }> {
  await loadScrape(hub, workspaceId, id);
  const ended = await hub.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update scrapes set status = 'cancelled', finished_at = now()
        where id = ${id} and status in ('queued', 'running') returning id`),
    );
    if (rows.length === 0) return false;
    const pages = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update scrape_pages set status = 'cancelled' where scrape_id = ${id} and status = 'queued' returning id`),
    );
    await tx.execute(sql`update scrapes set processed = processed + ${pages.length} where id = ${id}`);
    return true;
  });
  if (!ended) return { cancelled: false };
  // The scrape's page jobs not yet finished, queued or running on any worker.
  const jobIds = rowsOf<{ id: string }>(
    await hub.db.execute(sql`
      select id from pgboss.job
      where name = ${PAGE_JOB} and state in ('created', 'retry', 'active') and data->'payload'->>'scrapeId' = ${id}`),
  ).map((row) => row.id);
  for (let start = 0; start < jobIds.length; start += 500) {
    await hub.jobs.boss.cancel(PAGE_JOB, jobIds.slice(start, start + 500)).catch((error: unknown) => {
      // Jobs already finished cannot be cancelled; their pages are marked and will not be counted twice.
      hub.logger.debug({ err: error, scrapeId: id }, 'some page jobs could not be cancelled');
    });
  }
  return { cancelled: true };
}

/** Options of a scrape as a request body again (for re-runs). */
export function rerunBody(row: ScrapeRow): CreateScrapeBody {
  const options = row.options as unknown as ScrapeOptions;
  return { ...options };
}
