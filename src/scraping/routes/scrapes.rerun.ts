// POST /api/v1/scrapes/:id/rerun: starts a new scrape with the same options; unchanged chunks keep their vectors.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { scrapeView } from '../contracts.ts';
import { loadScrape, rerunBody, scrapeErrors, startScrape, toScrapeView } from '../scrapes.ts';

export function rerunScrapeRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/scrapes/:id/rerun',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Run a scrape again',
        description: 'A new scrape with the same options. Chunks whose content did not change reuse their stored vectors instead of being embedded again.',
        params: z.object({ id: z.uuid() }),
        response: { 201: scrapeView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const previous = await loadScrape(hub, principal.workspaceId, request.params.id);
      const row = await startScrape(hub, principal, rerunBody(previous), { rerunOf: previous.id });
      return reply.code(201).send(toScrapeView(row, await scrapeErrors(hub, row.id)));
    },
  );
}
