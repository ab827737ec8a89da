// GET /api/v1/scrapers/health: scraper health per engine and per site (seed 000's scraper_health).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { scraperHealth } from '../health.ts';
import { scrapingRuntime } from '../runtime.ts';
import { healthView } from '../contracts.ts';

export function scraperHealthRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapers/health',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Scraper health per engine and per site',
        description:
          'Over the last `hours` (default 168): success rate (robots-blocked pages not counted), average and p95 page time, errors, status histogram, ' +
          'robots.txt blocks, empty-content rate, last successful run and a state (healthy ≥ 90 % success, degraded ≥ 50 %, down below). ' +
          "`resources` describes this process's browser pool and memory, and the workspace's queue.",
        querystring: z.object({ hours: z.coerce.number().int().min(1).max(24 * 90).default(168) }),
        response: { 200: healthView },
      },
    },
    async (request) => {
      const since = new Date(Date.now() - request.query.hours * 3_600_000);
      return scraperHealth(hub, scrapingRuntime(hub), principalOf(request).workspaceId, since);
    },
  );
}
