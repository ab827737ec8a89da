// GET /api/v1/scrapes: the workspace's scrapes, newest first.
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { SCRAPE_STATUSES, scrapes } from '../tables.ts';
import { scrapeView } from '../contracts.ts';
import { toScrapeView } from '../scrapes.ts';

export function listScrapesRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapes',
    {
      schema: {
        tags: ['scraping'],
        summary: 'List scrapes',
        querystring: z.object({ ...pageQuery, status: z.enum(SCRAPE_STATUSES).optional() }),
        response: { 200: z.object({ items: z.array(scrapeView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { cursor, limit, status } = request.query;
      const rows = await hub.db
        .select()
        .from(scrapes)
        .where(
          and(
            eq(scrapes.workspaceId, principalOf(request).workspaceId),
            status ? eq(scrapes.status, status) : undefined,
            cursor ? lt(scrapes.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(scrapes.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      // Errors are shown on the scrape itself; the list stays one query.
      return { items: result.items.map((row) => toScrapeView(row, [])), nextCursor: result.nextCursor };
    },
  );
}
