// Meta Ads (Marketing API on the Graph API): an ad account's campaigns, ad sets and Ads Insights, with
// seed 004's KPIs (spend, impressions, clicks, CTR, purchase value, ROAS) per campaign and per day, and
// ad account webhooks. Authenticated with an access token (a system user's token for servers), sent as
// `Authorization: Bearer`, plus `appsecret_proof` when the app secret is given.
// Docs used:
//   https://developers.facebook.com/docs/marketing-api/get-started/authorization          (tokens, ads_read / ads_management)
//   https://developers.facebook.com/docs/graph-api/securing-requests                       (appsecret_proof = HMAC-SHA256(token, app secret))
//   https://developers.facebook.com/docs/marketing-api/reference/ad-account                (GET /act_{id}: name, currency, timezone_name, account_status)
//   https://developers.facebook.com/docs/marketing-api/reference/ad-account/campaigns      (fields, effective_status filter)
//   https://developers.facebook.com/docs/marketing-api/reference/ad-account/adsets
//   https://developers.facebook.com/docs/marketing-api/insights                             (the insights edge, level, paging)
//   https://developers.facebook.com/docs/marketing-api/insights/parameters                 (time_range, time_increment, date_preset)
//   https://developers.facebook.com/docs/graph-api/webhooks/getting-started                 (X-Hub-Signature-256, hub.challenge)
//   https://developers.facebook.com/docs/graph-api/webhooks/reference/ad-account           (ad_account object: in_process_ad_objects, with_issues_ad_objects)
//   graph.ts for errors, rate-limit headers and paging.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate, type Page } from '../../sdk/paginate.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { defineSync, type SyncContext } from '../../sdk/sync.ts';
import { daysToRead, dayRange } from '../../sdk/sync-window.ts';
import { assertNextOnGraph, GRAPH_BASE, graphErrors, graphErrorOf, stopNearThrottle } from './graph.ts';
import { addToDay, campaignInsight, campaignPoints, dayPoints, insightRow, KPI_FIELDS, toCampaignInsight, type DayTotals } from './insights.ts';

const TITLE = 'Meta Ads';
const errors = graphErrors(TITLE, 'credentials.accessToken');

const config = z.object({
  adAccountId: z
    .string()
    .trim()
    .regex(/^(act_)?\d{1,25}$/, 'adAccountId must be the ad account id, e.g. act_1234567890 (Ads Manager shows the digits)')
    .transform((value) => (value.startsWith('act_') ? value : `act_${value}`))
    .describe('The ad account, as act_<digits> or just the digits.'),
  purchaseActionTypes: z
    .array(z.string().trim().min(1))
    .min(1)
    .default(['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'])
    .describe('Action types read as purchase value, in order of preference: the first present in a row counts (they overlap).'),
  backfillDays: z.number().int().min(1).max(1095).default(30).describe('Days of insights the first sync reads (Meta keeps 37 months).'),
  lookbackDays: z.number().int().min(0).max(28).default(7).describe('Days read again on every sync, for conversions attributed late.'),
});
type Config = z.output<typeof config>;

// --- Resources --------------------------------------------------------------------------------------
const adAccount = z.looseObject({
  id: z.string(),
  account_id: z.string().optional(),
  name: z.string().optional(),
  currency: z.string().optional(),
  timezone_name: z.string().optional(),
  account_status: z.number().optional(),
  amount_spent: z.string().optional(),
});
type AdAccount = z.infer<typeof adAccount>;

const campaign = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  effective_status: z.string().optional(),
  objective: z.string().optional(),
  daily_budget: z.string().optional(),
  lifetime_budget: z.string().optional(),
  created_time: z.string().optional(),
  updated_time: z.string().optional(),
  start_time: z.string().optional(),
  stop_time: z.string().optional(),
});
const adSet = z.looseObject({
  id: z.string(),
  name: z.string(),
  campaign_id: z.string(),
  status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: z.string().optional(),
  lifetime_budget: z.string().optional(),
  optimization_goal: z.string().optional(),
  billing_event: z.string().optional(),
  created_time: z.string().optional(),
  updated_time: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
});

