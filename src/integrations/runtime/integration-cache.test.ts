// The call paths' integration cache: trusted for its TTL only, forgotten at once by this process's own
// changes, and never re-filled by a read that raced with such a change.
import { describe, expect, it } from 'vitest';
import { createIntegrationCache } from './integration-cache.ts';

describe('integration cache', () => {
  it('answers for its TTL, then misses', () => {
    let now = 1_000;
    const cache = createIntegrationCache<{ v: number }>({ ttlMs: 5_000, now: () => now });
    cache.remember('i1', { v: 1 }, cache.ticket());
    now = 5_999;
    expect(cache.get('i1')).toEqual({ v: 1 });
    now = 6_001;
    expect(cache.get('i1')).toBeUndefined();
  });

  it('forgets on a change, and a read that began before the change is not kept', () => {
    const cache = createIntegrationCache<{ v: number }>();
    cache.remember('i1', { v: 1 }, cache.ticket());
    const before = cache.ticket();
    cache.forget('i1');
    expect(cache.get('i1')).toBeUndefined();
    cache.remember('i1', { v: 1 }, before);
    expect(cache.get('i1')).toBeUndefined();
    cache.remember('i1', { v: 2 }, cache.ticket());
    expect(cache.get('i1')).toEqual({ v: 2 });
  });
});
