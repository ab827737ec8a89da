// Google Analytics 4: reports from the Data API (v1beta `properties/{id}:runReport`) and the property's
// dimension and metric catalogue, over Google OAuth 2.0 with offline access (a refresh token), and seed 004's
// KPI sync: sessions, active users, conversions (GA4's key events) and revenue per day, in total and split by
// session source / medium.
// Docs used:
//   https://developers.google.com/identity/protocols/oauth2/web-server                       (authorize + token URLs, access_type=offline, prompt=consent, revoke)
//   https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport
//   https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/RunReportResponse (rows, rowCount, metadata.currencyCode)
//   https://developers.google.com/analytics/devguides/reporting/data/v1/basics#pagination   (limit / offset in the body, rowCount)
//   https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/getMetadata
//   https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema          (date = YYYYMMDD, sessionSourceMedium, keyEvents, totalRevenue)
//   https://developers.google.com/analytics/devguides/config/admin/v1/rest/v1beta/properties/get (displayName, timeZone, currencyCode)
//   https://developers.google.com/analytics/devguides/reporting/data/v1/quotas               (token quotas; RESOURCE_EXHAUSTED comes as a 429)
//   ../../sdk/google.ts for Google's error body and OAuth endpoints.
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy, type CheckResult, type ConnectorContext } from '../../sdk/define.ts';
import type { PaginationRule } from '../../sdk/paginate.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import type { MetricPoint } from '../../sdk/sync.ts';
import { defineSync } from '../../sdk/sync.ts';
import { daysToRead } from '../../sdk/sync-window.ts';
import { GOOGLE_AUTHORIZATION_URL, GOOGLE_REVOCATION_URL, GOOGLE_TOKEN_URL, googleCall } from '../../sdk/google.ts';

const TITLE = 'Google Analytics';

/** The ErrorInfo reason of a Google error body, e.g. SERVICE_DISABLED when the API is off in the Cloud project. */
function errorReason(body: unknown): string | undefined {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  const info = (details as Array<Record<string, unknown>>).find((detail) => typeof detail?.['@type'] === 'string' && (detail['@type'] as string).endsWith('google.rpc.ErrorInfo'));
  return typeof info?.reason === 'string' ? info.reason : undefined;
}

const ADMIN_API = 'https://analyticsadmin.googleapis.com/v1beta';

const config = z.object({
  propertyId: z
    .string()
    .trim()
    .regex(/^(properties\/)?\d{1,20}$/, 'propertyId must be the numeric GA4 property id, e.g. 123456789 (Admin → Property details)')
    .transform((value) => value.replace(/^properties\//, ''))
    .describe('The GA4 property id (digits), as shown under Admin → Property details.'),
  backfillDays: z.number().int().min(1).max(1000).default(30).describe('Days the first KPI sync reads.'),
  lookbackDays: z.number().int().min(0).max(30).default(3).describe('Days read again on every sync: GA4 keeps processing the last 24-48 hours.'),
  // GA4 answers up to 250,000 rows; smaller pages keep what a resumed run reads again small.
  reportPageSize: z.number().int().min(1).max(250_000).default(10_000).describe('Rows per runReport request in the KPI sync.'),
});
type Config = z.output<typeof config>;

// --- Answers ---------------------------------------------------------------------------------------------
const property = z.looseObject({ name: z.string(), displayName: z.string().optional(), timeZone: z.string().optional(), currencyCode: z.string().optional(), propertyType: z.string().optional(), parent: z.string().optional() });
const value = z.looseObject({ value: z.string().optional() });
const reportRow = z.looseObject({ dimensionValues: z.array(value).default([]), metricValues: z.array(value).default([]) });
const reportResponse = z.looseObject({
  dimensionHeaders: z.array(z.looseObject({ name: z.string() })).default([]),
  metricHeaders: z.array(z.looseObject({ name: z.string(), type: z.string().optional() })).default([]),
  // GA4 leaves `rows` out of an empty report.
  rows: z.array(reportRow).default([]),
  rowCount: z.number().int().optional(),
  metadata: z.looseObject({ currencyCode: z.string().optional(), timeZone: z.string().optional() }).optional(),
});
type ReportResponse = z.infer<typeof reportResponse>;
const definition = z.looseObject({ apiName: z.string(), uiName: z.string().optional(), description: z.string().optional(), category: z.string().optional(), customDefinition: z.boolean().optional() });
const metadataResponse = z.looseObject({ name: z.string(), dimensions: z.array(definition).default([]), metrics: z.array(definition.extend({ type: z.string().optional() })).default([]) });

// --- Inputs ----------------------------------------------------------------------------------------------
const reportDate = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2}|today|yesterday|\d{1,4}daysAgo)$/, 'YYYY-MM-DD, today, yesterday or NdaysAgo');
const apiName = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_:]{0,99}$/, 'a GA4 API name such as sessions or sessionSourceMedium');
const runReportInput = z.object({
  dimensions: z.array(apiName).max(9).default([]).describe('Dimension API names, e.g. date, sessionSourceMedium (at most 9).'),
  metrics: z.array(apiName).min(1).max(10).describe('Metric API names, e.g. sessions, activeUsers, keyEvents, totalRevenue (1-10).'),
  startDate: reportDate.default('28daysAgo'),
  endDate: reportDate.default('today'),
  limit: z.number().int().min(1).max(250_000).default(1000).describe('Rows per answer (GA4 allows up to 250,000).'),
  offset: z.number().int().min(0).default(0).describe('Index of the first row, for reading later pages.'),
  orderBy: z.array(z.object({ name: apiName, kind: z.enum(['dimension', 'metric']).default('dimension'), desc: z.boolean().default(false) })).default([]),
});
type RunReportInput = z.output<typeof runReportInput>;

