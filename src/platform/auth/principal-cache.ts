// A short-lived, bounded cache of API-key principals by key hash, so a busy key is not looked up in the
// database on every request. One per hub process; a revocation made through this process takes effect at
// once, one made through another process within API_KEY_CACHE_TTL_MS (the bounded staleness across nodes).
// lru-cache (isaacs, the npm CLI's own cache) gives the size bound, per-entry TTL and an injectable clock.
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal.ts';

/** How long a looked-up key is trusted without asking the database again; also the cross-process staleness bound. */
export const API_KEY_CACHE_TTL_MS = 5_000;
/** Distinct keys remembered at once; the least recently used are dropped first. */
export const API_KEY_CACHE_SIZE = 10_000;

type ApiKeyPrincipal = Extract<Principal, { kind: 'api_key' }>;

export interface PrincipalCache {
  get(keyHash: string): ApiKeyPrincipal | undefined;
  /**
   * Ticket taken before a database lookup: a lookup that raced with an invalidation (it read the key just
   * before a revocation committed) must not put the old principal back.
   */
  ticket(): number;
  remember(keyHash: string, principal: ApiKeyPrincipal, expiresAt: Date | null, ticket: number): void;
  /** Forget one key (revoked, or its role or scopes changed). */
  forgetKey(keyId: string): void;
  clear(): void;
}

export function createPrincipalCache(options: { ttlMs?: number; max?: number; now?: () => number } = {}): PrincipalCache {
  const ttlMs = options.ttlMs ?? API_KEY_CACHE_TTL_MS;
  const now = options.now ?? (() => performance.now());
  // ttlResolution 0: read the clock on every check (a timer-debounced clock would outlive a revoked key's TTL in tests).
  const byHash = new LRUCache<string, ApiKeyPrincipal>({ max: options.max ?? API_KEY_CACHE_SIZE, ttl: ttlMs, ttlResolution: 0, perf: { now }, updateAgeOnGet: false });
  let generation = 0;
  return {
    get: (keyHash) => (ttlMs > 0 ? byHash.get(keyHash) : undefined),
    ticket: () => generation,
    remember(keyHash, principal, expiresAt, ticket) {
      if (ttlMs <= 0 || ticket !== generation) return;
      // A key that expires sooner than the TTL is trusted only until it expires.
      const left = expiresAt ? expiresAt.getTime() - Date.now() : ttlMs;
      if (left <= 0) return;
      byHash.set(keyHash, principal, { ttl: Math.min(ttlMs, left) });
    },
    forgetKey(keyId) {
      generation += 1;
      for (const [hash, principal] of byHash.entries()) if (principal.id === keyId) byHash.delete(hash);
    },
    clear() {
      generation += 1;
      byHash.clear();
    },
  };
}

// One cache per hub: keyed by its database handle, which exists once per hub (tests run several hubs in
// one process, and the same key value can belong to different workspaces on different databases).
const caches = new WeakMap<object, PrincipalCache>();

export function principalCacheOf(hub: { db: object }): PrincipalCache {
  let cache = caches.get(hub.db);
  if (!cache) {
    cache = createPrincipalCache();
    caches.set(hub.db, cache);
  }
  return cache;
}
