// Per-host politeness shared by every worker: the delay between requests to a host is a chain of start
// times reserved atomically in the database, and concurrency (per host, per scrape) is a set of leased
// slots there. Time comes from an injectable clock, so tests check the spacing that was granted.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/outbound/index.ts';

export interface Lease {
  key: string;
  slot: number;
  holder: string;
}

export interface SlotRequest {
  key: string;
  /** Slots of this key that exist; at most this many holders at once. */
  limit: number;
}

export interface Politeness {
  /**
   * Reserves the next start for a request to `host`, at least `delayMs` after the previous reservation by
   * any worker; returns that start (epoch ms), which may be in the future.
   */
  reserve(host: string, delayMs: number): Promise<number>;
  /**
   * Takes one slot of every key at once (all or none, so two keys cannot deadlock each other) for `ttlMs`
   * (a crashed holder's slots free themselves then), waiting up to `maxWaitMs`. Null when none came free
   * in time; `waited` says whether the caller had to wait (and so should look again at what it waited for).
   */
  acquire(slots: SlotRequest[], options: { ttlMs: number; maxWaitMs: number; signal?: AbortSignal }): Promise<{ leases: Lease[]; waited: boolean } | null>;
  release(leases: Lease[]): Promise<void>;
  /** Removes the slots of a key no longer used (a finished scrape's). */
  forget(key: string): Promise<void>;
}

const POLL_START_MS = 20;
const POLL_MAX_MS = 250;

export function createPoliteness(options: { db: Db; clock: Clock; holderId: string }): Politeness {
  const { db, clock, holderId } = options;
  const prepared = new Set<string>();
  // Slots this process holds per key, and its local waiters: a process that already holds every slot of a
  // key waits here for its own release instead of polling the database.
  const heldHere = new Map<string, number>();
  const waiters = new Map<string, (() => void)[]>();
  let counter = 0;

  async function prepare(key: string, limit: number) {
    const marker = `${key}#${limit}`;
    if (prepared.has(marker)) return;
    await db.execute(sql`
      insert into scrape_leases (key, slot, holder, expires_at)
      select ${key}, s, null, 'epoch'::timestamptz from generate_series(0, ${limit - 1}::int) s
      on conflict do nothing`);
    prepared.add(marker);
  }

  /** One statement: a free slot of every key, locked and taken together, or nothing. */
  async function claim(slots: SlotRequest[], ttlMs: number): Promise<Lease[] | null> {
    const holder = `${holderId}:${++counter}`;
    const now = new Date(clock.now()).toISOString();
    const wanted = sql.join(
      slots.map((slot) => sql`(${slot.key}::text, ${slot.limit}::int)`),
      sql`, `,
    );
    const rows = rowsOf<{ key: string; slot: number }>(
      await db.execute(sql`
        with picked as (
          select p.key, p.slot from (values ${wanted}) as w(key, lim)
          cross join lateral (
            select l.key, l.slot from scrape_leases l
            where l.key = w.key and l.slot < w.lim and l.expires_at < ${now}::timestamptz
            order by l.slot limit 1 for update skip locked) p
        )
        update scrape_leases l set holder = ${holder}, expires_at = ${new Date(clock.now() + ttlMs).toISOString()}::timestamptz
        from picked
        where l.key = picked.key and l.slot = picked.slot and (select count(*) from picked) = ${slots.length}
        returning l.key, l.slot`),
    );
    return rows.length === slots.length ? rows.map((row) => ({ key: row.key, slot: Number(row.slot), holder })) : null;
  }

  function wake(key: string) {
    const queue = waiters.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) waiters.delete(key);
    next?.();
  }

  function waitLocally(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const queue = waiters.get(key) ?? [];
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        const index = queue.indexOf(finish);
        if (index >= 0) queue.splice(index, 1);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal?.addEventListener('abort', finish, { once: true });
      queue.push(finish);
      waiters.set(key, queue);
    });
  }

  return {
    async reserve(host, delayMs) {
      if (delayMs <= 0) return clock.now();
      const now = new Date(clock.now()).toISOString();
      const rows = rowsOf<{ next_at: string | Date }>(
        await db.execute(sql`
          insert into scrape_host_schedule (host, next_at)
          values (${host}, ${now}::timestamptz + ${delayMs} * interval '1 millisecond')
          on conflict (host) do update
            set next_at = greatest(scrape_host_schedule.next_at, ${now}::timestamptz) + ${delayMs} * interval '1 millisecond'
          returning next_at`),
      );
      return new Date(rows[0]!.next_at).getTime() - delayMs;
    },

    async acquire(slots, { ttlMs, maxWaitMs, signal }) {
      for (const slot of slots) await prepare(slot.key, slot.limit);
      const started = clock.now();
      let pause = POLL_START_MS;
      let waited = false;
      for (;;) {
        if (signal?.aborted) return null;
        const remaining = maxWaitMs - (clock.now() - started);
        const full = slots.find((slot) => (heldHere.get(slot.key) ?? 0) >= slot.limit);
        if (full) {
          if (remaining <= 0) return null;
          waited = true;
          await waitLocally(full.key, Math.min(remaining, POLL_MAX_MS * 4), signal);
          continue;
        }
        const leases = await claim(slots, ttlMs);
        if (leases) {
          for (const lease of leases) heldHere.set(lease.key, (heldHere.get(lease.key) ?? 0) + 1);
          return { leases, waited };
        }
        // Held by other processes: poll with a growing pause.
        if (remaining <= 0) return null;
        waited = true;
        await waitLocally(slots[0]!.key, Math.min(pause, remaining), signal);
        pause = Math.min(POLL_MAX_MS, pause * 2);
      }
    },

    async release(leases) {
      if (leases.length === 0) return;
      for (const lease of leases) {
        const held = (heldHere.get(lease.key) ?? 1) - 1;
        if (held <= 0) heldHere.delete(lease.key);
        else heldHere.set(lease.key, held);
      }
      try {
        const taken = sql.join(
          leases.map((lease) => sql`(${lease.key}::text, ${lease.slot}::int, ${lease.holder}::text)`),
          sql`, `,
        );
        await db.execute(sql`
          update scrape_leases set holder = null, expires_at = 'epoch'::timestamptz
          where (key, slot, holder) in (${taken})`);
      } finally {
        for (const lease of leases) wake(lease.key);
      }
    },

    async forget(key) {
      await db.execute(sql`delete from scrape_leases where key = ${key}`);
      for (const marker of prepared) if (marker.startsWith(`${key}#`)) prepared.delete(marker);
    },
  };
}

