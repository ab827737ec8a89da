// The API-key principal cache: trusted for its TTL and no longer, never past a key's expiry, forgotten at
// once on revocation (also when a lookup raced with it), bounded in size, one per hub.
import { describe, expect, it } from 'vitest';
import { createPrincipalCache, principalCacheOf } from './principal-cache.ts';
import type { Principal } from './principal.ts';

type KeyPrincipal = Extract<Principal, { kind: 'api_key' }>;

function principal(id: string): KeyPrincipal {
  return { kind: 'api_key', id, label: `key ${id}`, workspaceId: 'w1', role: 'admin', scopes: ['read', 'write'] };
}

function fakeClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('principal cache', () => {
  it('answers for its TTL, then asks the database again', () => {
    const clock = fakeClock();
    const cache = createPrincipalCache({ ttlMs: 5_000, now: clock.now });
    cache.remember('hash-a', principal('a'), null, cache.ticket());
    expect(cache.get('hash-a')).toEqual(principal('a'));
    clock.advance(4_999);
    expect(cache.get('hash-a')?.id).toBe('a');
    clock.advance(2);
    expect(cache.get('hash-a')).toBeUndefined();
  });

  it('never trusts a key past its own expiry', () => {
    const cache = createPrincipalCache({ ttlMs: 60_000 });
    cache.remember('hash-expired', principal('x'), new Date(Date.now() - 1), cache.ticket());
    expect(cache.get('hash-expired')).toBeUndefined();
    const clock = fakeClock();
    const timed = createPrincipalCache({ ttlMs: 60_000, now: clock.now });
    timed.remember('hash-soon', principal('s'), new Date(Date.now() + 1_000), timed.ticket());
    expect(timed.get('hash-soon')?.id).toBe('s');
    clock.advance(1_500);
    expect(timed.get('hash-soon')).toBeUndefined();
  });

  it('forgets a revoked key at once, and does not take back a lookup that raced with the revocation', () => {
    const cache = createPrincipalCache();
    cache.remember('hash-a', principal('a'), null, cache.ticket());
    cache.remember('hash-b', principal('b'), null, cache.ticket());
    const raced = cache.ticket();
    cache.forgetKey('a');
    expect(cache.get('hash-a')).toBeUndefined();
    expect(cache.get('hash-b')?.id).toBe('b');
    // This lookup read the row before the revocation committed: its answer is not remembered.
    cache.remember('hash-a', principal('a'), null, raced);
    expect(cache.get('hash-a')).toBeUndefined();
  });

  it('holds at most its size, dropping the least recently used', () => {
    const cache = createPrincipalCache({ max: 2 });
    cache.remember('h1', principal('1'), null, cache.ticket());
    cache.remember('h2', principal('2'), null, cache.ticket());
    cache.get('h1');
    cache.remember('h3', principal('3'), null, cache.ticket());
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h1')?.id).toBe('1');
    expect(cache.get('h3')?.id).toBe('3');
  });

  it('is off with a TTL of 0', () => {
    const cache = createPrincipalCache({ ttlMs: 0 });
    cache.remember('h', principal('1'), null, cache.ticket());
    expect(cache.get('h')).toBeUndefined();
  });

  it('keeps one cache per hub: the same key value on another database is another principal', () => {
    const hubA = { db: {} };
    const hubB = { db: {} };
    principalCacheOf(hubA).remember('same-hash', principal('in-a'), null, principalCacheOf(hubA).ticket());
    expect(principalCacheOf(hubA).get('same-hash')?.id).toBe('in-a');
    expect(principalCacheOf(hubB).get('same-hash')).toBeUndefined();
  });
});
