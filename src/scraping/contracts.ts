// The scraping API's contracts, shared by the server, the tests and the dashboard: scrape options with their
// defaults and limits, workspace defaults, and the views of scrapes, pages, products, chunks and search hits.
import { z } from 'zod';
import { iso, isoDate } from '../platform/http/pagination.ts';
import { PAGE_STATUSES, SCRAPE_STATUSES, SCRAPE_STEPS } from './tables.ts';

export const ENGINES = ['http', 'browser', 'auto'] as const;
export type Engine = (typeof ENGINES)[number];
export const EMBEDDING_PROVIDERS = ['lexical', 'integration', 'none'] as const;

const pattern = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe('A glob (`*` within a path segment, `**` across segments) matched against the path and query when it starts with `/`, else against the whole URL; or `regex:<expression>`.');
const selector = z.string().trim().min(1).max(500).describe('A CSS selector.');

export const concurrencySchema = z.union([
  z.number().int().min(1).max(64),
  z
    .object({
      global: z.number().int().min(1).max(64).describe('Pages of this scrape fetched at once, across every worker.'),
      perHost: z.number().int().min(1).max(16).describe('Requests in flight to one host at once, across every worker and scrape.'),
    })
    .partial(),
]);

export const embeddingsSchema = z.object({
  provider: z
    .enum(EMBEDDING_PROVIDERS)
    .describe('lexical: offline feature hashing of words and word pairs (no network, no model). integration: an OpenAI-compatible embeddings endpoint of an integration. none: no chunks, no vectors.'),
  integrationId: z.uuid().optional().describe('The integration whose connector has a createEmbeddings action (provider integration).'),
  model: z.string().trim().min(1).max(200).optional().describe('The embedding model id (provider integration), e.g. text-embedding-3-small.'),
  batchSize: z.number().int().min(1).max(2048).optional().describe('Chunks per embeddings request. Default 64.'),
});

/** Every option a scrape can set; each is optional in a request and in the workspace defaults. */
export const optionFields = {
  maxPages: z.number().int().min(1).max(100_000).describe('Pages fetched at most (seed URLs included). Default 100.'),
  maxDepth: z.number().int().min(0).max(50).describe('Links followed from a seed at most (0: the seeds only). Default 3.'),
  sameHost: z.boolean().describe('Follow links only to the hosts of the seed URLs. Default true.'),
  includePatterns: z.array(pattern).max(50).describe('When set, only URLs matching one of these are crawled (seeds always are).'),
  excludePatterns: z.array(pattern).max(50).describe('URLs matching any of these are not crawled.'),
  includeSelectors: z.array(selector).max(50).describe('When set, only these elements are extracted (instead of Readability).'),
  excludeSelectors: z.array(selector).max(50).describe('Elements removed before extraction (nav, ads, cookie banners).'),
  respectRobots: z.boolean().describe('Obey robots.txt (RFC 9309) and its Crawl-delay. Default true.'),
  crawlDelay: z.number().min(0).max(60).describe('Seconds between requests to one host (robots.txt may ask for more). Default 0.'),
  maxConcurrency: concurrencySchema.describe('A number (global), or { global, perHost }. Default { global: 8, perHost: 2 }.'),
  turboMode: z.boolean().describe('Seed 002: a higher concurrency preset (global 32) that still obeys robots.txt and per-host limits.'),
  engine: z.enum(ENGINES).describe('http (default), browser (Chromium), or auto (http, escalating to the browser when the main content is empty).'),
  extractProducts: z.boolean().describe('Extract schema.org products (JSON-LD, microdata). Default true.'),
  chunkSize: z.number().int().min(100).max(20_000).describe('Characters per chunk at most. Default 1,000.'),
  chunkOverlap: z.number().int().min(0).max(5_000).describe('Characters repeated from the previous chunk. Default 200.'),
  embeddings: embeddingsSchema.describe('Default { provider: "lexical" }.'),
  userAgent: z.string().trim().min(1).max(300).describe('User-Agent header; robots.txt groups are matched on its first word. Default SWITCHBOARD_SCRAPE_USER_AGENT.'),
  pageTimeoutSeconds: z.number().int().min(1).max(120).describe('Longest fetch (or render) of one page. Default 20.'),
  maxPageBytes: z.number().int().min(1024).max(50 * 1024 * 1024).describe('Larger pages are skipped. Default 5 MiB.'),
  maxRetries: z.number().int().min(0).max(8).describe('Retries of a page after network errors, 429 and 5xx, with exponential backoff and jitter. Default 3.'),
};

