// GET /api/v1/scrapes/:id/pages: the scrape's pages in discovery order, with their Markdown and state.
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { iso, page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { pageView } from '../contracts.ts';
import { loadScrape } from '../scrapes.ts';
import { PAGE_STATUSES, scrapePages } from '../tables.ts';

export function listPagesRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapes/:id/pages',
    {
      schema: {
        tags: ['scraping'],
        summary: 'List the pages of a scrape',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ ...pageQuery, status: z.enum(PAGE_STATUSES).optional() }),
        response: { 200: z.object({ items: z.array(pageView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const scrape = await loadScrape(hub, principalOf(request).workspaceId, request.params.id);
      const { cursor, limit, status } = request.query;
      const rows = await hub.db
        .select()
        .from(scrapePages)
        .where(and(eq(scrapePages.scrapeId, scrape.id), status ? eq(scrapePages.status, status) : undefined, cursor ? gt(scrapePages.id, cursor) : undefined))
        .orderBy(asc(scrapePages.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return {
        items: result.items.map((row) => ({
          id: row.id,
          url: row.url,
          finalUrl: row.finalUrl,
          depth: row.depth,
          status: row.status,
          httpStatus: row.httpStatus,
          engine: row.engine,
          title: row.title,
          markdown: row.markdown,
          contentHash: row.contentHash,
          duplicateOf: row.duplicateOf,
          errorCode: row.errorCode,
          error: row.error,
          attempts: row.attempts,
          fetchMs: row.fetchMs,
          fetchedAt: iso(row.fetchedAt),
        })),
        nextCursor: result.nextCursor,
      };
    },
  );
}
