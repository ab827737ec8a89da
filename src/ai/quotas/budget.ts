// Hard AI budgets by reservation: before a call, the worst case (prompt tokens at the input price plus the
// maximum output at the output price) is reserved for the day and the month in one conditional statement;
// afterwards the reservation is swapped for what was actually used. Concurrent calls therefore cannot
// overspend, on one node or many. Crossing the warning share or the limit emits an event, once a period.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { emitEvent, type EventJobs } from '../../webhooks/index.ts';
import { aiBudgetCounters } from '../tables.ts';
import { periodsAt, type Period } from './periods.ts';
import type { QuotaSettings } from './settings.ts';

export interface Amount {
  tokens: number;
  costMicros: number;
}

export interface Reservation extends Amount {
  workspaceId: string;
  day: Period;
  month: Period;
}

export interface Refusal {
  quota: QuotaName;
  unit: 'tokens' | 'usd';
  limit: number;
  used: number;
  reserved: number;
  requested: number;
  resetsAt: Date;
}

export type QuotaName = 'tokens.daily' | 'tokens.monthly' | 'cost.daily' | 'cost.monthly';

export type ReserveResult = { ok: true; reservation: Reservation | null } | { ok: false; refusal: Refusal };

export function hasBudget(settings: QuotaSettings | null): settings is QuotaSettings {
  return !!settings && [settings.dailyTokens, settings.monthlyTokens, settings.dailyCostMicros, settings.monthlyCostMicros].some((limit) => limit !== null);
}

interface Limit {
  quota: QuotaName;
  period: Period;
  unit: 'tokens' | 'usd';
  limit: number;
}

function limitsOf(settings: QuotaSettings, periods: { day: Period; month: Period }): Limit[] {
  const all: (Limit | null)[] = [
    settings.dailyTokens !== null ? { quota: 'tokens.daily', period: periods.day, unit: 'tokens', limit: settings.dailyTokens } : null,
    settings.monthlyTokens !== null ? { quota: 'tokens.monthly', period: periods.month, unit: 'tokens', limit: settings.monthlyTokens } : null,
    settings.dailyCostMicros !== null ? { quota: 'cost.daily', period: periods.day, unit: 'usd', limit: settings.dailyCostMicros } : null,
    settings.monthlyCostMicros !== null ? { quota: 'cost.monthly', period: periods.month, unit: 'usd', limit: settings.monthlyCostMicros } : null,
  ];
  return all.filter((limit): limit is Limit => limit !== null);
}

const nullable = (value: number | null) => (value === null ? sql`null::bigint` : sql`${value}::bigint`);

class Refused extends Error {}