const runReportOutput = z.object({
  /** One object per row: dimension values as text, metric values as numbers. */
  rows: z.array(z.object({ dimensions: z.record(z.string(), z.string()), metrics: z.record(z.string(), z.number()) })),
  rowCount: z.number().int(),
  /** Pass as `offset` to read the next rows; null when this answer holds the last. */
  nextOffset: z.number().int().nullable(),
  currencyCode: z.string().nullable(),
  timeZone: z.string().nullable(),
});

const getMetadataInput = z.object({
  category: z.string().trim().min(1).optional().describe('Only definitions in this category, e.g. "Traffic source" or "Ecommerce".'),
  customOnly: z.boolean().default(false).describe('Only the property’s custom dimensions and metrics.'),
});

function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

/** A row as `{ dimensions: { date: '20260501' }, metrics: { sessions: 120 } }`, keyed by the headers. */
function tableOf(report: ReportResponse) {
  return report.rows.map((row) => ({
    dimensions: Object.fromEntries(report.dimensionHeaders.map((header, index) => [header.name, row.dimensionValues[index]?.value ?? ''])),
    metrics: Object.fromEntries(report.metricHeaders.map((header, index) => [header.name, Number(row.metricValues[index]?.value ?? 0)])),
  }));
}

const reportPath = (c: Config) => `properties/${c.propertyId}:runReport`;

async function getMetadata(ctx: ConnectorContext<Config>) {
  return googleCall(TITLE, async () => expectShape(metadataResponse, (await ctx.http.get(`properties/${ctx.config.propertyId}/metadata`)).data, 'getMetadata'));
}

/** The property's name and settings from the Admin API; the metadata call proves access when that API is off. */
async function checkProperty(ctx: ConnectorContext<Config>): Promise<CheckResult> {
  try {
    try {
      const answer = await googleCall(TITLE, async () => expectShape(property, (await ctx.http.get(`${ADMIN_API}/properties/${ctx.config.propertyId}`)).data, 'properties.get'));
      const details: Record<string, string> = {};
      if (answer.timeZone) details.timeZone = answer.timeZone;
      if (answer.currencyCode) details.currencyCode = answer.currencyCode;
      if (answer.parent) details.account = answer.parent;
      return { ok: true, account: { id: ctx.config.propertyId, name: answer.displayName || answer.name, details } };
    } catch (error) {
      // The Admin API is a separate API in the Cloud project; many setups enable only the Data API.
      if (!(error instanceof ProviderError) || errorReason(error.body) !== 'SERVICE_DISABLED') throw error;
      const metadata = await getMetadata(ctx);
      return { ok: true, account: { id: ctx.config.propertyId, name: metadata.name, details: { dimensions: metadata.dimensions.length, metrics: metadata.metrics.length } } };
    }
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const words = error.message.replace(`${TITLE} answered ${error.status ?? ''}`, '').trim();
    if (error.status === 401) return rejectedBy(TITLE, 401, words);
    if (error.status === 403 && errorReason(error.body) === 'SERVICE_DISABLED') {
      return { ok: false, reason: 'config', message: `${error.message} Enable the Google Analytics Data API in the Google Cloud project of your OAuth client.` };
    }
    // 403 on a property: the Google account that signed in has no access to it (or it does not exist).
    if (error.status === 403 || error.status === 404) {
      return { ok: false, reason: 'config', field: 'config.propertyId', message: `${error.message} Check the property id and that the signed-in Google account can read it.` };
    }
    if (error.status === undefined || error.status === 429 || error.status >= 500) return { ok: false, reason: 'unavailable', message: error.message };
    return { ok: false, reason: 'config', message: error.message };
  }
}

