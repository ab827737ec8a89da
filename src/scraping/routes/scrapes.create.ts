// POST /api/v1/scrapes: starts a crawl (seed 002's scrape → extract → embed), options over workspace defaults.
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { createScrapeBody, scrapeView } from '../contracts.ts';
import { scrapeErrors, startScrape, toScrapeView } from '../scrapes.ts';

export function createScrapeRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/scrapes',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Start a scrape',
        description:
          'Crawls from the seed URLs politely (robots.txt, Crawl-delay, per-host limits across all workers), extracts Markdown and products, ' +
          'chunks and embeds the content. Fields left out take the workspace defaults (GET /api/v1/scrapers/settings), then the built-in ones. ' +
          'Follow it at GET /api/v1/scrapes/:id or its event stream /api/v1/scrapes/:id/events.',
        body: createScrapeBody,
        response: { 201: scrapeView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const row = await startScrape(hub, principal, request.body);
      return reply.code(201).send(toScrapeView(row, await scrapeErrors(hub, row.id)));
    },
  );
}