export const scrapeDefaultsSchema = z.object(optionFields).partial().strict();
export type ScrapeDefaults = z.infer<typeof scrapeDefaultsSchema>;

export const PROXY_ROTATIONS = ['per-request', 'per-scrape'] as const;
/** Seed 000's outbound proxies of a workspace, stored in the vault; never part of the defaults a scrape copies. */
export const proxySettingsSchema = z
  .object({
    urls: z
      .array(z.string().trim().min(1).max(2048))
      .min(1)
      .max(50)
      .describe('http:// or https:// proxy URLs, optionally with user:password@ (stored encrypted, answered masked).'),
    rotation: z
      .enum(PROXY_ROTATIONS)
      .default('per-request')
      .describe('per-request: the next proxy for every request. per-scrape: one proxy per scrape, moving to the next only when it fails.'),
  })
  .strict();
export type ProxySettings = z.infer<typeof proxySettingsSchema>;

/** PUT /scrapers/settings: the defaults, plus proxies (left out: kept as saved; null: removed). */
export const scraperSettingsBody = scrapeDefaultsSchema.extend({ proxies: proxySettingsSchema.nullable().optional() });

export const createScrapeBody = scrapeDefaultsSchema.extend({
  urls: z
    .array(z.string().trim().min(1).max(2048))
    .min(1)
    .max(100)
    .describe('Seed URLs (http or https).'),
});
export type CreateScrapeBody = z.infer<typeof createScrapeBody>;

/** Options as a crawl runs with them: nothing left out. */
export interface ScrapeOptions {
  urls: string[];
  maxPages: number;
  maxDepth: number;
  sameHost: boolean;
  includePatterns: string[];
  excludePatterns: string[];
  includeSelectors: string[];
  excludeSelectors: string[];
  respectRobots: boolean;
  crawlDelay: number;
  maxConcurrency: { global: number; perHost: number };
  turboMode: boolean;
  engine: Engine;
  extractProducts: boolean;
  chunkSize: number;
  chunkOverlap: number;
  embeddings: { provider: (typeof EMBEDDING_PROVIDERS)[number]; integrationId?: string; model?: string; batchSize: number };
  userAgent: string;
  pageTimeoutSeconds: number;
  maxPageBytes: number;
  maxRetries: number;
}

export const TURBO_GLOBAL_CONCURRENCY = 32;

export const BUILT_IN_DEFAULTS: Omit<ScrapeOptions, 'urls' | 'userAgent'> = {
  maxPages: 100,
  maxDepth: 3,
  sameHost: true,
  includePatterns: [],
  excludePatterns: [],
  includeSelectors: [],
  excludeSelectors: [],
  respectRobots: true,
  crawlDelay: 0,
  maxConcurrency: { global: 8, perHost: 2 },
  turboMode: false,
  engine: 'http',
  extractProducts: true,
  chunkSize: 1000,
  chunkOverlap: 200,
  embeddings: { provider: 'lexical', batchSize: 64 },
  pageTimeoutSeconds: 20,
  maxPageBytes: 5 * 1024 * 1024,
  maxRetries: 3,
};

// ---- views ------------------------------------------------------------------------------------------------

export const pageErrorView = z.object({ url: z.string(), code: z.string(), reason: z.string() });

