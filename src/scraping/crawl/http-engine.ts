// The HTTP engine: one page through the outbound client (SSRF guard on every hop, retries with backoff and
// jitter on network errors, 429 with Retry-After and 5xx, a breaker per host), with size, time and
// content-type checks, and robots.txt asked again when a redirect leaves the origin.
import { followRedirects, type OutboundClient, type OutboundRequest, type OutboundResult } from '../../platform/outbound/index.ts';
import type { ProxyRoute } from './proxies.ts';

export interface FetchedPage {
  ok: true;
  finalUrl: string;
  status: number;
  contentType: string | null;
  html: string;
  bytes: number;
  attempts: number;
  ms: number;
}

/** Why there is no page: `outcome` is the page's final state; `retryAfterMs` asks for a later attempt. */
export interface FetchFailure {
  ok: false;
  outcome: 'failed' | 'skipped' | 'blocked';
  code: string;
  reason: string;
  status?: number;
  attempts: number;
  ms: number;
  retryAfterMs?: number;
}

export type FetchOutcome = FetchedPage | FetchFailure;

export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRetries: number;
  signal?: AbortSignal;
  /** Asked for every redirect target on another origin; false blocks the page. */
  allowedByRobots?: (url: URL) => Promise<boolean>;
  /** The workspace's proxies: every request (and redirect hop) goes through the one the rotation picks. */
  proxy?: ProxyRoute | null;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const RETRY = { baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 30_000 };

export async function fetchHtml(outbound: OutboundClient, url: URL, options: FetchOptions): Promise<FetchOutcome> {
  let blockedHop: string | null = null;
  const send = async (request: OutboundRequest): Promise<OutboundResult> => {
    const target = new URL(request.url);
    if (target.origin !== url.origin && options.allowedByRobots && !(await options.allowedByRobots(target))) {
      blockedHop = target.href;
      return { ok: false, error: { code: 'aborted', message: 'robots.txt disallows the redirect target' }, attempts: 0, latencyMs: 0 };
    }
    const proxied = { ...request, breakerKey: `scrape:${target.host}` };
    return options.proxy ? options.proxy.request(outbound, proxied) : outbound.request(proxied);
  };
  const result = await followRedirects(
    send,
    {
      url,
      headers: { 'user-agent': options.userAgent, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' },
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxBytes,
      retry: { maxAttempts: options.maxRetries + 1, ...RETRY },
      labels: { capability: 'scraping' },
      ...(options.signal ? { signal: options.signal } : {}),
    },
    { maxHops: 5 },
  );
  const base = { attempts: result.attempts, ms: Math.round(result.latencyMs) };
  if (blockedHop) {
    return { ok: false, outcome: 'blocked', code: 'robots_disallowed', reason: `redirected to ${blockedHop}, which robots.txt disallows`, ...base };
  }
  if (!result.ok) {
    const { code, message, status, retryAfterMs } = result.error;
    const failure = (outcome: FetchFailure['outcome'], reasonCode: string, reason: string, extra: Partial<FetchFailure> = {}): FetchFailure => ({
      ok: false,
      outcome,
      code: reasonCode,
      reason,
      ...(status !== undefined ? { status } : {}),
      ...base,
      ...extra,
    });
    switch (code) {
      case 'http_error':
        // The server asked for a longer pause than a call may wait: the page is tried again later.
        if ((status === 429 || status === 503) && retryAfterMs !== undefined && retryAfterMs > RETRY.maxRetryAfterMs) {
          return failure('failed', `http_${status}`, `${status} with Retry-After ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
        }
        return failure('failed', `http_${status}`, `answered ${status}${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}`);
      case 'circuit_open':
        return failure('failed', 'circuit_open', `the host failed repeatedly; paused (${message})`, retryAfterMs !== undefined ? { retryAfterMs } : {});
      case 'response_too_large':
        return failure('skipped', 'too_large', `larger than ${options.maxBytes} bytes`);
      case 'ssrf_refused':
        return failure('failed', 'ssrf_refused', `refused by the SSRF guard: ${message}`);
      case 'too_many_redirects':
        return failure('failed', 'too_many_redirects', 'more than 5 redirects');
      default:
        return failure('failed', code, message);
    }
  }
  const contentType = header(result.headers['content-type']);
  const looksLikeHtml = contentType ? HTML_TYPES.test(contentType) : sniffHtml(result.body);
  if (!looksLikeHtml) {
    return { ok: false, outcome: 'skipped', code: 'unsupported_content_type', reason: `content type ${contentType ?? 'unknown'} is not HTML`, status: result.status, ...base };
  }
  return { ok: true, finalUrl: result.finalUrl, status: result.status, contentType, html: decode(result.body, contentType), bytes: result.body.length, ...base };
}

function header(value: string | string[] | undefined): string | null {
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || null;
}

function sniffHtml(body: Buffer): boolean {
  return /<(!doctype html|html|head|body)[\s>]/i.test(body.subarray(0, 1024).toString('latin1'));
}

/** Decodes with the charset of the header, else of a <meta>, else UTF-8. */
export function decode(body: Buffer, contentType: string | null): string {
  const declared = /charset="?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared).decode(body);
    } catch {
      // An unknown label: fall through to UTF-8, which is what most such pages really are.
    }
  }
  return new TextDecoder('utf-8').decode(body);
}
