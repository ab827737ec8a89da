// The date window a KPI sync reads: the whole backfill on its first run, afterwards the days since its last
// successful run plus a lookback, because providers keep revising recent days (late conversions, GA4's
// 24-48 h processing, Meta's attribution windows). Shared so every analytics connector reads the same way.

const DAY_MS = 86_400_000;

export interface SyncWindowOptions {
  /** Days read on the first run (and never more than this). */
  backfillDays: number;
  /** Days before the last successful run that are read again. */
  lookbackDays: number;
}

/** How many days back from today (today included as day 0) this run reads. */
export function daysToRead(lastSuccessAt: Date | null, options: SyncWindowOptions, now = Date.now()): number {
  if (!lastSuccessAt) return options.backfillDays;
  const since = Math.max(0, Math.floor((now - lastSuccessAt.getTime()) / DAY_MS));
  return Math.min(options.backfillDays, since + options.lookbackDays);
}

/** YYYY-MM-DD of a moment, in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first and last day (UTC, inclusive) of a window reaching `days` back from today. */
export function dayRange(days: number, now = Date.now()): { since: string; until: string } {
  return { since: isoDay(now - days * DAY_MS), until: isoDay(now) };
}
