// GET /api/v1/scrapes/:id: status, step, progress (percentage, processed/total, ETA), crawl delays, errors.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { scrapeView } from '../contracts.ts';
import { scrapeView as loadScrapeView } from '../scrapes.ts';

export function getScrapeRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapes/:id',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Inspect a scrape',
        description: 'The percentage is processed pages over the pages found so far (never more than maxPages); the ETA follows a smoothed page rate.',
        params: z.object({ id: z.uuid() }),
        response: { 200: scrapeView },
      },
    },
    async (request) => loadScrapeView(hub, principalOf(request).workspaceId, request.params.id),
  );
}
