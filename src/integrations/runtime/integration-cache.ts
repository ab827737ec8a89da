// Integration rows for the call paths (actions, proxy), kept a few seconds per hub process so a busy
// integration is not read from the database on every call. Every change this process makes to an
// integration forgets its entry at once; a change made by another process (a disconnect, a new
// credential, a refreshed token) is seen within TTL_MS. Management routes (GET, PATCH, DELETE, test) always
// read the database. The workspace check is made on every hit, exactly as the query would.
import { LRUCache } from 'lru-cache';

/** Also the bound on how long another process's change can go unseen here. */
export const INTEGRATION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export interface IntegrationCache<Row> {
  get(id: string): Row | undefined;
  /** A ticket taken before the read; an entry read before a `forget` of the same process is not kept. */
  ticket(): number;
  remember(id: string, row: Row, ticket: number): void;
  forget(id: string): void;
}

export function createIntegrationCache<Row>(options: { ttlMs?: number; now?: () => number } = {}): IntegrationCache<Row> {
  const now = options.now ?? (() => performance.now());
  const entries = new LRUCache<string, { row: Row }>({ max: MAX_ENTRIES, ttl: options.ttlMs ?? INTEGRATION_CACHE_TTL_MS, ttlResolution: 0, perf: { now } });
  let generation = 0;
  return {
    get: (id) => entries.get(id)?.row,
    ticket: () => generation,
    remember(id, row, ticket) {
      if (ticket === generation) entries.set(id, { row });
    },
    forget(id) {
      generation += 1;
      entries.delete(id);
    },
  };
}

const caches = new WeakMap<object, IntegrationCache<unknown>>();

/** This hub's cache (keyed by its database handle, which exists once per hub). */
export function integrationCacheOf<Row>(hub: { db: object }): IntegrationCache<Row> {
  let cache = caches.get(hub.db);
  if (!cache) {
    cache = createIntegrationCache<unknown>();
    caches.set(hub.db, cache);
  }
  return cache as IntegrationCache<Row>;
}