// --- The KPI sync ----------------------------------------------------------------------------------------
/** GA4 metric → KPI metric name and unit ('currency' = the property's currency). */
const KPI_METRICS = [
  { api: 'sessions', field: 'sessions', metric: 'sessions', unit: 'count' },
  { api: 'activeUsers', field: 'activeUsers', metric: 'active_users', unit: 'count' },
  // GA4 renamed conversions to key events in 2024; seed 004 still says conversions.
  { api: 'keyEvents', field: 'conversions', metric: 'conversions', unit: 'count' },
  { api: 'totalRevenue', field: 'revenue', metric: 'revenue', unit: 'currency' },
] as const;

const dailyTraffic = z.object({
  /** `2026-05-01`, or `2026-05-01|google / cpc` for a source / medium row. */
  id: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sourceMedium: z.string().nullable(),
  sessions: z.number(),
  activeUsers: z.number(),
  conversions: z.number(),
  revenue: z.number(),
  currency: z.string(),
});
type DailyTraffic = z.infer<typeof dailyTraffic>;

const reportPaging = (c: Config): PaginationRule => ({
  kind: 'offset',
  itemsPath: 'rows',
  offsetParam: 'offset',
  limitParam: 'limit',
  pageSize: c.reportPageSize,
  offsetIn: 'body',
  totalPath: 'rowCount',
  itemsOptional: true,
});
const REPORTS = ['byDate', 'bySourceMedium'] as const;

interface KpiCheckpoint {
  /** Fixed when the run starts, so a resumed attempt reads the same days. */
  startDate: string;
  report: (typeof REPORTS)[number];
  /** The next offset of that report; null to start it from the top. */
  offset: string | null;
}

