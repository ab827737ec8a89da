// A short-lived in-memory cache for safe GETs a caller opts into (cacheTtlMs): provider catalogues such as
// voices or models, asked for often and changing rarely. Only 2xx answers are kept.
import { createHash } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { ResponseHeaders } from './contracts.ts';

export interface CachedResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

export interface ResponseCache {
  /** GET and HEAD only; every request header is part of the key (see below). */
  keyFor(method: string, url: string, headers: Readonly<Record<string, string>>): string | undefined;
  get(key: string): CachedResponse | undefined;
  set(key: string, response: CachedResponse, ttlMs: number): void;
}

export interface ResponseCacheOptions {
  /** Least recently used entries go first beyond this count. Default 1,000. */
  maxEntries?: number;
  /** Larger bodies are not cached. Default 1 MiB. */
  maxEntryBytes?: number;
}

const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

export function createResponseCache(clock: Clock, options: ResponseCacheOptions = {}): ResponseCache {
  const maxEntries = options.maxEntries ?? 1_000;
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  const entries = new Map<string, CachedResponse & { expiresAt: number }>();

  return {
    keyFor(method, url, headers) {
      if (!CACHEABLE_METHODS.has(method)) return undefined;
      // All headers, not a Vary list: Authorization differs between integrations of one provider, and one
      // workspace's answer must never be served to another. Hashed so no secret sits in a key.
      const normalised = Object.entries(headers)
        .map(([name, value]) => `${name.toLowerCase()}:${value}`)
        .sort()
        .join('\n');
      return createHash('sha256').update(`${method} ${url}\n${normalised}`).digest('base64url');
    },

    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= clock.now()) return undefined;
      entries.set(key, entry);
      return { status: entry.status, headers: { ...entry.headers }, body: Buffer.from(entry.body) };
    },

    set(key, response, ttlMs) {
      const cacheControl = String(response.headers['cache-control'] ?? '');
      if (response.status < 200 || response.status > 299 || ttlMs <= 0) return;
      if (/\bno-store\b/i.test(cacheControl) || response.body.length > maxEntryBytes) return;
      entries.delete(key);
      entries.set(key, { ...response, body: Buffer.from(response.body), expiresAt: clock.now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
