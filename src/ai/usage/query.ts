// Usage totals grouped by provider, model, day or task type over a date range: finished days come from the
// daily rollups, the rest (today, and days not rolled up yet) from the ledger, in one query.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf, type Db } from '../../platform/db/database.ts';
import type { USAGE_GROUPS, usageRow } from '../contracts.ts';

export type UsageGroup = (typeof USAGE_GROUPS)[number];
type UsageRow = z.infer<typeof usageRow>;

interface RawRow {
  key: string;
  currency: string;
  attempts: number;
  failures: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost: number;
  cost_usd: number;
  unpriced: number;
  latency_sum: number;
}

// Column expressions of each grouping, for the ledger (u) and the rollups (d).
const KEYS: Record<UsageGroup, { raw: ReturnType<typeof sql>; rolled: ReturnType<typeof sql> }> = {
  provider: { raw: sql`u.provider`, rolled: sql`d.provider` },
  model: { raw: sql`u.provider || '/' || u.model`, rolled: sql`d.provider || '/' || d.model` },
  day: { raw: sql`to_char((u.created_at at time zone 'UTC')::date, 'YYYY-MM-DD')`, rolled: sql`to_char(d.day, 'YYYY-MM-DD')` },
  taskType: { raw: sql`u.task_type`, rolled: sql`d.task_type` },
};

export async function usageBy(db: Db, input: { workspaceId: string; groupBy: UsageGroup; from: string; to: string }): Promise<{ items: UsageRow[]; totals: UsageRow }> {
  const key = KEYS[input.groupBy];
  const result = await db.execute(sql`
    with raw as (
      select ${key.raw} as key, coalesce(u.currency, '') as currency, count(*)::bigint as attempts,
             count(*) filter (where not u.success)::bigint as failures,
             sum(u.input_tokens)::bigint as input_tokens, sum(u.output_tokens)::bigint as output_tokens,
             sum(u.cached_tokens)::bigint as cached_tokens, sum(u.reasoning_tokens)::bigint as reasoning_tokens,
             coalesce(sum(u.cost), 0) as cost, coalesce(sum(u.cost_usd), 0) as cost_usd,
             count(*) filter (where u.cost is null)::bigint as unpriced, sum(u.latency_ms)::bigint as latency_sum
      from ai_usage u
      where u.workspace_id = ${input.workspaceId}
        and (u.created_at at time zone 'UTC')::date between ${input.from}::date and ${input.to}::date
        and not exists (select 1 from ai_rollup_days r where r.day = (u.created_at at time zone 'UTC')::date)
      group by 1, 2
    ), rolled as (
      select ${key.rolled} as key, d.currency, sum(d.attempts)::bigint, sum(d.failures)::bigint,
             sum(d.input_tokens)::bigint, sum(d.output_tokens)::bigint, sum(d.cached_tokens)::bigint, sum(d.reasoning_tokens)::bigint,
             sum(d.cost), sum(d.cost_usd), sum(d.unpriced)::bigint, sum(d.latency_ms_sum)::bigint
      from ai_usage_daily d
      where d.workspace_id = ${input.workspaceId} and d.day between ${input.from}::date and ${input.to}::date
      group by 1, 2
    )
    select key, currency, sum(attempts)::float8 as attempts, sum(failures)::float8 as failures,
           sum(input_tokens)::float8 as input_tokens, sum(output_tokens)::float8 as output_tokens,
           sum(cached_tokens)::float8 as cached_tokens, sum(reasoning_tokens)::float8 as reasoning_tokens,
           sum(cost)::float8 as cost, sum(cost_usd)::float8 as cost_usd, sum(unpriced)::float8 as unpriced, sum(latency_sum)::float8 as latency_sum
    from (select * from raw union all select * from rolled) both_sources
    group by key, currency
    order by key`);

  const byKey = new Map<string, UsageRow & { latencySum: number }>();
  const totals: UsageRow & { latencySum: number } = emptyRow('total');
  for (const row of rowsOf<RawRow>(result)) {
    let item = byKey.get(row.key);
    if (!item) {
      item = emptyRow(row.key);
      byKey.set(row.key, item);
    }
    for (const target of [item, totals]) add(target, row);
  }
  const finish = ({ latencySum, ...row }: UsageRow & { latencySum: number }): UsageRow => ({
    ...row,
    costUsd: round(row.costUsd),
    cost: row.cost.map((entry) => ({ ...entry, amount: round(entry.amount) })),
    avgLatencyMs: row.attempts > 0 ? Math.round(latencySum / row.attempts) : null,
  });
  return { items: [...byKey.values()].map(finish), totals: finish(totals) };
}

function emptyRow(key: string): UsageRow & { latencySum: number } {
  return { key, attempts: 0, failures: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costUsd: 0, cost: [], unpriced: 0, avgLatencyMs: null, latencySum: 0 };
}

function add(target: UsageRow & { latencySum: number }, row: RawRow): void {
  target.attempts += Number(row.attempts);
  target.failures += Number(row.failures);
  target.inputTokens += Number(row.input_tokens);
  target.outputTokens += Number(row.output_tokens);
  target.cachedTokens += Number(row.cached_tokens);
  target.reasoningTokens += Number(row.reasoning_tokens);
  target.costUsd += Number(row.cost_usd);
  target.unpriced += Number(row.unpriced);
  target.latencySum += Number(row.latency_sum);
  if (row.currency) {
    const entry = target.cost.find((item) => item.currency === row.currency);
    if (entry) entry.amount += Number(row.cost);
    else target.cost.push({ currency: row.currency, amount: Number(row.cost) });
  }
}

const round = (value: number) => Math.round(value * 1e8) / 1e8;
