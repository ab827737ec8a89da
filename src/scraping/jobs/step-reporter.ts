// The scrape's current step (discover / fetch / extract / chunk / embed / store) as its pages move through
// the pipeline: written when it changes, at most once a second per scrape and process, never awaited.
import { sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import type { ScrapeStep } from '../tables.ts';

const MIN_INTERVAL_MS = 1_000;

export function createStepReporter() {
  const last = new Map<string, { step: ScrapeStep; at: number }>();
  return {
    report(hub: HubContext, scrapeId: string, step: ScrapeStep): void {
      const previous = last.get(scrapeId);
      const now = Date.now();
      if (previous && (previous.step === step || now - previous.at < MIN_INTERVAL_MS)) return;
      last.set(scrapeId, { step, at: now });
      hub.db
        .execute(sql`update scrapes set step = ${step} where id = ${scrapeId} and status in ('queued', 'running')`)
        .catch((error: unknown) => hub.logger.debug({ err: error, scrapeId }, 'could not record the scrape step'));
    },
    forget(scrapeId: string): void {
      last.delete(scrapeId);
    },
  };
}
