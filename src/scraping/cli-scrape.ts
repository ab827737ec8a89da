// `switchboard scrape <url>`: starts a scrape on the running hub through its API and draws a progress bar
// from the scrape's event stream until it ends; Ctrl+C cancels the scrape.
import type { Config } from '../platform/config.ts';
import { publicUrl } from '../platform/config.ts';
import type { ScrapeView } from './contracts.ts';

export const scrapeCommand = {
  summary: 'Scrape a URL on the running hub (API key from --api-key or SWITCHBOARD_API_KEY) and show its progress until it ends.',
  usage: '<url> [--max-pages N] [--engine http|browser|auto] [--follow] [--hub <url>] [--api-key <key>] [--json]',
  positionals: true,
  options: {
    'max-pages': { type: 'string' },
    engine: { type: 'string' },
    follow: { type: 'boolean' },
    hub: { type: 'string' },
    'api-key': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values: Record<string, string | boolean | undefined>, config: Config, positionals: string[] = []): Promise<void> {
    const url = positionals[0];
    if (!url || positionals.length > 1) throw new CliUsageError('Give exactly one URL: switchboard scrape https://example.com/');
    const key = (values['api-key'] as string | undefined) ?? process.env.SWITCHBOARD_API_KEY ?? config.bootstrapApiKey;
    if (!key) {
      throw new CliUsageError('An API key is needed: pass --api-key or set SWITCHBOARD_API_KEY (create one in the dashboard under Settings → API keys).');
    }
    const hub = ((values.hub as string | undefined) ?? publicUrl(config)).replace(/\/$/, '');
    const body: Record<string, unknown> = { urls: [url], maxDepth: values.follow ? 3 : 0 };
    if (values['max-pages'] !== undefined) {
      const maxPages = Number(values['max-pages']);
      if (!Number.isInteger(maxPages) || maxPages < 1) throw new CliUsageError('--max-pages must be a whole number of 1 or more');
      body.maxPages = maxPages;
    } else if (!values.follow) {
      body.maxPages = 1;
    }
    if (values.engine !== undefined) body.engine = values.engine;

    const call = async (method: string, path: string, payload?: unknown) => {
      let response: Response;
      try {
        response = await fetch(`${hub}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
          ...(payload ? { body: JSON.stringify(payload) } : {}),
        });
      } catch (error) {
        throw new CliUsageError(`The hub at ${hub} does not answer (${(error as Error).message}). Start it with \`switchboard start\`, or pass --hub.`);
      }
      const answer = (await response.json().catch(() => ({}))) as { error?: { message: string } };
      if (!response.ok) throw new CliUsageError(`The hub refused: ${answer.error?.message ?? response.status}`);
      return answer as unknown;
    };

    const created = (await call('POST', '/api/v1/scrapes', body)) as ScrapeView;
    const stream = process.stderr;
    const interactive = stream.isTTY === true;
    if (!values.json) stream.write(`Scrape ${created.id} of ${url} started.\n`);
    let cancelling = false;
    process.once('SIGINT', () => {
      cancelling = true;
      stream.write('\nCancelling…\n');
      void call('DELETE', `/api/v1/scrapes/${created.id}`).catch(() => {});
    });

    let lastLine = '';
    for await (const view of progressEvents(hub, key, created.id)) {
      if (values.json) continue;
      const line = progressLine(view);
      if (line === lastLine) continue;
      lastLine = line;
      stream.write(interactive ? `\r${line.padEnd(100)}` : `${line}\n`);
    }
    const last = (await call('GET', `/api/v1/scrapes/${created.id}`)) as ScrapeView;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(last, null, 2)}\n`);
    } else {
      if (interactive) stream.write('\n');
      const p = last.progress;
      process.stdout.write(
        `${last.status}: ${p.succeeded} pages stored, ${p.duplicates} duplicates, ${p.skipped} skipped, ${p.blocked} blocked by robots.txt, ${p.failed} failed; ` +
          `${p.products} products, ${p.chunks} chunks. Results: ${hub}/api/v1/scrapes/${last.id}/pages\n`,
      );
      for (const problem of last.errors.slice(0, 5)) process.stdout.write(`  ${problem.url}: ${problem.reason}\n`);
      if (last.error) process.stdout.write(`  ${last.error}\n`);
    }
    if (last.status !== 'completed' && !cancelling) process.exitCode = 1;
  },
};

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const BAR_WIDTH = 24;

export function progressLine(view: ScrapeView): string {
  const { progress } = view;
  const filled = Math.round((progress.percentage / 100) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = progress.etaSeconds !== null && view.status === 'running' ? ` · ETA ${progress.etaSeconds} s` : '';
  return `${bar} ${progress.percentage.toFixed(0).padStart(3)}% ${progress.processed}/${progress.total} pages · ${view.status === 'running' ? view.step : view.status}${eta}`;
}

/** The scrape's `progress` events, read from its Server-Sent Events stream until `end`. */
async function* progressEvents(hub: string, key: string, id: string): AsyncGenerator<ScrapeView> {
  for (;;) {
    const response = await fetch(`${hub}/api/v1/scrapes/${id}/events`, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: (\w+)/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'end') return;
        if (event === 'progress' && data) yield JSON.parse(data) as ScrapeView;
      }
    }
    // The stream ended without `end` (it is capped in length): read it again.
  }
}
