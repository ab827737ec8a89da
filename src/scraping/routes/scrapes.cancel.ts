// DELETE /api/v1/scrapes/:id: cancels a scrape; fetches and embedding calls in flight are aborted.
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { scrapeView } from '../contracts.ts';
import { cancelScrape, scrapeView as loadScrapeView } from '../scrapes.ts';

export function cancelScrapeRoute(app: App, hub: HubContext) {
  app.delete(
    '/api/v1/scrapes/:id',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Cancel a scrape',
        description: 'No more pages start; pages in flight are aborted within about a second. Results so far are kept. 409 when the scrape has already ended.',
        params: z.object({ id: z.uuid() }),
        response: { 200: scrapeView },
      },
    },
    async (request) => {
      const workspaceId = principalOf(request).workspaceId;
      const { cancelled } = await cancelScrape(hub, workspaceId, request.params.id);
      const view = await loadScrapeView(hub, workspaceId, request.params.id);
      if (!cancelled) throw new ApiError('conflict', `The scrape has already ended (${view.status}); nothing to cancel.`);
      return view;
    },
  );
}
