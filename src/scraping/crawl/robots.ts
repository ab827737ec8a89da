// robots.txt per RFC 9309: fetched once per origin through the outbound client, cached in the database for
// every worker (and in memory for this one), 4xx → everything allowed, 5xx or unreachable → nothing allowed.
import { eq } from 'drizzle-orm';
import robotsParserModule from 'robots-parser';
import type { Db } from '../../platform/db/database.ts';
import { followRedirects, type OutboundClient } from '../../platform/outbound/index.ts';
import { scrapeRobots } from '../tables.ts';

// robots-parser is CommonJS whose types say `export default`: Node hands over module.exports itself.
type ParseRobots = (url: string, contents: string) => {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
};
const robotsParser: ParseRobots =
  (robotsParserModule as unknown as { default?: ParseRobots }).default ?? (robotsParserModule as unknown as ParseRobots);

export type RobotsVerdict = 'parsed' | 'allow_all' | 'disallow_all';

export interface RobotsRules {
  origin: string;
  verdict: RobotsVerdict;
  /** Why the file was not used as is (its status, or the network error). */
  reason: string | null;
  isAllowed(url: URL): boolean;
  /** Crawl-delay for our group, in seconds, when the file sets one. */
  crawlDelay: number | undefined;
}

// RFC 9309 §2.4: a cached file should not be used for more than 24 hours.
const PARSED_TTL_MS = 24 * 3_600_000;
// An unreachable file disallows everything; it is asked again soon so a recovered site is crawled again.
const UNREACHABLE_TTL_MS = 5 * 60_000;
// RFC 9309 §2.5: crawlers must parse at least 500 KiB; we read that much and no more.
const MAX_ROBOTS_BYTES = 512 * 1024;
const MEMORY_ENTRIES = 1_000;

/** The product token robots.txt groups are matched on: the User-Agent's first word, without its version. */
export function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '*') || '*';
}

export function rulesFrom(origin: string, verdict: RobotsVerdict, body: string | null, reason: string | null, userAgent: string): RobotsRules {
  if (verdict !== 'parsed') {
    return { origin, verdict, reason, isAllowed: () => verdict === 'allow_all', crawlDelay: undefined };
  }
  const parsed = robotsParser(`${origin}/robots.txt`, body ?? '');
  const token = productToken(userAgent);
  return {
    origin,
    verdict,
    reason,
    // undefined means "not this origin": the caller asked the wrong file, which is a bug, so refuse.
    isAllowed: (url) => parsed.isAllowed(url.href, token) === true,
    crawlDelay: parsed.getCrawlDelay(token),
  };
}

export interface RobotsCache {
  rulesFor(url: URL, userAgent: string): Promise<RobotsRules>;
}

export function createRobotsCache(options: { db: Db; outbound: OutboundClient; now?: () => number; timeoutMs?: number }): RobotsCache {
  const now = options.now ?? Date.now;
  const memory = new Map<string, { verdict: RobotsVerdict; body: string | null; reason: string | null; expiresAt: number }>();
  // One fetch per origin at a time in this process: a new site's first pages all ask at once.
  const inFlight = new Map<string, Promise<{ verdict: RobotsVerdict; body: string | null; reason: string | null; expiresAt: number }>>();

  async function load(origin: string, userAgent: string) {
    const cached = memory.get(origin);
    if (cached && cached.expiresAt > now()) return cached;
    const [row] = await options.db.select().from(scrapeRobots).where(eq(scrapeRobots.origin, origin));
    if (row && row.expiresAt.getTime() > now()) {
      const entry = { verdict: row.verdict, body: row.body, reason: row.reason, expiresAt: row.expiresAt.getTime() };
      remember(origin, entry);
      return entry;
    }
    const fetched = await fetchRobots(options.outbound, origin, userAgent, options.timeoutMs ?? 10_000);
    const expiresAt = now() + (fetched.verdict === 'disallow_all' ? UNREACHABLE_TTL_MS : PARSED_TTL_MS);
    const values = { ...fetched, fetchedAt: new Date(now()), expiresAt: new Date(expiresAt) };
    await options.db
      .insert(scrapeRobots)
      .values({ origin, ...values })
      .onConflictDoUpdate({ target: scrapeRobots.origin, set: values });
    const entry = { verdict: fetched.verdict, body: fetched.body, reason: fetched.reason, expiresAt };
    remember(origin, entry);
    return entry;
  }

  function remember(origin: string, entry: { verdict: RobotsVerdict; body: string | null; reason: string | null; expiresAt: number }) {
    if (memory.size >= MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
    memory.set(origin, entry);
  }

  return {
    // No caller's AbortSignal reaches the fetch: it is shared by every page waiting for this origin, and an
    // aborted fetch must not be cached as "unreachable". Its own timeout bounds it.
    async rulesFor(url, userAgent) {
      const origin = url.origin;
      let pending = inFlight.get(origin);
      if (!pending) {
        pending = load(origin, userAgent).finally(() => inFlight.delete(origin));
        inFlight.set(origin, pending);
      }
      const entry = await pending;
      return rulesFrom(origin, entry.verdict, entry.body, entry.reason, userAgent);
    },
  };
}

async function fetchRobots(
  outbound: OutboundClient,
  origin: string,
  userAgent: string,
  timeoutMs: number,
): Promise<{ verdict: RobotsVerdict; body: string | null; reason: string | null; httpStatus: number | null }> {
  // RFC 9309 §2.3.1.2: follow at least five redirects.
  const result = await followRedirects(
    (request) => outbound.request(request),
    {
      url: `${origin}/robots.txt`,
      headers: { 'user-agent': userAgent, accept: 'text/plain, */*;q=0.5' },
      timeoutMs,
      maxResponseBytes: MAX_ROBOTS_BYTES,
      retry: { maxAttempts: 2 },
      breakerKey: `scrape:${new URL(origin).host}`,
      labels: { capability: 'scraping', purpose: 'robots' },
    },
    { maxHops: 5 },
  );
  if (result.ok) return { verdict: 'parsed', body: result.body.toString('utf8'), reason: null, httpStatus: result.status };
  const status = result.error.status ?? null;
  if (result.error.code === 'response_too_large') {
    return { verdict: 'disallow_all', body: null, reason: 'robots.txt is larger than 512 KiB', httpStatus: status };
  }
  if (result.error.code === 'too_many_redirects') {
    // §2.3.1.2: beyond five redirects the file may be treated as unavailable (4xx).
    return { verdict: 'allow_all', body: null, reason: 'robots.txt redirected more than 5 times (treated as absent)', httpStatus: status };
  }
  // 429 is a 4xx, but it says "slow down", not "there is no file": treated as unreachable, like a 5xx.
  if (result.error.code === 'http_error' && status !== null && status >= 400 && status < 500 && status !== 429) {
    return { verdict: 'allow_all', body: null, reason: `robots.txt answered ${status} (everything allowed, RFC 9309 §2.3.1.3)`, httpStatus: status };
  }
  const why = status !== null ? `answered ${status}` : `could not be fetched (${result.error.code}: ${result.error.message})`;
  return { verdict: 'disallow_all', body: null, reason: `robots.txt ${why}: nothing is crawled (RFC 9309 §2.3.1.4)`, httpStatus: status };
}
