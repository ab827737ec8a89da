// A workspace's AI quota settings (hard budgets and per-minute limits), cached for a moment because every
// AI request reads them.
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import { aiQuotas } from '../tables.ts';

export interface QuotaSettings {
  dailyTokens: number | null;
  monthlyTokens: number | null;
  /** Micro-USD. */
  dailyCostMicros: number | null;
  monthlyCostMicros: number | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  warnPercent: number;
}

export const NO_QUOTAS: QuotaSettings = {
  dailyTokens: null,
  monthlyTokens: null,
  dailyCostMicros: null,
  monthlyCostMicros: null,
  requestsPerMinute: null,
  tokensPerMinute: null,
  warnPercent: 80,
};

const TTL_MS = 2_000;

export interface QuotaSettingsCache {
  get(workspaceId: string): Promise<QuotaSettings>;
  invalidate(workspaceId: string): void;
}

export function createQuotaSettingsCache(db: Db, now: () => number): QuotaSettingsCache {
  const cache = new Map<string, { at: number; value: Promise<QuotaSettings> }>();
  return {
    get(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit && now() - hit.at < TTL_MS) return hit.value;
      const value = loadQuotaSettings(db, workspaceId);
      value.catch(() => cache.delete(workspaceId));
      cache.set(workspaceId, { at: now(), value });
      return value;
    },
    invalidate: (workspaceId) => void cache.delete(workspaceId),
  };
}

export async function loadQuotaSettings(db: Db, workspaceId: string): Promise<QuotaSettings> {
  const [row] = await db.select().from(aiQuotas).where(eq(aiQuotas.workspaceId, workspaceId));
  if (!row) return NO_QUOTAS;
  return {
    dailyTokens: row.dailyTokens,
    monthlyTokens: row.monthlyTokens,
    dailyCostMicros: row.dailyCostMicros,
    monthlyCostMicros: row.monthlyCostMicros,
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute,
    warnPercent: row.warnPercent,
  };
}