const ACCOUNT_FIELDS = 'id,account_id,name,currency,timezone_name,account_status,amount_spent';
const CAMPAIGN_FIELDS = 'id,name,status,effective_status,objective,daily_budget,lifetime_budget,created_time,updated_time,start_time,stop_time';
const ADSET_FIELDS = 'id,name,campaign_id,status,effective_status,daily_budget,lifetime_budget,optimization_goal,billing_event,created_time,updated_time,start_time,end_time';
const EFFECTIVE_STATUSES = ['ACTIVE', 'PAUSED', 'DELETED', 'ARCHIVED', 'IN_PROCESS', 'WITH_ISSUES', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'PENDING_REVIEW', 'DISAPPROVED'] as const;
/** Graph cursor pages: `data` plus `paging.next` (absent on the last page). */
const PAGING = { kind: 'link', itemsPath: 'data', nextUrlPath: 'paging.next' } as const;

/** "2026-05-01" → a real calendar day; Date.parse would roll 2026-02-30 over into March. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'not a real date');

const listInput = {
  limit: z.number().int().min(1).max(500).default(50).describe('Objects per page (Graph allows up to 500 here).'),
  maxPages: z.number().int().min(1).max(50).default(1).describe('Pages to read by following paging.next (1 = the first page only).'),
  after: z.string().min(1).optional().describe('Continue from a cursor (paging.cursors.after of an earlier answer).'),
};
const listCampaignsInput = z.object({
  ...listInput,
  effectiveStatus: z.array(z.enum(EFFECTIVE_STATUSES)).min(1).optional().describe('Only campaigns in these delivery states.'),
});
const listOutput = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** The cursor to pass as `after` for the next page; null after the last. */
    after: z.string().nullable(),
    pagesFetched: z.number().int(),
  });

const getInsightsInput = z
  .object({
    level: z.enum(['account', 'campaign', 'adset', 'ad']).default('campaign'),
    since: day.optional().describe('First day (ad account time zone); with until. Without both, datePreset applies.'),
    until: day.optional(),
    datePreset: z.enum(['today', 'yesterday', 'last_3d', 'last_7d', 'last_14d', 'last_28d', 'last_30d', 'last_90d', 'this_month', 'last_month', 'maximum']).default('last_7d'),
    timeIncrement: z.union([z.literal('all_days'), z.literal('monthly'), z.number().int().min(1).max(90)]).default(1).describe('1 = a row per day; a number of days; monthly; all_days.'),
    fields: z.array(z.string().regex(/^[a-z_]+$/, 'an Insights field name such as spend')).min(1).default(['campaign_id', 'campaign_name', 'spend', 'impressions', 'clicks', 'ctr', 'action_values']),
    ...listInput,
  })
  .superRefine((input, ctx) => {
    if ((input.since === undefined) !== (input.until === undefined)) ctx.addIssue({ code: 'custom', path: [input.since ? 'until' : 'since'], message: 'since and until go together' });
    if (input.since && input.until && input.since > input.until) ctx.addIssue({ code: 'custom', path: ['until'], message: 'until must not be before since' });
  });

/** Walks a Graph list with the shared paginator, refusing next links off graph.facebook.com. */
async function readList<T>(ctx: ConnectorContext<Config>, path: string, query: Record<string, string | number | undefined>, maxPages: number, item: z.ZodType<T>) {
  return errors.call(async () => {
    const items: T[] = [];
    let last: Page<unknown> | undefined;
    let pagesFetched = 0;
    for await (const page of paginate(ctx.http, { path, query }, PAGING, { maxPages, signal: ctx.signal })) {
      assertNextOnGraph(TITLE, page);
      items.push(...page.items.map((raw) => expectShape(item, raw, path)));
      last = page;
      pagesFetched += 1;
    }
    const cursor = (last?.response.data as { paging?: { cursors?: { after?: string } } } | undefined)?.paging?.cursors?.after;
    return { items, after: last?.next && cursor ? cursor : null, pagesFetched };
  });
}

