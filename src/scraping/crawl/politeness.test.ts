// Per-host delay and concurrency shared through the database, on every backend, with a fake clock: the
// spacing asserted is the spacing the layer granted, never time measured on the wall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import type { Clock } from '../../platform/outbound/index.ts';
import { createPoliteness } from './politeness.ts';

function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe.each(backends)('politeness on $name', (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.create();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('spaces the starts it grants for one host by the delay, across workers', async () => {
    const clock = fakeClock();
    // Two "workers" share the database, as two processes would.
    const one = createPoliteness({ db: database.handle.db, clock, holderId: 'one' });
    const two = createPoliteness({ db: database.handle.db, clock, holderId: 'two' });
    const starts = await Promise.all([one, two, one, two, one].map((worker) => worker.reserve('delay.example', 1500)));
    const sorted = [...starts].sort((a, b) => a - b);
    expect(sorted[0]).toBe(clock.now());
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBe(1500);
    // Another host has its own chain; a zero delay reserves nothing.
    expect(await one.reserve('other.example', 1500)).toBe(clock.now());
    expect(await one.reserve('delay.example', 0)).toBe(clock.now());
    // Once the chain lies in the past, the next start is now.
    clock.advance(60_000);
    expect(await two.reserve('delay.example', 1500)).toBe(clock.now());
  });

  it('hands out at most `limit` slots per key, all keys of a request or none, and frees expired ones', async () => {
    const clock = fakeClock();
    const one = createPoliteness({ db: database.handle.db, clock, holderId: 'one' });
    const two = createPoliteness({ db: database.handle.db, clock, holderId: 'two' });
    const options = { ttlMs: 10_000, maxWaitMs: 0 };
    const host = { key: 'host:slots.example', limit: 2 };
    const first = await one.acquire([{ key: 'scrape:a', limit: 5 }, host], options);
    const second = await two.acquire([{ key: 'scrape:b', limit: 5 }, host], options);
    expect(first?.leases).toHaveLength(2);
    expect(second?.leases).toHaveLength(2);
    // The host is full: nothing is taken, not even the free scrape slot.
    expect(await two.acquire([{ key: 'scrape:c', limit: 1 }, host], options)).toBeNull();
    expect(await one.acquire([{ key: 'scrape:c', limit: 1 }], options)).not.toBeNull();
    await one.release(first!.leases);
    const third = await two.acquire([host], options);
    expect(third?.leases[0]!.slot).toBe(first!.leases.find((lease) => lease.key === host.key)!.slot);
    // A holder that died never releases: its slots free themselves when the lease expires.
    clock.advance(10_001);
    expect(await one.acquire([host], options)).not.toBeNull();
  });
});
