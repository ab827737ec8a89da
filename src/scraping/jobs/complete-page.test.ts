// Pages end in batches (one transaction for many pages) and the result is the same as one by one: duplicates
// found inside a batch and across batches (exact and near), counters exact, a page ended twice counted once,
// and the scrape ended exactly once, by the batch holding its last page. Real database, every backend.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { rowsOf } from '../../platform/db/database.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { newId } from '../../platform/ids.ts';
import { scrapingRuntime } from '../runtime.ts';
import { cancelScrape } from '../scrapes.ts';
import { completePages, type PageCompletion, type PageRef, type PageResult } from './complete-page.ts';

const SIMHASH = 0x0123_4567_89ab_cdefn;
/** The SimHash with `bits` low bits flipped. */
const near = (bits: number) => SIMHASH ^ ((1n << BigInt(bits)) - 1n);

describe.each(backends)('ending pages in batches on $name', (backend) => {
  let hub: TestHub;
  let context: HubContext;
  beforeAll(async () => {
    hub = await startTestHub(backend);
    context = hub.hub.context;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** A running scrape whose pages exist, with no page jobs (nothing else ends them). */
  async function scrapeWithPages(count: number): Promise<{ scrapeId: string; pages: PageRef[] }> {
    const [workspace] = rowsOf<{ id: string }>(await context.db.execute(sql`select id from workspaces order by created_at limit 1`));
    const scrapeId = newId();
    await context.db.execute(sql`
      insert into scrapes (id, workspace_id, status, options, url, engine, discovered)
      values (${scrapeId}, ${workspace!.id}, 'running', ${JSON.stringify({ maxPages: 100 })}::jsonb, 'https://example.com/', 'http', ${count})`);
    const pages = Array.from({ length: count }, (_, index) => ({ id: newId(), scrapeId, workspaceId: workspace!.id, url: `https://example.com/${index}` }));
    for (const page of pages) {
      await context.db.execute(sql`
        insert into scrape_pages (id, scrape_id, workspace_id, url, host, depth) values (${page.id}, ${scrapeId}, ${page.workspaceId}, ${page.url}, 'example.com', 0)`);
    }
    return { scrapeId, pages };
  }

  const stored = (hash: string, simhash: bigint): PageResult => ({ status: 'done', markdown: `content ${hash}`, contentHash: hash, simhash, title: hash });

  it('finds duplicates inside a batch and across batches, counts exactly, and ends the scrape once', async () => {
    const { scrapeId, pages } = await scrapeWithPages(7);
    const [a, b, c, d, e, f, g] = pages as [PageRef, PageRef, PageRef, PageRef, PageRef, PageRef, PageRef];
    const runtime = scrapingRuntime(context);
    const first: PageCompletion[] = [
      { page: a, result: stored('hash-a', SIMHASH) },
      // Same content as a, in the same batch.
      { page: b, result: stored('hash-a', near(20)) },
      // Other text, but within the near-duplicate distance of a.
      { page: c, result: stored('hash-c', near(6)) },
      { page: d, result: { status: 'failed', errorCode: 'http_500', error: 'answered 500' } },
    ];
    const firstOutcomes = await completePages(context, runtime, first);
    expect(firstOutcomes.map((outcome) => outcome.stored)).toEqual([true, false, false, false]);
    expect(firstOutcomes.every((outcome) => !outcome.finished)).toBe(true);

    const second: PageCompletion[] = [
      // a again (its job ran twice): already ended, so it changes nothing.
      { page: a, result: stored('hash-other', 0n) },
      // Same content as a, in a later batch.
      { page: e, result: stored('hash-a', 0n) },
      // Near a (7 bits away is not near; 5 is).
      { page: f, result: stored('hash-f', near(7)) },
    ];
    const secondOutcomes = await completePages(context, runtime, second);
    expect(secondOutcomes.map((outcome) => outcome.stored)).toEqual([false, false, true]);

    const third = await completePages(context, runtime, [{ page: g, result: stored('hash-g', near(5)) }]);
    expect(third).toEqual([{ finished: true, stored: false }]);

    const rows = rowsOf<{ id: string; status: string; duplicate_of: string | null; markdown: string | null }>(
      await context.db.execute(sql`select id, status, duplicate_of, markdown from scrape_pages where scrape_id = ${scrapeId}`),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(a.id)).toMatchObject({ status: 'done', duplicate_of: null, markdown: 'content hash-a' });
    expect(byId.get(b.id)).toMatchObject({ status: 'duplicate', duplicate_of: a.id, markdown: null });
    expect(byId.get(c.id)).toMatchObject({ status: 'duplicate', duplicate_of: a.id });
    expect(byId.get(d.id)).toMatchObject({ status: 'failed', duplicate_of: null });
    expect(byId.get(e.id)).toMatchObject({ status: 'duplicate', duplicate_of: a.id });
    expect(byId.get(f.id)).toMatchObject({ status: 'done', duplicate_of: null });
    expect(byId.get(g.id)).toMatchObject({ status: 'duplicate', duplicate_of: a.id });

    const [scrape] = rowsOf<Record<string, number | string>>(
      await context.db.execute(sql`select status, processed, succeeded, failed, duplicates from scrapes where id = ${scrapeId}`),
    );
    expect(scrape).toMatchObject({ status: 'completed', processed: 7, succeeded: 2, failed: 1, duplicates: 4 });
    const events = rowsOf<{ type: string }>(await context.db.execute(sql`select type from events where payload->>'scrapeId' = ${scrapeId}`));
    expect(events.map((event) => event.type)).toEqual(['scrape.completed']);
  });

  it('ends nothing of a cancelled scrape: its pages stay cancelled, counted once', async () => {
    const { scrapeId, pages } = await scrapeWithPages(2);
    expect(await cancelScrape(context, pages[0]!.workspaceId, scrapeId)).toEqual({ cancelled: true });
    const outcomes = await completePages(context, scrapingRuntime(context), [
      { page: pages[0]!, result: stored('x', SIMHASH) },
      { page: pages[1]!, result: { status: 'failed', errorCode: 'timeout', error: 'timed out' } },
    ]);
    expect(outcomes).toEqual([
      { finished: false, stored: false },
      { finished: false, stored: false },
    ]);
    const statuses = rowsOf<{ status: string }>(await context.db.execute(sql`select status from scrape_pages where scrape_id = ${scrapeId}`));
    expect(statuses.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    const [scrape] = rowsOf<{ status: string; processed: number; failed: number }>(
      await context.db.execute(sql`select status, processed, failed from scrapes where id = ${scrapeId}`),
    );
    expect(scrape).toMatchObject({ status: 'cancelled', processed: 2, failed: 0 });
    const events = rowsOf<{ type: string }>(await context.db.execute(sql`select type from events where payload->>'scrapeId' = ${scrapeId}`));
    expect(events).toEqual([]);
  });
});