export const scrapeView = z.object({
  id: z.string(),
  status: z.enum(SCRAPE_STATUSES),
  step: z.enum(SCRAPE_STEPS),
  url: z.string(),
  engine: z.enum(ENGINES),
  options: z.record(z.string(), z.unknown()),
  progress: z.object({
    /** Pages found so far (never more than maxPages): the 100 % mark. */
    total: z.number(),
    processed: z.number(),
    percentage: z.number(),
    etaSeconds: z.number().nullable(),
    ratePerSecond: z.number().nullable(),
    succeeded: z.number(),
    failed: z.number(),
    blocked: z.number(),
    skipped: z.number(),
    duplicates: z.number(),
    products: z.number(),
    chunks: z.number(),
    embedded: z.number(),
  }),
  crawlDelays: z.record(z.string(), z.number()),
  errors: z.array(pageErrorView),
  error: z.string().nullable(),
  rerunOf: z.string().nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type ScrapeView = z.infer<typeof scrapeView>;

export const pageView = z.object({
  id: z.string(),
  url: z.string(),
  finalUrl: z.string().nullable(),
  depth: z.number(),
  status: z.enum(PAGE_STATUSES),
  httpStatus: z.number().nullable(),
  engine: z.string().nullable(),
  title: z.string().nullable(),
  markdown: z.string().nullable(),
  contentHash: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number(),
  fetchMs: z.number().nullable(),
  fetchedAt: isoDate.nullable(),
});

export const productView = z.object({
  id: z.string(),
  pageId: z.string(),
  url: z.string(),
  name: z.string(),
  sku: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  availability: z.string().nullable(),
  brand: z.string().nullable(),
  image: z.string().nullable(),
  source: z.string(),
});

export const chunkView = z.object({
  id: z.string(),
  pageId: z.string(),
  url: z.string(),
  position: z.number(),
  headingPath: z.array(z.string()),
  content: z.string(),
  contentHash: z.string(),
  embeddingModel: z.string().nullable(),
});

export const searchBody = z.object({
  query: z.string().trim().min(1).max(2000),
  k: z.number().int().min(1).max(100).default(10),
  scrapeId: z.uuid().optional(),
});

export const searchHit = chunkView.extend({
  scrapeId: z.string(),
  title: z.string().nullable(),
  score: z.number().describe('Reciprocal-rank fusion of the vector and full-text rankings.'),
  similarity: z.number().nullable().describe('Cosine similarity of the query and chunk vectors.'),
  textRank: z.number().nullable().describe('Full-text rank: ts_rank_cd normalised by length, plus 1 when the chunk holds every query word.'),
});

// ---- health -----------------------------------------------------------------------------------------------

const healthGroup = z.object({
  key: z.string(),
  pages: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  blocked: z.number(),
  skipped: z.number(),
  successRate: z.number().nullable(),
  avgMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  emptyRate: z.number().nullable(),
  statuses: z.record(z.string(), z.number()),
  lastSuccessAt: z.string().nullable(),
  state: z.enum(['healthy', 'degraded', 'down']),
});

export const healthView = z.object({
  since: z.string(),
  engines: z.array(healthGroup),
  sites: z.array(healthGroup),
  resources: z.object({
    scrapesRunning: z.number(),
    pagesQueued: z.number(),
    pagesActive: z.number(),
    vectorStore: z.enum(['pgvector', 'portable']),
    browser: z.object({
      executablePath: z.string(),
      available: z.boolean(),
      launches: z.number(),
      pagesRendered: z.number(),
      renderFailures: z.number(),
      killedForMemory: z.number(),
      killedForTime: z.number(),
      openPages: z.number(),
      connected: z.boolean(),
      lastLaunchError: z.string().nullable(),
    }),
    process: z.object({ rssMb: z.number(), heapUsedMb: z.number() }),
  }),
});

export { iso };
