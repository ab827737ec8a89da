// A scrape's options: the request merged over the workspace defaults and the built-in ones, then the checks
// a schema cannot make alone (overlap under size, patterns and selectors that compile, URLs the SSRF guard
// accepts, an embeddings integration that exists), each failure naming its field.
import { eq } from 'drizzle-orm';
import { ApiError, type FieldProblem } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import type { Db } from '../platform/db/database.ts';
import { createSsrfGuard, type SsrfGuard } from '../platform/outbound/index.ts';
import { loadIntegration } from '../integrations/service.ts';
import {
  BUILT_IN_DEFAULTS,
  scrapeDefaultsSchema,
  TURBO_GLOBAL_CONCURRENCY,
  type CreateScrapeBody,
  type ScrapeDefaults,
  type ScrapeOptions,
} from './contracts.ts';
import { compilePattern, normalizeUrl } from './crawl/url-rules.ts';
import { selectorProblem } from './extract/dom.ts';
import { EMBEDDINGS_ACTION } from './embed/embedder.ts';
import { scrapeSettings } from './tables.ts';

export async function loadDefaults(db: Db, workspaceId: string): Promise<ScrapeDefaults> {
  const [row] = await db.select().from(scrapeSettings).where(eq(scrapeSettings.workspaceId, workspaceId));
  if (!row) return {};
  // Defaults saved by an older version may hold fields since removed: keep what still parses.
  const parsed = scrapeDefaultsSchema.safeParse(row.defaults);
  return parsed.success ? parsed.data : {};
}

/** Request fields win over workspace defaults, which win over the built-in defaults. */
export function resolveOptions(body: CreateScrapeBody, defaults: ScrapeDefaults, userAgent: string): ScrapeOptions {
  const pick = <K extends keyof ScrapeDefaults>(key: K) => (body[key] ?? defaults[key]) as ScrapeDefaults[K];
  const turboMode = pick('turboMode') ?? BUILT_IN_DEFAULTS.turboMode;
  const concurrency = pick('maxConcurrency');
  const base = turboMode ? { ...BUILT_IN_DEFAULTS.maxConcurrency, global: TURBO_GLOBAL_CONCURRENCY } : BUILT_IN_DEFAULTS.maxConcurrency;
  const maxConcurrency =
    concurrency === undefined ? base : typeof concurrency === 'number' ? { ...base, global: concurrency } : { ...base, ...concurrency };
  const embeddings = pick('embeddings');
  return {
    urls: body.urls,
    maxPages: pick('maxPages') ?? BUILT_IN_DEFAULTS.maxPages,
    maxDepth: pick('maxDepth') ?? BUILT_IN_DEFAULTS.maxDepth,
    sameHost: pick('sameHost') ?? BUILT_IN_DEFAULTS.sameHost,
    includePatterns: pick('includePatterns') ?? [],
    excludePatterns: pick('excludePatterns') ?? [],
    includeSelectors: pick('includeSelectors') ?? [],
    excludeSelectors: pick('excludeSelectors') ?? [],
    respectRobots: pick('respectRobots') ?? BUILT_IN_DEFAULTS.respectRobots,
    crawlDelay: pick('crawlDelay') ?? BUILT_IN_DEFAULTS.crawlDelay,
    maxConcurrency,
    turboMode,
    engine: pick('engine') ?? BUILT_IN_DEFAULTS.engine,
    extractProducts: pick('extractProducts') ?? BUILT_IN_DEFAULTS.extractProducts,
    chunkSize: pick('chunkSize') ?? BUILT_IN_DEFAULTS.chunkSize,
    chunkOverlap: pick('chunkOverlap') ?? Math.min(BUILT_IN_DEFAULTS.chunkOverlap, Math.floor((pick('chunkSize') ?? BUILT_IN_DEFAULTS.chunkSize) / 5)),
    embeddings: embeddings
      ? {
          provider: embeddings.provider,
          ...(embeddings.integrationId ? { integrationId: embeddings.integrationId } : {}),
          ...(embeddings.model ? { model: embeddings.model } : {}),
          batchSize: embeddings.batchSize ?? BUILT_IN_DEFAULTS.embeddings.batchSize,
        }
      : BUILT_IN_DEFAULTS.embeddings,
    userAgent: pick('userAgent') ?? userAgent,
    pageTimeoutSeconds: pick('pageTimeoutSeconds') ?? BUILT_IN_DEFAULTS.pageTimeoutSeconds,
    maxPageBytes: pick('maxPageBytes') ?? BUILT_IN_DEFAULTS.maxPageBytes,
    maxRetries: pick('maxRetries') ?? BUILT_IN_DEFAULTS.maxRetries,
  };
}

