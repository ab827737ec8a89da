// GET /api/v1/scrapes/:id/products: schema.org products found on the scrape's pages (JSON-LD, microdata).
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { productView } from '../contracts.ts';
import { loadScrape } from '../scrapes.ts';
import { scrapeProducts } from '../tables.ts';

export function listProductsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapes/:id/products',
    {
      schema: {
        tags: ['scraping'],
        summary: 'List the products of a scrape',
        params: z.object({ id: z.uuid() }),
        querystring: z.object(pageQuery),
        response: { 200: z.object({ items: z.array(productView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const scrape = await loadScrape(hub, principalOf(request).workspaceId, request.params.id);
      const { cursor, limit } = request.query;
      const rows = await hub.db
        .select()
        .from(scrapeProducts)
        .where(and(eq(scrapeProducts.scrapeId, scrape.id), cursor ? gt(scrapeProducts.id, cursor) : undefined))
        .orderBy(asc(scrapeProducts.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return {
        items: result.items.map((row) => ({
          id: row.id,
          pageId: row.pageId,
          url: row.url,
          name: row.name,
          sku: row.sku,
          price: row.price,
          currency: row.currency,
          availability: row.availability,
          brand: row.brand,
          image: row.image,
          source: row.source,
        })),
        nextCursor: result.nextCursor,
      };
    },
  );
}
