// Daily rollups of the usage ledger: once a UTC day is over (plus a grace period for rows still queued), its
// rows are summed per workspace, provider, model, task type and currency into ai_usage_daily and the day
// is marked done; reads then use the totals. Old ledger rows of rolled-up days are deleted after retention.
import { and, lt, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../platform/db/database.ts';
import { aiUsage } from '../tables.ts';

// Rows are written a few milliseconds after their attempt; an hour leaves room for a node that lagged.
const GRACE_MS = 60 * 60_000;

export async function rollUpDays(db: Db, now: Date): Promise<string[]> {
  const lastDay = new Date(now.getTime() - GRACE_MS - 86_400_000).toISOString().slice(0, 10);
  const pending = rowsOf<{ day: string }>(
    await db.execute(sql`
      select distinct to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from ai_usage
      where (created_at at time zone 'UTC')::date <= ${lastDay}::date
        and not exists (select 1 from ai_rollup_days r where r.day = (ai_usage.created_at at time zone 'UTC')::date)
      order by 1`),
  ).map((row) => row.day);
  for (const day of pending) {
    await db.transaction(async (tx) => {
      // Claiming the day first makes concurrent workers skip it rather than double it.
      const claimed = rowsOf(await tx.execute(sql`insert into ai_rollup_days (day) values (${day}::date) on conflict do nothing returning day`));
      if (claimed.length === 0) return;
      await tx.execute(sql`
        insert into ai_usage_daily (workspace_id, day, provider, model, task_type, currency, attempts, failures, input_tokens, output_tokens,
                                    cached_tokens, reasoning_tokens, cost, cost_usd, unpriced, latency_ms_sum)
        select workspace_id, ${day}::date, provider, model, task_type, coalesce(currency, ''), count(*), count(*) filter (where not success),
               sum(input_tokens), sum(output_tokens), sum(cached_tokens), sum(reasoning_tokens), coalesce(sum(cost), 0), coalesce(sum(cost_usd), 0),
               count(*) filter (where cost is null), sum(latency_ms)
        from ai_usage where (created_at at time zone 'UTC')::date = ${day}::date
        group by workspace_id, provider, model, task_type, coalesce(currency, '')`);
    });
  }
  return pending;
}

/** Deletes ledger rows older than the retention, only where their day has been rolled up. */
export async function pruneLedger(db: Db, now: Date, retentionDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const deleted = await db
    .delete(aiUsage)
    .where(and(lt(aiUsage.createdAt, cutoff), sql`exists (select 1 from ai_rollup_days r where r.day = (${aiUsage.createdAt} at time zone 'UTC')::date)`))
    .returning({ id: aiUsage.id });
  return deleted.length;
}