function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

async function getAdAccount(ctx: ConnectorContext<Config>): Promise<AdAccount> {
  return errors.call(async () => expectShape(adAccount, (await ctx.http.get(ctx.config.adAccountId, { query: { fields: ACCOUNT_FIELDS } })).data, `GET /${ctx.config.adAccountId}`));
}

/** Meta's ad account status codes (1 active, 2 disabled, 3 unsettled, ...), as words for the dashboard. */
const ACCOUNT_STATUS: Record<number, string> = { 1: 'active', 2: 'disabled', 3: 'unsettled', 7: 'pending_risk_review', 8: 'pending_settlement', 9: 'in_grace_period', 100: 'pending_closure', 101: 'closed' };

/**
 * A sync over a Graph list: a page of records at a time, the next URL saved as the checkpoint after each
 * page (a retry resumes there), cleared at the end so the next run starts from the top.
 */
async function syncList<T>(ctx: SyncContext<Config, T>, path: string, fields: string, item: z.ZodType<T>, step: string): Promise<void> {
  const resumeFrom = await ctx.checkpoint.get<string | null>();
  let processed = 0;
  await errors.call(async () => {
    for await (const page of ctx.paginate({ path, query: { fields, limit: 200 } }, PAGING, { resumeFrom: resumeFrom ?? null })) {
      assertNextOnGraph(TITLE, page);
      await ctx.records.upsert(page.items.map((raw) => expectShape(item, raw, path)));
      processed += page.items.length;
      await ctx.checkpoint.save(page.next);
      await ctx.progress(processed, undefined, step);
      if (page.next) stopNearThrottle(TITLE, page.response);
    }
  });
}

interface InsightsCheckpoint {
  /** The window being read, fixed when the run started so a resumed attempt reads the same days. */
  since: string;
  until: string;
  next: string | null;
  currency: string | null;
  /** The account totals of the pages read so far. */
  totals: Record<string, DayTotals>;
}

