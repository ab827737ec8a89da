// Following redirects on purpose, for the few callers that should (scrapers, downloads): each hop is a new
// request through the client, so the SSRF guard judges every Location, and hops are capped.
import type { OutboundRequest, OutboundResult } from './contracts.ts';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Credentials meant for one origin must not be handed to whatever origin a redirect names.
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export type RedirectedResult = OutboundResult & {
  /** The URL that produced the final answer. */
  finalUrl: string;
  /** Redirects followed. */
  redirects: number;
};

export async function followRedirects(
  send: (request: OutboundRequest) => Promise<OutboundResult>,
  request: OutboundRequest,
  options: { maxHops?: number } = {},
): Promise<RedirectedResult> {
  const maxHops = options.maxHops ?? 5;
  let current = request;
  let attempts = 0;
  let latencyMs = 0;
  for (let hop = 0; ; hop++) {
    const result = await send(current);
    attempts += result.attempts;
    latencyMs += result.latencyMs;
    const summary = { attempts, latencyMs, finalUrl: String(current.url), redirects: hop };
    const location = result.ok ? undefined : headerValue(result.response?.headers.location);
    if (result.ok || !location || !REDIRECT_STATUSES.has(result.response!.status)) return { ...result, ...summary };
    if (hop >= maxHops) {
      return {
        ok: false,
        error: { code: 'too_many_redirects', message: `stopped after ${maxHops} redirects`, status: result.response!.status },
        response: result.response,
        ...summary,
      };
    }
    const next = nextHop(current, result.response!.status, location);
    if (!next) return { ...result, ...summary };
    current = next;
  }
}

/** Undefined when Location is not a URL: the redirect answer is then the result. */
function nextHop(request: OutboundRequest, status: number, location: string): OutboundRequest | undefined {
  const from = new URL(request.url);
  if (!URL.canParse(location, from.href)) return undefined;
  const to = new URL(location, from);
  const method = (request.method ?? 'GET').toUpperCase();
  // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
  const becomesGet = status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST';
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).filter(([name]) => {
      const lower = name.toLowerCase();
      if (to.origin !== from.origin && ORIGIN_BOUND_HEADERS.has(lower)) return false;
      return !(becomesGet && (lower === 'content-type' || lower === 'content-length'));
    }),
  );
  return { ...request, url: to, headers, ...(becomesGet ? { method: 'GET', body: undefined } : {}) };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
