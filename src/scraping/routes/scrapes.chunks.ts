// GET /api/v1/scrapes/:id/chunks: the scrape's chunks with URL, heading path, position and embedding model.
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { chunkView } from '../contracts.ts';
import { loadScrape } from '../scrapes.ts';
import { scrapeChunks } from '../tables.ts';

export function listChunksRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapes/:id/chunks',
    {
      schema: {
        tags: ['scraping'],
        summary: 'List the chunks of a scrape',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ ...pageQuery, pageId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(chunkView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const scrape = await loadScrape(hub, principalOf(request).workspaceId, request.params.id);
      const { cursor, limit, pageId } = request.query;
      const rows = await hub.db
        .select({
          id: scrapeChunks.id,
          pageId: scrapeChunks.pageId,
          url: scrapeChunks.url,
          position: scrapeChunks.position,
          headingPath: scrapeChunks.headingPath,
          content: scrapeChunks.content,
          contentHash: scrapeChunks.contentHash,
          embeddingModel: scrapeChunks.embeddingModel,
        })
        .from(scrapeChunks)
        .where(and(eq(scrapeChunks.scrapeId, scrape.id), pageId ? eq(scrapeChunks.pageId, pageId) : undefined, cursor ? gt(scrapeChunks.id, cursor) : undefined))
        .orderBy(asc(scrapeChunks.id))
        .limit(limit + 1);
      return page(rows, limit);
    },
  );
}
