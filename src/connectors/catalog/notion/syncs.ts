// Notion's `pages` sync: the pages (rows) of one database, read from its data source with
// POST /v1/data_sources/{id}/query, oldest edit first, 100 per request. The first run reads them all (pages
// gone from the database are then marked deleted); later runs ask only for pages edited since the newest
// last_edited_time the previous run saw. Notion rounds last_edited_time to the minute, so the filter is
// `on_or_after` that minute: the pages edited in it are read again, and their unchanged hash costs no write.
// A run that stops mid-window keeps its window and Notion's cursor in the checkpoint and resumes there.
// Docs: developers.notion.com/reference/query-a-data-source, /reference/post-database-query-filter
// (timestamp filters), /reference/post-database-query-sort, /reference/intro (pagination),
// /reference/request-limits (429 rate_limited with Retry-After).
import { z } from 'zod';
import { defineSync } from '../../sdk/sync.ts';
import { dataSourceOf } from './data-sources.ts';
import { describe as inNotionTerms } from './errors.ts';

/** Notion's ceiling for page_size. */
const PAGE_SIZE = 100;

/** What the sync needs from the integration's configuration: which database's pages to read. */
const syncConfig = z
  .object({ databaseId: z.string().optional(), dataSourceId: z.string().optional() })
  .refine((config) => config.databaseId !== undefined || config.dataSourceId !== undefined, {
    message: "set databaseId (or dataSourceId) in the Notion integration's configuration to sync that database's pages",
    path: ['databaseId'],
  });
type SyncConfig = z.input<typeof syncConfig>;

export const notionPage = z.looseObject({
  object: z.literal('page'),
  id: z.string(),
  created_time: z.string().optional(),
  last_edited_time: z.string(),
  in_trash: z.boolean().optional(),
  url: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
});
type NotionPage = z.infer<typeof notionPage>;

/** Where a run is: its data source, the window it reads (pages edited on or after `since`), Notion's cursor in it, and the newest edit seen. */
export interface PagesCheckpoint {
  dataSourceId: string;
  since: string | null;
  cursor: string | null;
  newest: string | null;
}

/** The later of two ISO timestamps. */
function newer(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export const pagesSync = defineSync<SyncConfig, NotionPage>({
  name: 'pages',
  title: 'Database pages',
  description:
    'The pages of the configured database (its data source), with their properties; after the first run only pages edited since the last one are read (by last_edited_time). Pages moved to the trash are marked deleted by a full run.',
  model: 'NotionPage',
  schema: notionPage,
  idOf: (page) => page.id,
  frequency: 'every 1h',
  incremental: true,
  async run(ctx) {
    const config = syncConfig.parse(ctx.config);
    const saved = await ctx.checkpoint.get<PagesCheckpoint>();
    // A run that stopped mid-window resumes it at Notion's cursor; otherwise a window opens at the newest edit seen.
    const resuming = saved?.cursor ? saved : null;
    const dataSourceId = resuming?.dataSourceId ?? (await dataSourceOf(ctx, config));
    const since = resuming ? resuming.since : (saved?.newest ?? null);
    let newest = saved?.newest ?? null;
    let processed = 0;
    const body = {
      ...(since ? { filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } } } : {}),
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      page_size: PAGE_SIZE,
    };
    const pages = ctx.paginate<NotionPage>(
      // A query reads and changes nothing, so a 429 or 5xx is safe to retry even though it is a POST.
      { method: 'POST', path: `data_sources/${encodeURIComponent(dataSourceId)}/query`, json: body, retry: {} },
      { kind: 'cursor', itemsPath: 'results', cursorPath: 'next_cursor', cursorParam: 'start_cursor', cursorIn: 'body', hasMorePath: 'has_more' },
      { resumeFrom: resuming?.cursor ?? null },
    );
    try {
      for await (const page of pages) {
        // Query results could hold other objects in later API versions; only pages are this sync's records.
        const rows = page.items.filter((item) => (item as { object?: unknown }).object === 'page');
        await ctx.records.upsert(rows);
        for (const row of rows) newest = newer(newest, row.last_edited_time);
        await ctx.checkpoint.save({ dataSourceId, since, cursor: page.next, newest } satisfies PagesCheckpoint);
        processed += rows.length;
        await ctx.progress(processed, undefined, 'pages');
      }
    } catch (error) {
      throw inNotionTerms(error);
    }
  },
});
