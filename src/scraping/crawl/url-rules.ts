// Which URLs a crawl follows: normalisation (so one page is one frontier entry), include/exclude patterns,
// and the same-host rule. Patterns are compiled once per scrape and checked for every discovered link.

/** The URL as the frontier keys it, or null when it is not an http(s) URL. Fragments never name another page. */
export function normalizeUrl(raw: string, base?: string | URL): URL | null {
  let url: URL;
  try {
    url = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  // WHATWG parsing already lower-cases the host and drops default ports; an empty query still leaves a `?`.
  return url.href.endsWith('?') ? new URL(url.href.slice(0, -1)) : url;
}

export type UrlPredicate = (url: URL) => boolean;

/** Throws an Error whose message says what is wrong with the pattern. */
export function compilePattern(pattern: string): UrlPredicate {
  if (pattern.startsWith('regex:')) {
    const expression = new RegExp(pattern.slice('regex:'.length));
    return (url) => expression.test(url.href);
  }
  const againstPath = pattern.startsWith('/');
  const expression = globToRegExp(pattern);
  return (url) => expression.test(againstPath ? url.pathname + url.search : url.href);
}

/** `**` crosses path segments, `*` stays inside one, `?` is literal (it starts query strings). */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else {
      source += char.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export type UrlVerdict = { ok: true } | { ok: false; reason: 'other_host' | 'excluded' | 'not_included' };

export interface UrlFilterOptions {
  includePatterns: readonly string[];
  excludePatterns: readonly string[];
  sameHost: boolean;
  /** Hosts of the seed URLs (with port), the only ones followed when sameHost is on. */
  seedHosts: readonly string[];
}

/** Decides whether a discovered link joins the frontier. Seeds bypass it: the user asked for them. */
export function createUrlFilter(options: UrlFilterOptions): (url: URL) => UrlVerdict {
  const include = options.includePatterns.map(compilePattern);
  const exclude = options.excludePatterns.map(compilePattern);
  const hosts = new Set(options.seedHosts);
  return (url) => {
    if (options.sameHost && !hosts.has(url.host)) return { ok: false, reason: 'other_host' };
    if (exclude.some((matches) => matches(url))) return { ok: false, reason: 'excluded' };
    if (include.length > 0 && !include.some((matches) => matches(url))) return { ok: false, reason: 'not_included' };
    return { ok: true };
  };
}
