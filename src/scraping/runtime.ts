// The scraping services of one hub process: robots.txt cache, politeness, the browser pool and the vector
// store, created at start-up (the vector column is chosen then) and reached by routes and jobs per hub.
import os from 'node:os';
import type { HubContext } from '../platform/hub-context.ts';
import { createSsrfGuard, systemClock, type Clock } from '../platform/outbound/index.ts';
import { createBrowserPool, type BrowserPool } from './crawl/browser-engine.ts';
import { createLocalPoliteness, createPoliteness, type Politeness } from './crawl/politeness.ts';
import { createProxyPool, type ProxyPool } from './crawl/proxies.ts';
import { createRobotsCache, type RobotsCache } from './crawl/robots.ts';
import { prepareVectorStore, type VectorStore } from './embed/vector-store.ts';
import { createExtractionPool, type ExtractionPool } from './extract/pool.ts';
import { completePages } from './jobs/complete-page.ts';
import { createPageWriter, type PageWriter } from './jobs/page-writer.ts';

export interface ScrapingRuntime {
  clock: Clock;
  robots: RobotsCache;
  politeness: Politeness;
  browser: BrowserPool;
  /** The workspaces' outbound proxies and their rotation. */
  proxies: ProxyPool;
  vectors: VectorStore;
  extraction: ExtractionPool;
  /** Ends pages in batches (group commit): one transaction for the pages of this process that end together. */
  writer: PageWriter;
  /** Identifies this process's leases. */
  holderId: string;
}

export interface ScrapingStartOptions {
  /** Politeness and retry waits; tests pass a clock whose sleep returns at once. */
  clock?: Clock;
}

const runtimes = new WeakMap<HubContext, ScrapingRuntime>();

export async function startScraping(hub: HubContext, options: ScrapingStartOptions = {}): Promise<ScrapingRuntime> {
  const clock = options.clock ?? systemClock;
  const holderId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const runtime: ScrapingRuntime = {
    clock,
    holderId,
    robots: createRobotsCache({ db: hub.db, outbound: hub.outbound, now: () => clock.now() }),
    // PGlite serves exactly one process (its data folder is locked), so politeness has nobody to share with.
    politeness: hub.database.kind === 'pglite' ? createLocalPoliteness({ clock }) : createPoliteness({ db: hub.db, clock, holderId }),
    browser: createBrowserPool({
      outbound: hub.outbound,
      logger: hub.logger,
      limits: {
        executablePath: hub.config.chromiumPath,
        pagesPerBrowser: hub.config.browserPagesPerBrowser,
        maxPageMemoryMb: hub.config.browserPageMemoryMb,
        maxOpenPages: hub.config.browserMaxOpenPages,
      },
    }),
    proxies: createProxyPool(hub, createSsrfGuard({ allowPrivateNetworks: hub.config.allowPrivateNetworks })),
    vectors: await prepareVectorStore(hub.db, hub.config.scrapeVectors),
    extraction: createExtractionPool(),
    writer: createPageWriter((completions) => completePages(hub, runtime, completions)),
  };
  runtimes.set(hub, runtime);
  hub.logger.debug({ vectors: runtime.vectors.kind }, 'scraping ready');
  return runtime;
}

export function scrapingRuntime(hub: HubContext): ScrapingRuntime {
  const runtime = runtimes.get(hub);
  if (!runtime) throw new Error('Scraping is not started in this hub (startScraping is called by startHub)');
  return runtime;
}

export async function stopScraping(hub: HubContext): Promise<void> {
  const runtime = runtimes.get(hub);
  await runtime?.browser.close();
  await runtime?.proxies.close();
  await runtime?.extraction.close();
}