/** Problems of options (or defaults) that hold without looking at the network or the database. */
export function localProblems(options: ScrapeDefaults, where: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (options.chunkSize !== undefined && options.chunkOverlap !== undefined && options.chunkOverlap >= options.chunkSize / 2) {
    problems.push({ field: `${where}.chunkOverlap`, message: `must be less than half of chunkSize (${options.chunkSize})` });
  }
  for (const key of ['includePatterns', 'excludePatterns'] as const) {
    (options[key] ?? []).forEach((pattern, index) => {
      try {
        compilePattern(pattern);
      } catch (error) {
        problems.push({ field: `${where}.${key}.${index}`, message: `is not a valid pattern: ${(error as Error).message}` });
      }
    });
  }
  for (const key of ['includeSelectors', 'excludeSelectors'] as const) {
    (options[key] ?? []).forEach((selector, index) => {
      const problem = selectorProblem(selector);
      if (problem) problems.push({ field: `${where}.${key}.${index}`, message: `is not a valid CSS selector: ${problem}` });
    });
  }
  const embeddings = options.embeddings;
  if (embeddings?.provider === 'integration' && !embeddings.integrationId) {
    problems.push({ field: `${where}.embeddings.integrationId`, message: 'is required when provider is "integration"' });
  }
  if (embeddings && embeddings.provider !== 'integration' && (embeddings.integrationId || embeddings.model)) {
    problems.push({ field: `${where}.embeddings.provider`, message: 'must be "integration" to use integrationId or model' });
  }
  return problems;
}

const guards = new WeakMap<HubContext['config'], SsrfGuard>();
export function guardFor(hub: HubContext): SsrfGuard {
  let guard = guards.get(hub.config);
  if (!guard) {
    guard = createSsrfGuard({ allowPrivateNetworks: hub.config.allowPrivateNetworks });
    guards.set(hub.config, guard);
  }
  return guard;
}

/** Throws validation_failed listing every problem of a resolved scrape. */
export async function validateScrape(hub: HubContext, workspaceId: string, options: ScrapeOptions): Promise<URL[]> {
  const problems: FieldProblem[] = [];
  if (options.chunkOverlap >= options.chunkSize / 2) {
    problems.push({ field: 'body.chunkOverlap', message: `must be less than half of chunkSize (${options.chunkSize})` });
  }
  problems.push(...localProblems({ ...options, chunkSize: undefined, chunkOverlap: undefined } as ScrapeDefaults, 'body'));
  const seeds: URL[] = [];
  await Promise.all(
    options.urls.map(async (raw, index) => {
      const url = normalizeUrl(raw);
      if (!url) {
        problems.push({ field: `body.urls.${index}`, message: 'must be an http:// or https:// URL' });
        return;
      }
      const verdict = await guardFor(hub).checkUrl(url);
      if (!verdict.ok) {
        problems.push({
          field: `body.urls.${index}`,
          message:
            verdict.kind === 'refused'
              ? `is refused by the SSRF guard: ${verdict.reason}. Scrapes may not reach private, loopback or link-local addresses unless SWITCHBOARD_ALLOW_PRIVATE_NETWORKS lists the range`
              : `cannot be reached: ${verdict.reason}`,
        });
        return;
      }
      seeds.push(url);
    }),
  );
  if (options.embeddings.provider === 'integration' && options.embeddings.integrationId) {
    try {
      const row = await loadIntegration(hub, workspaceId, options.embeddings.integrationId);
      const connector = hub.connectors.get(row.connectorId);
      if (!connector?.actions.some((action) => action.name === EMBEDDINGS_ACTION)) {
        problems.push({ field: 'body.embeddings.integrationId', message: `the ${row.connectorId} integration "${row.name}" has no embeddings endpoint (${EMBEDDINGS_ACTION})` });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problems.push({ field: 'body.embeddings.integrationId', message: 'no such integration in this workspace' });
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.field.localeCompare(b.field));
    throw new ApiError('validation_failed', `Invalid scrape. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { details: problems });
  }
  // Seeds in the order given, each once.
  const seen = new Set<string>();
  return options.urls
    .map((raw) => normalizeUrl(raw)!)
    .filter((url) => {
      if (seen.has(url.href)) return false;
      seen.add(url.href);
      return true;
    });
}