/**
 * The same politeness for a hub that is the only process on its database (the embedded PGlite is locked to
 * one process): there is nobody to share with, so delays and slots are kept in memory, which spares two
 * database writes per page on a single-threaded database.
 */
export function createLocalPoliteness(options: { clock: Clock }): Politeness {
  const { clock } = options;
  const nextAt = new Map<string, number>();
  const held = new Map<string, number>();
  const waiters: (() => void)[] = [];
  let counter = 0;

  const fits = (slots: SlotRequest[]) => slots.every((slot) => (held.get(slot.key) ?? 0) < slot.limit);
  const wakeAll = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };

  return {
    async reserve(host, delayMs) {
      const now = clock.now();
      if (delayMs <= 0) return now;
      const start = Math.max(nextAt.get(host) ?? now, now);
      nextAt.set(host, start + delayMs);
      return start;
    },

    async acquire(slots, { maxWaitMs, signal }) {
      const started = clock.now();
      let waited = false;
      while (!fits(slots)) {
        const remaining = maxWaitMs - (clock.now() - started);
        if (remaining <= 0 || signal?.aborted) return null;
        waited = true;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(remaining, POLL_MAX_MS * 4));
          signal?.addEventListener('abort', done, { once: true });
          waiters.push(done);
        });
      }
      const holder = `local:${++counter}`;
      const leases = slots.map((slot) => {
        const count = held.get(slot.key) ?? 0;
        held.set(slot.key, count + 1);
        return { key: slot.key, slot: count, holder };
      });
      return { leases, waited };
    },

    async release(leases) {
      for (const lease of leases) {
        const count = (held.get(lease.key) ?? 1) - 1;
        if (count <= 0) held.delete(lease.key);
        else held.set(lease.key, count);
      }
      if (leases.length > 0) wakeAll();
    },

    async forget(key) {
      held.delete(key);
    },
  };
}
