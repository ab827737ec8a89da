// The crawl frontier: pages join a scrape (each URL once, never beyond maxPages) together with the job that
// will fetch them, in the caller's transaction, so a page is never queued without its row or the reverse.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Queryable } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs/define.ts';
import type { JobEngine } from '../../platform/jobs/engine.ts';
import { newId } from '../../platform/ids.ts';

export const PAGE_JOB = 'scrape.page';

export const pagePayload = z.object({
  scrapeId: z.uuid(),
  pageId: z.uuid(),
  // Carried so a worker needs no query to learn what to fetch.
  url: z.string(),
  depth: z.number().int().min(0),
  /** A start the politeness layer already granted (epoch ms), kept when the job was put off until then. */
  reservedAt: z.number().optional(),
});
export type PagePayload = z.infer<typeof pagePayload>;

export type PageJobs = Pick<JobEngine, 'send' | 'sendMany' | 'definition'>;

export function pageJobDefinition(jobs: PageJobs): JobDefinition<PagePayload> {
  const definition = jobs.definition(PAGE_JOB);
  if (!definition) throw new Error(`The ${PAGE_JOB} job is not registered with this hub's job engine`);
  return definition as JobDefinition<PagePayload>;
}

export interface Candidate {
  url: URL;
  depth: number;
}

/**
 * Adds new URLs to the scrape, up to its maxPages, and queues one job per added page (in one insert). Locks the scrape row,
 * so concurrent pages of one scrape cannot overshoot maxPages together. Returns how many were added.
 */
export async function addPages(
  jobs: PageJobs,
  tx: Queryable,
  scrape: { id: string; workspaceId: string; maxPages: number },
  candidates: Candidate[],
  /** The caller already holds the scrape row's lock and will add the count to `discovered` itself. */
  locked?: { discovered: number; status: string },
): Promise<number> {
  if (candidates.length === 0) return 0;
  const row =
    locked ??
    rowsOf<{ discovered: number; status: string }>(await tx.execute(sql`select discovered, status from scrapes where id = ${scrape.id} for update`))[0];
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return 0;
  const room = scrape.maxPages - Number(row.discovered);
  if (room <= 0) return 0;

  const unique = new Map<string, Candidate>();
  for (const candidate of candidates) if (!unique.has(candidate.url.href)) unique.set(candidate.url.href, candidate);
  const fresh = [...unique.values()].map((candidate) => ({ ...candidate, id: newId() }));
  // URLs the scrape already has are passed over before the room is counted, so known links never crowd out
  // new ones; the unique index still guards against a concurrent insert.
  const inserted = rowsOf<{ id: string; url: string; depth: number }>(
    await tx.execute(sql`
      insert into scrape_pages (id, scrape_id, workspace_id, url, host, depth)
      select c.id, ${scrape.id}, ${scrape.workspaceId}, c.url, c.host, c.depth
      from unnest(${toArray(fresh.map((c) => c.id))}::uuid[], ${toArray(fresh.map((c) => c.url.href))}::text[],
                  ${toArray(fresh.map((c) => c.url.host))}::text[], ${toArray(fresh.map((c) => String(c.depth)))}::int[])
           with ordinality as c(id, url, host, depth, n)
      where not exists (select 1 from scrape_pages p where p.scrape_id = ${scrape.id} and p.url = c.url)
      order by c.n
      limit ${room}
      on conflict do nothing
      returning id, url, depth`),
  );
  if (inserted.length === 0) return 0;
  // One statement queues every page's job.
  await jobs.sendMany(
    pageJobDefinition(jobs),
    inserted.map((page) => ({ payload: { scrapeId: scrape.id, pageId: page.id, url: page.url, depth: Number(page.depth) } })),
    { workspaceId: scrape.workspaceId, tx },
  );
  if (!locked) await tx.execute(sql`update scrapes set discovered = discovered + ${inserted.length} where id = ${scrape.id}`);
  return inserted.length;
}

/** A PostgreSQL array literal: each element quoted, so commas and braces in URLs stay inside it. */
export function toArray(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