const isoOf = (yyyymmdd: string) => (/^\d{8}$/.test(yyyymmdd) ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}` : yyyymmdd);

function trafficOf(row: z.infer<typeof reportRow>, bySourceMedium: boolean, currency: string): DailyTraffic {
  const date = isoOf(row.dimensionValues[0]?.value ?? '');
  const sourceMedium = bySourceMedium ? (row.dimensionValues[1]?.value ?? '(not set)') : null;
  const number = (index: number) => Number(row.metricValues[index]?.value ?? 0);
  return { id: sourceMedium === null ? date : `${date}|${sourceMedium}`, date, sourceMedium, sessions: number(0), activeUsers: number(1), conversions: number(2), revenue: number(3), currency };
}

function pointsOf(record: DailyTraffic): MetricPoint[] {
  return KPI_METRICS.map(({ field, metric, unit }) => ({
    metric,
    date: record.date,
    ...(record.sourceMedium !== null ? { dimensions: { sourceMedium: record.sourceMedium } } : {}),
    value: record[field],
    unit: unit === 'currency' ? record.currency : unit,
  }));
}

export default defineConnector<Config>({
  id: 'google-analytics',
  title: TITLE,
  category: 'analytics',
  description: 'Run Google Analytics 4 reports and sync daily sessions, active users, conversions and revenue, in total and by source / medium.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="15" y="3" width="5" height="18" rx="2.5" fill="#f9ab00"/><rect x="9" y="9" width="5" height="12" rx="2.5" fill="#e37400"/><circle cx="5.5" cy="18.5" r="2.5" fill="#e37400"/></svg>',
  docsUrl: 'https://developers.google.com/analytics/devguides/reporting/data/v1',
  baseUrl: 'https://analyticsdata.googleapis.com/v1beta',
  auth: {
    kind: 'oauth2',
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    tokenUrl: GOOGLE_TOKEN_URL,
    revocationUrl: GOOGLE_REVOCATION_URL,
    scopes: ['https://www.googleapis.com/auth/analytics.readonly'],
    scopeSeparator: ' ',
    pkce: true,
    // offline: a refresh token; consent: Google only hands one out on a consent screen, so re-authorising asks again.
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  },
  config,
  // No rateLimit: GA4 budgets tokens per property per hour and day rather than calls per second, and answers
  // 429 RESOURCE_EXHAUSTED when they run out.
  checkConnection: checkProperty,
  actions: [
    defineAction<Config, RunReportInput, z.infer<typeof runReportOutput>>({
      name: 'runReport',
      title: 'Run a report',
      description: 'Dimensions and metrics over a date range (POST properties/{id}:runReport), as rows keyed by name, with the offset of the next page.',
      input: runReportInput,
      output: runReportOutput,
      async run(ctx, input) {
        const answer = await googleCall(TITLE, () =>
          ctx.http.post(reportPath(ctx.config), {
            dateRanges: [{ startDate: input.startDate, endDate: input.endDate }],
            dimensions: input.dimensions.map((name) => ({ name })),
            metrics: input.metrics.map((name) => ({ name })),
            ...(input.orderBy.length > 0
              ? { orderBys: input.orderBy.map((order) => (order.kind === 'metric' ? { metric: { metricName: order.name }, desc: order.desc } : { dimension: { dimensionName: order.name }, desc: order.desc })) }
              : {}),
            offset: input.offset,
            limit: input.limit,
          }),
        );
        const report = expectShape(reportResponse, answer.data, 'runReport');
        const rowCount = report.rowCount ?? report.rows.length;
        const end = input.offset + report.rows.length;
        return {
          rows: tableOf(report),
          rowCount,
          nextOffset: end < rowCount && report.rows.length > 0 ? end : null,
          currencyCode: report.metadata?.currencyCode ?? null,
          timeZone: report.metadata?.timeZone ?? null,
        };
      },
    }),
    defineAction({
      name: 'getMetadata',
      title: 'Get dimensions and metrics',
      description: "Every dimension and metric the property can report, custom definitions included (GET properties/{id}/metadata).",
      input: getMetadataInput,
      output: metadataResponse,
      async run(ctx: ConnectorContext<Config>, input: z.output<typeof getMetadataInput>) {
        const metadata = await getMetadata(ctx);
        const keep = (item: z.infer<typeof definition>) => (!input.category || item.category === input.category) && (!input.customOnly || item.customDefinition === true);
        return { ...metadata, dimensions: metadata.dimensions.filter(keep), metrics: metadata.metrics.filter(keep) };
      },
    }),
  ],
  syncs: [
    defineSync<Config, DailyTraffic>({
      name: 'dailyKpis',
      title: 'Daily KPIs',
      description:
        'Sessions, active users, conversions (key events) and revenue per day, in total and by session source / medium: records of model DailyTraffic and KPI points sessions, active_users, conversions and revenue.',
      model: 'DailyTraffic',
      schema: dailyTraffic,
      idOf: (record) => record.id,
      frequency: 'every 6h',
      incremental: true,
      async run(ctx) {
        const saved = await ctx.checkpoint.get<KpiCheckpoint | null>();
        const startDate = saved?.startDate ?? `${daysToRead(ctx.lastSuccessAt, ctx.config)}daysAgo`;
        let processed = 0;
        for (const report of REPORTS.slice(saved ? REPORTS.indexOf(saved.report) : 0)) {
          const bySourceMedium = report === 'bySourceMedium';
          const dimensions = bySourceMedium ? ['date', 'sessionSourceMedium'] : ['date'];
          const request = {
            method: 'POST',
            path: reportPath(ctx.config),
            json: {
              dateRanges: [{ startDate, endDate: 'today' }],
              dimensions: dimensions.map((name) => ({ name })),
              metrics: KPI_METRICS.map(({ api }) => ({ name: api })),
              // A stable order is what makes offsets mean the same rows from one page to the next.
              orderBys: dimensions.map((name) => ({ dimension: { dimensionName: name } })),
            },
          };
          const resumeFrom = saved?.report === report ? saved.offset : null;
          await googleCall(TITLE, async () => {
            for await (const page of ctx.paginate<unknown>(request, reportPaging(ctx.config), { resumeFrom })) {
              const answer = expectShape(reportResponse, page.response.data, 'runReport');
              const currency = answer.metadata?.currencyCode ?? 'XXX';
              const records = answer.rows.map((row) => trafficOf(row, bySourceMedium, currency));
              await ctx.records.upsert(records);
              await ctx.metrics.record(records.flatMap(pointsOf));
              processed += records.length;
              const next: KpiCheckpoint | null = page.next
                ? { startDate, report, offset: page.next }
                : report === 'byDate'
                  ? { startDate, report: 'bySourceMedium', offset: null }
                  : null;
              await ctx.checkpoint.save(next);
              await ctx.progress(processed, undefined, bySourceMedium ? 'by source / medium' : 'by date');
            }
          });
        }
      },
    }),
  ],
});
