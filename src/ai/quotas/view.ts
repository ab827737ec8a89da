// Quota settings as the API shows them (costs in USD) and the consumption of the current day and month:
// the budget counters when limits are set, else what the ledger says was used.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { quotaSettingsView, quotaView } from '../contracts.ts';
import { aiBudgetCounters, aiQuotas, aiUsage } from '../tables.ts';
import { periodsAt, type Period } from './periods.ts';
import { loadQuotaSettings, type QuotaSettings } from './settings.ts';

type SettingsView = z.infer<typeof quotaSettingsView>;
const toUsd = (micros: number | null) => (micros === null ? null : micros / 1_000_000);
const toMicros = (usd: number | null) => (usd === null ? null : Math.round(usd * 1_000_000));

export function settingsView(settings: QuotaSettings): SettingsView {
  return {
    dailyTokens: settings.dailyTokens,
    monthlyTokens: settings.monthlyTokens,
    dailyCostUsd: toUsd(settings.dailyCostMicros),
    monthlyCostUsd: toUsd(settings.monthlyCostMicros),
    requestsPerMinute: settings.requestsPerMinute,
    tokensPerMinute: settings.tokensPerMinute,
    warnPercent: settings.warnPercent,
  };
}

async function ledgerUse(db: Db, workspaceId: string, period: Period): Promise<{ tokens: number; micros: number }> {
  const [row] = await db
    .select({
      tokens: sql<number>`coalesce(sum(${aiUsage.inputTokens} + ${aiUsage.outputTokens}), 0)::bigint`,
      usd: sql<number>`coalesce(sum(${aiUsage.costUsd}), 0)`,
    })
    .from(aiUsage)
    .where(and(eq(aiUsage.workspaceId, workspaceId), gte(aiUsage.createdAt, period.start), lt(aiUsage.createdAt, period.resetsAt)));
  return { tokens: Number(row?.tokens ?? 0), micros: Math.round(Number(row?.usd ?? 0) * 1_000_000) };
}

export async function readQuotaView(db: Db, workspaceId: string, at: Date): Promise<z.infer<typeof quotaView>> {
  const settings = await loadQuotaSettings(db, workspaceId);
  const periods = periodsAt(at);
  const counters = await db
    .select()
    .from(aiBudgetCounters)
    .where(and(eq(aiBudgetCounters.workspaceId, workspaceId), inArray(aiBudgetCounters.period, [periods.day.key, periods.month.key])));
  const view = async (period: Period, tokenLimit: number | null, costLimit: number | null) => {
    const counter = counters.find((row) => row.period === period.key);
    const used = counter ? { tokens: counter.usedTokens, micros: counter.usedCostMicros } : await ledgerUse(db, workspaceId, period);
    return {
      key: period.key,
      resetsAt: period.resetsAt.toISOString(),
      tokens: { used: used.tokens, reserved: counter?.reservedTokens ?? 0, limit: tokenLimit },
      costUsd: { used: used.micros / 1_000_000, reserved: (counter?.reservedCostMicros ?? 0) / 1_000_000, limit: toUsd(costLimit) },
    };
  };
  return {
    workspaceId,
    settings: settingsView(settings),
    day: await view(periods.day, settings.dailyTokens, settings.dailyCostMicros),
    month: await view(periods.month, settings.monthlyTokens, settings.monthlyCostMicros),
  };
}

/**
 * Stores new limits. Counters of the current periods start from what the ledger already holds, so a
 * budget set at noon counts the morning too (existing counters are left alone: they are exact).
 */
export async function saveQuotaSettings(db: Db, workspaceId: string, input: SettingsView, at: Date): Promise<void> {
  const values = {
    dailyTokens: input.dailyTokens,
    monthlyTokens: input.monthlyTokens,
    dailyCostMicros: toMicros(input.dailyCostUsd),
    monthlyCostMicros: toMicros(input.monthlyCostUsd),
    requestsPerMinute: input.requestsPerMinute,
    tokensPerMinute: input.tokensPerMinute,
    warnPercent: input.warnPercent,
    updatedAt: new Date(),
  };
  const periods = periodsAt(at);
  const [day, month] = await Promise.all([ledgerUse(db, workspaceId, periods.day), ledgerUse(db, workspaceId, periods.month)]);
  await db.transaction(async (tx) => {
    await tx.insert(aiQuotas).values({ workspaceId, ...values }).onConflictDoUpdate({ target: aiQuotas.workspaceId, set: values });
    await tx
      .insert(aiBudgetCounters)
      .values([
        { workspaceId, period: periods.day.key, usedTokens: day.tokens, usedCostMicros: day.micros },
        { workspaceId, period: periods.month.key, usedTokens: month.tokens, usedCostMicros: month.micros },
      ])
      .onConflictDoNothing();
  });
}
