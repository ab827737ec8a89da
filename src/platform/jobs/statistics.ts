// Planner statistics for pg-boss's tables. pg-boss settles a batch of jobs by joining their ids against
// pgboss.job; with no statistics (PGlite has no autovacuum, and a PostgreSQL may have it off or not have
// reached the table yet) the planner believes the table is nearly empty and scans every job of the queue
// for each settlement, so completions slow down as finished jobs accumulate (measured: 0.12× of bare
// pg-boss with 50,000 kept). ANALYZE fixes the plan; this module runs it when the tables have grown or
// shrunk since they were last analyzed, and on demand.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../db/database.ts';

/**
 * A table is re-analyzed when its size in pages has moved this far from what the last ANALYZE saw
 * (relpages): a quarter bigger or half as big, past a floor of a few pages. Page counts come from the
 * file size, so the check is a catalogue read that costs nothing, on PGlite too (whose statistics
 * collector does not report row changes).
 */
const GROWTH = 1.25;
const SHRINK = 0.5;
const MIN_PAGES = 16;

interface TableSize {
  name: string;
  relpages: number;
  reltuples: number;
  pages: number;
  job_partition: boolean;
}

export interface StatisticsRefresh {
  /** Tables ANALYZE was run on (a partition is analyzed through pgboss.job, which covers all of them). */
  analyzed: string[];
}

/**
 * Analyzes pg-boss's tables whose statistics are missing or stale, or all of them with `force`.
 * `ANALYZE (SKIP_LOCKED)` takes only a SHARE UPDATE EXCLUSIVE lock (reads and writes go on) and skips a
 * table another ANALYZE, a VACUUM or an index build holds, instead of waiting behind it: several workers
 * may run this at once.
 */
export async function refreshJobStatistics(db: Queryable, options: { force?: boolean } = {}): Promise<StatisticsRefresh> {
  const sizes = rowsOf<TableSize>(
    await db.execute(sql`
      select c.oid::regclass::text as name, c.relpages, c.reltuples,
             (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages,
             exists (select 1 from pg_inherits i where i.inhrelid = c.oid and i.inhparent = 'pgboss.job'::regclass) as job_partition
      from pg_class c
      where c.relnamespace = 'pgboss'::regnamespace and c.relkind = 'r'`),
  );
  const stale = sizes.filter((table) => options.force || isStale({ ...table, relpages: Number(table.relpages), reltuples: Number(table.reltuples), pages: Number(table.pages) }));
  const targets = [...new Set(stale.map((table) => (table.job_partition ? 'pgboss.job' : table.name)))].sort();
  if (targets.length === 0) return { analyzed: [] };
  // Names come from the catalogue (regclass output, quoted where needed), never from input.
  await db.execute(sql.raw(`analyze (skip_locked) ${targets.join(', ')}`));
  return { analyzed: targets };
}

export function isStale(table: { relpages: number; reltuples: number; pages: number }): boolean {
  // reltuples is -1 until the first VACUUM or ANALYZE: the planner then guesses from the size alone.
  if (table.reltuples < 0) return table.pages > 0;
  if (table.pages > table.relpages * GROWTH + MIN_PAGES) return true;
  return table.pages < table.relpages * SHRINK - MIN_PAGES;
}
