// GET /api/v1/scrapes/:id/events: the scrape's progress as Server-Sent Events (`progress` on every change,
// `end` when it has ended). Read from the database, so it works whichever node runs the pages.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { scrapeView as loadScrapeView } from '../scrapes.ts';

const POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
// A stream ends after this long even if the scrape has not; EventSource reconnects by itself.
const MAX_STREAM_MS = 30 * 60_000;
const ENDED = new Set(['completed', 'failed', 'cancelled']);

export function scrapeEventsRoute(app: App, hub: HubContext) {
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
  });
  app.get(
    '/api/v1/scrapes/:id/events',
    {
      schema: {
        tags: ['scraping'],
        summary: 'Stream a scrape’s progress (Server-Sent Events)',
        description: '`event: progress` with the scrape (as GET /api/v1/scrapes/:id) whenever it changes, then `event: end` once it has ended.',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request, reply) => {
      const workspaceId = principalOf(request).workspaceId;
      const first = await loadScrapeView(hub, workspaceId, request.params.id);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      let open = true;
      // The response's close, not the request's: a GET's request stream closes as soon as its (empty) body is read.
      response.on('close', () => (open = false));
      const send = (event: string, data: unknown) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      response.write(`retry: 2000\n\n`);
      let last = JSON.stringify(first);
      send('progress', first);
      const started = Date.now();
      let lastWrite = Date.now();
      let status = first.status;
      while (open && !closing && !ENDED.has(status) && Date.now() - started < MAX_STREAM_MS) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (!open || closing) break;
        const view = await loadScrapeView(hub, workspaceId, request.params.id).catch(() => null);
        if (!view) break;
        status = view.status;
        const serialized = JSON.stringify(view);
        if (serialized !== last) {
          last = serialized;
          send('progress', view);
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
          response.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      }
      if (open && ENDED.has(status)) send('end', { id: request.params.id, status });
      response.end();
    },
  );
}