export async function reserve(db: Db, settings: QuotaSettings | null, workspaceId: string, at: Date, amount: Amount): Promise<ReserveResult> {
  if (!hasBudget(settings)) return { ok: true, reservation: null };
  const periods = periodsAt(at);
  const limits = limitsOf(settings, periods);
  // A request whose worst case alone is over a limit can never fit: no need to ask the database.
  for (const limit of limits) {
    const requested = limit.unit === 'tokens' ? amount.tokens : amount.costMicros;
    if (requested > limit.limit) return { ok: false, refusal: await refusalFor(db, workspaceId, limit, amount) };
  }
  const fits = (periodSql: ReturnType<typeof sql>, tokensLimit: number | null, costLimit: number | null) =>
    sql`(c.period = ${periodSql} and (${nullable(tokensLimit)} is null or c.used_tokens + c.reserved_tokens + excluded.reserved_tokens <= ${nullable(tokensLimit)})
      and (${nullable(costLimit)} is null or c.used_cost_micros + c.reserved_cost_micros + excluded.reserved_cost_micros <= ${nullable(costLimit)}))`;
  try {
    await db.transaction(async (tx) => {
      const result = await tx.execute(sql`
        insert into ai_budget_counters as c (workspace_id, period, reserved_tokens, reserved_cost_micros)
        values (${workspaceId}, ${periods.day.key}, ${amount.tokens}, ${amount.costMicros}),
               (${workspaceId}, ${periods.month.key}, ${amount.tokens}, ${amount.costMicros})
        on conflict (workspace_id, period) do update set
          reserved_tokens = c.reserved_tokens + excluded.reserved_tokens,
          reserved_cost_micros = c.reserved_cost_micros + excluded.reserved_cost_micros,
          updated_at = now()
        where ${fits(sql`${periods.day.key}`, settings.dailyTokens, settings.dailyCostMicros)}
           or ${fits(sql`${periods.month.key}`, settings.monthlyTokens, settings.monthlyCostMicros)}
        returning c.period`);
      // A row not returned is a period without room: undo the other one's reservation too.
      if (rowsOf(result).length < 2) throw new Refused();
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    for (const limit of limits) {
      const refusal = await refusalFor(db, workspaceId, limit, amount);
      if (refusal.used + refusal.reserved + refusal.requested > refusal.limit) return { ok: false, refusal };
    }
    // Room appeared between the refusal and the read (a settle ran): say which limit was tightest.
    return { ok: false, refusal: await refusalFor(db, workspaceId, limits[0]!, amount) };
  }
  return { ok: true, reservation: { workspaceId, day: periods.day, month: periods.month, ...amount } };
}

async function refusalFor(db: Queryable, workspaceId: string, limit: Limit, amount: Amount): Promise<Refusal> {
  const [row] = await db
    .select()
    .from(aiBudgetCounters)
    .where(and(eq(aiBudgetCounters.workspaceId, workspaceId), eq(aiBudgetCounters.period, limit.period.key)));
  const tokens = limit.unit === 'tokens';
  const micros = (value: number) => (tokens ? value : value / 1_000_000);
  return {
    quota: limit.quota,
    unit: limit.unit,
    limit: micros(limit.limit),
    used: micros(tokens ? (row?.usedTokens ?? 0) : (row?.usedCostMicros ?? 0)),
    reserved: micros(tokens ? (row?.reservedTokens ?? 0) : (row?.reservedCostMicros ?? 0)),
    requested: micros(tokens ? amount.tokens : amount.costMicros),
    resetsAt: limit.period.resetsAt,
  };
}

/**
 * Replaces a reservation with the actual use, then emits `ai.quota.warning` / `ai.quota.exceeded` for each
 * limit that use has just carried past the warning share or the limit (each once per period).
 */
export async function settle(
  db: Db,
  jobs: EventJobs,
  settings: QuotaSettings | null,
  reservation: Reservation,
  actual: Amount,
): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(aiBudgetCounters)
      .set({
        reservedTokens: sql`greatest(${aiBudgetCounters.reservedTokens} - ${reservation.tokens}, 0)`,
        reservedCostMicros: sql`greatest(${aiBudgetCounters.reservedCostMicros} - ${reservation.costMicros}, 0)`,
        usedTokens: sql`${aiBudgetCounters.usedTokens} + ${actual.tokens}`,
        usedCostMicros: sql`${aiBudgetCounters.usedCostMicros} + ${actual.costMicros}`,
        updatedAt: new Date(),
      })
      .where(and(eq(aiBudgetCounters.workspaceId, reservation.workspaceId), inArray(aiBudgetCounters.period, [reservation.day.key, reservation.month.key])))
      .returning();
    if (!hasBudget(settings)) return;
    for (const limit of limitsOf(settings, { day: reservation.day, month: reservation.month })) {
      const row = rows.find((candidate) => candidate.period === limit.period.key);
      if (!row || limit.limit <= 0) continue;
      const used = limit.unit === 'tokens' ? row.usedTokens : row.usedCostMicros;
      const percent = (used / limit.limit) * 100;
      const shown = (value: number) => (limit.unit === 'tokens' ? value : value / 1_000_000);
      const payload = { quota: limit.quota, used: shown(used), limit: shown(limit.limit), unit: limit.unit, period: limit.period.key, resetsAt: limit.period.resetsAt.toISOString() };
      if (percent >= 100 && (await claim(tx, reservation.workspaceId, limit.period.key, `exceeded:${limit.quota}`))) {
        await emitEvent(jobs, tx, { workspaceId: reservation.workspaceId, type: 'ai.quota.exceeded', source: 'api', payload });
      }
      if (percent >= settings.warnPercent && (await claim(tx, reservation.workspaceId, limit.period.key, `warning:${limit.quota}`))) {
        await emitEvent(jobs, tx, { workspaceId: reservation.workspaceId, type: 'ai.quota.warning', source: 'api', payload: { ...payload, percent: Math.round(percent * 10) / 10 } });
      }
    }
  });
}

/** Marks one event of the period as sent; true only for the caller that set the mark. */
async function claim(tx: Queryable, workspaceId: string, period: string, mark: string): Promise<boolean> {
  const marked = await tx
    .update(aiBudgetCounters)
    .set({ notified: sql`${aiBudgetCounters.notified} || ${JSON.stringify([mark])}::jsonb` })
    .where(and(eq(aiBudgetCounters.workspaceId, workspaceId), eq(aiBudgetCounters.period, period), sql`not (${aiBudgetCounters.notified} @> ${JSON.stringify([mark])}::jsonb)`))
    .returning({ period: aiBudgetCounters.period });
  return marked.length > 0;
}
