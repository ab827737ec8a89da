// From Ads Insights rows to seed 004's KPIs: spend, impressions, clicks, CTR, purchase value and
// ROAS = purchase value / spend, per campaign and per day, with the day's account totals summed from the
// campaign rows (so they hold however the rows were paged or resumed).
// Docs: https://developers.facebook.com/docs/marketing-api/insights/parameters (level, time_range, time_increment)
//       https://developers.facebook.com/docs/marketing-api/reference/ads-insights  (spend, ctr as a percentage, action_values)
import { z } from 'zod';
import type { MetricPoint } from '../../sdk/sync.ts';

/** Meta sends numbers as strings ("5339.5"); an absent field means nothing happened. */
const numeric = z.union([z.string(), z.number()]).transform((value) => Number(value));

export const actionValue = z.looseObject({ action_type: z.string(), value: numeric });

export const insightRow = z.looseObject({
  account_id: z.string().optional(),
  account_currency: z.string().optional(),
  campaign_id: z.string().optional(),
  campaign_name: z.string().optional(),
  adset_id: z.string().optional(),
  adset_name: z.string().optional(),
  date_start: z.string(),
  date_stop: z.string(),
  spend: numeric.optional(),
  impressions: numeric.optional(),
  clicks: numeric.optional(),
  ctr: numeric.optional(),
  action_values: z.array(actionValue).optional(),
});
export type InsightRow = z.infer<typeof insightRow>;

/** The fields the KPI sync asks for, in the order it sends them. */
export const KPI_FIELDS = ['account_currency', 'campaign_id', 'campaign_name', 'date_start', 'date_stop', 'spend', 'impressions', 'clicks', 'ctr', 'action_values'];

/**
 * Meta reports one purchase several times under different action types (omni_purchase sums web, app and
 * offline; purchase and offsite_conversion.fb_pixel_purchase are subsets). The first type present wins,
 * so a purchase is never counted twice.
 */
export function purchaseValue(row: InsightRow, actionTypes: readonly string[]): number {
  for (const type of actionTypes) {
    const found = row.action_values?.find((entry) => entry.action_type === type);
    if (found && Number.isFinite(found.value)) return found.value;
  }
  return 0;
}

export interface DayTotals {
  spend: number;
  impressions: number;
  clicks: number;
  purchaseValue: number;
}

/** One campaign-day as stored in the records store. */
export const campaignInsight = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string().nullable(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.string(),
  spend: z.number(),
  impressions: z.number().int(),
  clicks: z.number().int(),
  /** clicks / impressions (a fraction, not Meta's percentage); null without impressions. */
  ctr: z.number().nullable(),
  purchaseValue: z.number(),
  /** purchaseValue / spend; null when nothing was spent. */
  roas: z.number().nullable(),
});
export type CampaignInsight = z.infer<typeof campaignInsight>;

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);
/** Sums of money in floating point drift (0.1 + 0.2); KPI values keep 6 decimals. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

export function toCampaignInsight(row: InsightRow, currency: string, actionTypes: readonly string[]): CampaignInsight {
  const spend = row.spend ?? 0;
  const impressions = row.impressions ?? 0;
  const clicks = row.clicks ?? 0;
  const value = purchaseValue(row, actionTypes);
  return {
    id: `${row.campaign_id}:${row.date_start}`,
    campaignId: row.campaign_id ?? 'unknown',
    campaignName: row.campaign_name ?? null,
    date: row.date_start,
    currency,
    spend,
    impressions,
    clicks,
    ctr: roundOrNull(ratio(clicks, impressions)),
    purchaseValue: value,
    roas: roundOrNull(ratio(value, spend)),
  };
}

function points(date: string, totals: DayTotals, currency: string, dimensions?: Record<string, string>): MetricPoint[] {
  const base = { date, ...(dimensions ? { dimensions } : {}) };
  const list: MetricPoint[] = [
    { ...base, metric: 'spend', value: round(totals.spend), unit: currency },
    { ...base, metric: 'impressions', value: totals.impressions, unit: 'count' },
    { ...base, metric: 'clicks', value: totals.clicks, unit: 'count' },
    { ...base, metric: 'purchase_value', value: round(totals.purchaseValue), unit: currency },
  ];
  const ctr = ratio(totals.clicks, totals.impressions);
  if (ctr !== null) list.push({ ...base, metric: 'ctr', value: round(ctr), unit: 'ratio' });
  const roas = ratio(totals.purchaseValue, totals.spend);
  if (roas !== null) list.push({ ...base, metric: 'roas', value: round(roas), unit: 'ratio' });
  return list;
}

/** The KPI points of one campaign-day, split by `campaignId`. */
export function campaignPoints(insight: CampaignInsight): MetricPoint[] {
  return points(insight.date, insight, insight.currency, { campaignId: insight.campaignId });
}

/** The account's KPI points for each day, from the summed campaign rows. */
export function dayPoints(totals: Record<string, DayTotals>, currency: string): MetricPoint[] {
  return Object.entries(totals)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([date, day]) => points(date, day, currency));
}

export function addToDay(totals: Record<string, DayTotals>, insight: CampaignInsight): void {
  const day = (totals[insight.date] ??= { spend: 0, impressions: 0, clicks: 0, purchaseValue: 0 });
  day.spend += insight.spend;
  day.impressions += insight.impressions;
  day.clicks += insight.clicks;
  day.purchaseValue += insight.purchaseValue;
}
