// The KPI layer (seed 004): metric values written by syncs (GA4 sessions, Meta Ads spend and ROAS …) and,
// computed at query time from stored `inbound.resend.email.*` webhooks, Resend's daily email counts and
// delivery, bounce and complaint rates. Grouped by day, week, month, integration or dimension.
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../platform/db/database.ts';
import type { KpiPoint } from './contracts.ts';

/** Metrics derived from Resend's delivery webhooks rather than stored by a sync. */
export const RESEND_METRICS = [
  'emails_sent',
  'emails_delivered',
  'emails_bounced',
  'emails_complained',
  'emails_opened',
  'delivery_rate',
  'bounce_rate',
  'complaint_rate',
] as const;

export interface KpiQuery {
  workspaceId: string;
  metrics: string[];
  from: string;
  to: string;
  groupBy: 'day' | 'week' | 'month' | 'integration' | 'dimension';
  integrationId?: string | undefined;
}

function resendRows(query: KpiQuery): SQL {
  // Rates per day: delivered and bounced over what was sent (or, when `email.sent` is not subscribed, over
  // delivered + bounced); complaints over delivered.
  return sql`
    select r.integration_id, v.metric, r.day as date, '{}'::jsonb as dimensions, v.value, v.unit
    from (
      select e.integration_id, (e.created_at at time zone 'UTC')::date as day,
             count(*) filter (where e.type = 'inbound.resend.email.sent')::float8 as sent,
             count(*) filter (where e.type = 'inbound.resend.email.delivered')::float8 as delivered,
             count(*) filter (where e.type = 'inbound.resend.email.bounced')::float8 as bounced,
             count(*) filter (where e.type = 'inbound.resend.email.complained')::float8 as complained,
             count(*) filter (where e.type = 'inbound.resend.email.opened')::float8 as opened
      from events e
      where e.workspace_id = ${query.workspaceId}::uuid and e.type like 'inbound.resend.email.%' and e.integration_id is not null
        and e.created_at >= ${query.from}::date and e.created_at < (${query.to}::date + 1)
        ${query.integrationId ? sql`and e.integration_id = ${query.integrationId}::uuid` : sql``}
      group by 1, 2
    ) r
    cross join lateral (values
      ('emails_sent', r.sent, 'count'), ('emails_delivered', r.delivered, 'count'), ('emails_bounced', r.bounced, 'count'),
      ('emails_complained', r.complained, 'count'), ('emails_opened', r.opened, 'count'),
      ('delivery_rate', r.delivered / nullif(greatest(r.sent, r.delivered + r.bounced), 0), 'ratio'),
      ('bounce_rate', r.bounced / nullif(greatest(r.sent, r.delivered + r.bounced), 0), 'ratio'),
      ('complaint_rate', r.complained / nullif(r.delivered, 0), 'ratio')
    ) as v(metric, value, unit)
    where v.value is not null`;
}

export async function queryKpis(db: Db, query: KpiQuery): Promise<KpiPoint[]> {
  const wantsResend = query.metrics.some((metric) => (RESEND_METRICS as readonly string[]).includes(metric));
  const stored = sql`
    select k.integration_id, k.metric, k.date, k.dimensions, k.value, k.unit
    from kpi_metrics k
    where k.workspace_id = ${query.workspaceId}::uuid and k.metric in (select jsonb_array_elements_text(${JSON.stringify(query.metrics)}::jsonb))
      and k.date between ${query.from}::date and ${query.to}::date
      ${query.integrationId ? sql`and k.integration_id = ${query.integrationId}::uuid` : sql``}`;
  const source = wantsResend ? sql`${stored} union all select * from (${resendRows(query)}) resend where resend.metric in (select jsonb_array_elements_text(${JSON.stringify(query.metrics)}::jsonb))` : stored;
  // Counts and money add up; ratios (CTR, ROAS, rates) are averaged, since their parts are not stored.
  const aggregate = sql`case when max(s.unit) = 'ratio' then avg(s.value) else sum(s.value) end`;
  const totalsOnly = sql`s.dimensions = '{}'::jsonb`;
  let statement: SQL;
  switch (query.groupBy) {
    case 'dimension':
      statement = sql`select s.metric, s.date::text as date, null as integration_id, s.dimensions, ${aggregate} as value, max(s.unit) as unit
        from (${source}) s where s.dimensions <> '{}'::jsonb group by s.metric, s.date, s.dimensions order by s.metric, s.date, s.dimensions::text`;
      break;
    case 'integration':
      statement = sql`select s.metric, s.date::text as date, s.integration_id::text as integration_id, '{}'::jsonb as dimensions, ${aggregate} as value, max(s.unit) as unit
        from (${source}) s where ${totalsOnly} group by s.metric, s.date, s.integration_id order by s.metric, s.date, s.integration_id`;
      break;
    case 'week':
    case 'month':
      statement = sql`select s.metric, date_trunc(${query.groupBy}, s.date)::date::text as date, null as integration_id, '{}'::jsonb as dimensions, ${aggregate} as value, max(s.unit) as unit
        from (${source}) s where ${totalsOnly} group by s.metric, 2 order by s.metric, 2`;
      break;
    default:
      statement = sql`select s.metric, s.date::text as date, null as integration_id, '{}'::jsonb as dimensions, ${aggregate} as value, max(s.unit) as unit
        from (${source}) s where ${totalsOnly} group by s.metric, s.date order by s.metric, s.date`;
  }
  const rows = rowsOf<{ metric: string; date: string | null; integration_id: string | null; dimensions: Record<string, string> | string; value: number | string; unit: string }>(
    await db.execute(statement),
  );
  return rows.map((row) => ({
    metric: row.metric,
    date: row.date ? String(row.date).slice(0, 10) : null,
    integrationId: row.integration_id,
    connectorId: null,
    dimensions: typeof row.dimensions === 'string' ? (JSON.parse(row.dimensions) as Record<string, string>) : row.dimensions,
    value: Number(row.value),
    unit: row.unit,
  }));
}
