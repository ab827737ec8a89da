// POST /api/v1/search: the workspace's chunks (or one scrape's) ranked by vector similarity and full-text rank.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { searchBody, searchHit } from '../contracts.ts';
import { scrapingRuntime } from '../runtime.ts';
import { searchChunks } from '../search.ts';

export function searchRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/search',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Search scraped content',
        description:
          'Embeds the query with the scrape’s embedding model (or the workspace default), then fuses the nearest chunks by vector with the best full-text matches ' +
          '(reciprocal-rank fusion). With the offline lexical model both sides are word-based: it finds shared words, not synonyms.',
        body: searchBody,
        response: { 200: z.object({ items: z.array(searchHit), model: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const controller = new AbortController();
      // A caller that hangs up stops the query's embedding call too.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      const result = await searchChunks(hub, scrapingRuntime(hub), principalOf(request).workspaceId, request.body, controller.signal);
      return { items: result.hits, model: result.model };
    },
  );
}