export default defineConnector<Config>({
  id: 'meta-ads',
  title: TITLE,
  category: 'marketing',
  description: "Read a Meta (Facebook and Instagram) ad account's campaigns, ad sets and insights, and sync spend, CTR and ROAS per campaign and day.",
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#0866ff"/><path d="M4 15.5c0-4 2-7.5 4.3-7.5 3 0 4.7 8 7.4 8 1.6 0 2.3-1.6 2.3-3.5 0-2.4-1.1-4.5-2.6-4.5-2.2 0-3.6 4-5.4 6.7C8.6 17 7.6 17.9 6.4 17.9 5 17.9 4 16.9 4 15.5z" fill="none" stroke="#fff" stroke-width="1.7" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://developers.facebook.com/docs/marketing-api',
  baseUrl: GRAPH_BASE,
  auth: {
    kind: 'apiKey',
    fields: {
      accessToken: {
        label: 'Access token',
        description: 'A system user or long-lived user token with ads_read (Business Settings → System users → Generate token).',
        placement: 'header',
        name: 'authorization',
        prefix: 'Bearer ',
      },
      appSecret: {
        label: 'App secret',
        description: "Your Meta app's secret: signs every call (appsecret_proof) and verifies webhooks. Optional.",
        placement: 'none',
        optional: true,
      },
      verifyToken: {
        label: 'Webhook verify token',
        description: 'Any string you also enter in the app dashboard when subscribing to ad account webhooks. Optional.',
        placement: 'none',
        optional: true,
      },
    },
  },
  // The token always goes in the header; with the app secret, every call also carries its proof, which
  // apps with "Require App Secret" on insist on.
  authenticate(request, _config, credential) {
    if (credential.accessToken) request.headers.authorization = `Bearer ${credential.accessToken}`;
    if (credential.accessToken && credential.appSecret) {
      request.url.searchParams.set('appsecret_proof', createHmac('sha256', credential.appSecret).update(credential.accessToken).digest('hex'));
    }
  },
  config,
  // No fixed rateLimit: Meta's budgets scale with the account's activity and are reported in the usage
  // headers, which graph.ts reads (throttled answers become 429 with Meta's wait).
  async checkConnection(ctx) {
    try {
      const account = await getAdAccount(ctx);
      const details: Record<string, string> = {};
      if (account.currency) details.currency = account.currency;
      if (account.timezone_name) details.timezone = account.timezone_name;
      if (account.account_status !== undefined) details.status = ACCOUNT_STATUS[account.account_status] ?? String(account.account_status);
      return { ok: true, account: { id: account.id, name: account.name || account.id, details } };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const graph = graphErrorOf(error.body);
      // 100 "Unsupported get request": the account id is wrong or this token cannot see it.
      if (graph?.code === 100) {
        return { ok: false, reason: 'config', field: 'config.adAccountId', message: `${TITLE} cannot find ad account ${ctx.config.adAccountId} for this token: ${graph.message ?? error.message}` };
      }
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, object, AdAccount>({
      name: 'getAdAccount',
      title: 'Get the ad account',
      description: 'Name, currency, time zone, status and amount spent of the configured ad account (GET /act_{id}).',
      input: z.object({}),
      output: adAccount,
      run: (ctx) => getAdAccount(ctx),
    }),
    defineAction({
      name: 'listCampaigns',
      title: 'List campaigns',
      description: "The ad account's campaigns (GET /act_{id}/campaigns), optionally filtered by delivery state, following paging.next up to maxPages.",
      input: listCampaignsInput,
      output: listOutput(campaign),
      run: (ctx: ConnectorContext<Config>, input: z.output<typeof listCampaignsInput>) =>
        readList(
          ctx,
          `${ctx.config.adAccountId}/campaigns`,
          { fields: CAMPAIGN_FIELDS, limit: input.limit, after: input.after, effective_status: input.effectiveStatus ? JSON.stringify(input.effectiveStatus) : undefined },
          input.maxPages,
          campaign,
        ),
    }),
    defineAction({
      name: 'listAdSets',
      title: 'List ad sets',
      description: "The ad account's ad sets (GET /act_{id}/adsets) with their campaign, budget and optimisation goal.",
      input: z.object(listInput),
      output: listOutput(adSet),
      run: (ctx: ConnectorContext<Config>, input: { limit: number; maxPages: number; after?: string | undefined }) =>
        readList(ctx, `${ctx.config.adAccountId}/adsets`, { fields: ADSET_FIELDS, limit: input.limit, after: input.after }, input.maxPages, adSet),
    }),
    defineAction({
      name: 'getInsights',
      title: 'Get insights',
      description: 'Ads Insights of the account at account, campaign, ad set or ad level for a date range or preset, a row per day by default (GET /act_{id}/insights).',
      input: getInsightsInput,
      output: listOutput(insightRow),
      run: (ctx: ConnectorContext<Config>, input: z.output<typeof getInsightsInput>) =>
        readList(
          ctx,
          `${ctx.config.adAccountId}/insights`,
          {
            level: input.level,
            fields: input.fields.join(','),
            time_increment: input.timeIncrement,
            ...(input.since && input.until ? { time_range: JSON.stringify({ since: input.since, until: input.until }) } : { date_preset: input.datePreset }),
            limit: input.limit,
            after: input.after,
          },
          input.maxPages,
          insightRow,
        ),
    }),
  ],
  webhooks: {
    verification: { kind: 'meta', appSecretField: 'appSecret', verifyTokenField: 'verifyToken' },
    // `{ object: 'ad_account', entry: [{ id, time, changes: [{ field, value }] }] }`: the first change names it.
    eventType(payload) {
      const body = payload as { object?: unknown; entry?: Array<{ changes?: Array<{ field?: unknown }> }> };
      const object = typeof body.object === 'string' ? body.object : 'unknown';
      const field = body.entry?.[0]?.changes?.[0]?.field;
      return typeof field === 'string' ? `${object}.${field}` : object;
    },
    normalize(payload) {
      const body = payload as { object?: string; entry?: Array<{ id?: string; time?: number; changes?: Array<{ field?: string; value?: unknown }> }> };
      return {
        object: body.object ?? null,
        changes: (body.entry ?? []).flatMap((entry) =>
          (entry.changes ?? []).map((change) => ({
            adAccountId: entry.id ?? null,
            field: change.field ?? null,
            value: change.value ?? null,
            at: typeof entry.time === 'number' ? new Date(entry.time * 1000).toISOString() : null,
          })),
        ),
      };
    },
  },
  syncs: [
    defineSync<Config, z.infer<typeof campaign>>({
      name: 'campaigns',
      title: 'Campaigns',
      description: "Every campaign of the ad account with its status, objective and budgets; campaigns no longer listed are marked deleted.",
      model: 'Campaign',
      schema: campaign,
      idOf: (record) => record.id,
      frequency: 'every 1h',
      incremental: false,
      run: (ctx) => syncList(ctx, `${ctx.config.adAccountId}/campaigns`, CAMPAIGN_FIELDS, campaign, 'campaigns'),
    }),
    defineSync<Config, z.infer<typeof adSet>>({
      name: 'adSets',
      title: 'Ad sets',
      description: 'Every ad set of the ad account with its campaign, status, budgets and optimisation goal.',
      model: 'AdSet',
      schema: adSet,
      idOf: (record) => record.id,
      frequency: 'every 1h',
      incremental: false,
      run: (ctx) => syncList(ctx, `${ctx.config.adAccountId}/adsets`, ADSET_FIELDS, adSet, 'ad sets'),
    }),
    defineSync<Config, z.infer<typeof campaignInsight>>({
      name: 'insights',
      title: 'Campaign insights (KPIs)',
      description:
        'Daily spend, impressions, clicks, CTR, purchase value and ROAS per campaign (records and KPI points split by campaignId) and for the whole account, re-reading the last lookbackDays each run.',
      model: 'CampaignInsight',
      schema: campaignInsight,
      idOf: (record) => record.id,
      frequency: 'every 6h',
      incremental: true,
      async run(ctx) {
        const saved = await ctx.checkpoint.get<InsightsCheckpoint | null>();
        const state: InsightsCheckpoint = saved ?? { ...dayRange(daysToRead(ctx.lastSuccessAt, ctx.config)), next: null, currency: null, totals: {} };
        if (!state.currency) state.currency = (await getAdAccount(ctx)).currency ?? 'XXX';
        const request = {
          path: `${ctx.config.adAccountId}/insights`,
          query: { level: 'campaign', fields: KPI_FIELDS.join(','), time_increment: 1, time_range: JSON.stringify({ since: state.since, until: state.until }), limit: 500 },
        };
        let processed = 0;
        await errors.call(async () => {
          for await (const page of ctx.paginate(request, PAGING, { resumeFrom: state.next })) {
            assertNextOnGraph(TITLE, page);
            const insights = page.items.map((raw) => toCampaignInsight(expectShape(insightRow, raw, request.path), state.currency!, ctx.config.purchaseActionTypes));
            await ctx.records.upsert(insights);
            await ctx.metrics.record(insights.flatMap(campaignPoints));
            for (const insight of insights) addToDay(state.totals, insight);
            processed += insights.length;
            state.next = page.next;
            // The totals travel with the cursor: a resumed attempt adds the remaining pages to them.
            await ctx.checkpoint.save(page.next ? state : null);
            await ctx.progress(processed, undefined, 'insights');
            if (page.next) stopNearThrottle(TITLE, page.response);
          }
        });
        await ctx.metrics.record(dayPoints(state.totals, state.currency));
      },
    }),
  ],
});
