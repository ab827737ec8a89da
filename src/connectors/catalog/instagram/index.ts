// Instagram Graph API (Instagram API with Facebook Login): a business or creator account's profile, media
// and insights, over Facebook Login (OAuth 2.0), and seed 000's syncs: media as records and the account's
// daily reach, new followers, views, accounts engaged and interactions as KPI points.
// Docs used:
//   https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login   (host graph.facebook.com, permissions)
//   https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow             (dialog/oauth, oauth/access_token)
//   https://developers.facebook.com/docs/instagram-platform/reference/instagram-user            (fields: username, followers_count, media_count)
//   https://developers.facebook.com/docs/instagram-platform/reference/instagram-user/media      (the media edge, cursor paging)
//   https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights  (reach, likes, comments, saved, shares, total_interactions, views;
//                                                                                                impressions, plays and video_views are deprecated since v22.0)
//   https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights (reach and follower_count as day series; views,
//                                                                                                accounts_engaged, total_interactions only as metric_type=total_value;
//                                                                                                since/until at most 30 days; follower_count needs 100+ followers)
//   ../meta-ads/graph.ts for the Graph error body, usage headers and paging.
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate, type Page } from '../../sdk/paginate.ts';
import { ProviderError, type ProviderHttp } from '../../sdk/provider-http.ts';
import { defineSync, type MetricPoint } from '../../sdk/sync.ts';
import { daysToRead, isoDay } from '../../sdk/sync-window.ts';
import { assertNextOnGraph, GRAPH_BASE, GRAPH_VERSION, graphErrors, graphErrorOf, stopNearThrottle } from '../meta-ads/graph.ts';

const TITLE = 'Instagram';
// Instagram's token comes from Facebook Login, so a refusal points at no form field.
const errors = graphErrors(TITLE);
const DAY_MS = 86_400_000;

const config = z.object({
  instagramAccountId: z
    .string()
    .trim()
    .regex(/^\d{5,25}$/, 'instagramAccountId must be the Instagram business account id (digits, e.g. 17841400000000000), from GET /{page-id}?fields=instagram_business_account')
    .describe('The Instagram professional account id linked to your Facebook Page.'),
  backfillDays: z.number().int().min(1).max(30).default(30).describe('Days of account insights the first sync reads (Instagram allows 30).'),
  lookbackDays: z.number().int().min(0).max(30).default(2).describe('Days read again on every sync: insights can lag up to 48 hours.'),
});
type Config = z.output<typeof config>;

const account = z.looseObject({
  id: z.string(),
  username: z.string(),
  name: z.string().optional(),
  followers_count: z.number().optional(),
  follows_count: z.number().optional(),
  media_count: z.number().optional(),
  profile_picture_url: z.string().optional(),
});
type Account = z.infer<typeof account>;
const media = z.looseObject({
  id: z.string(),
  caption: z.string().optional(),
  media_type: z.string().optional(),
  media_product_type: z.string().optional(),
  media_url: z.string().optional(),
  permalink: z.string().optional(),
  thumbnail_url: z.string().optional(),
  timestamp: z.string(),
  like_count: z.number().optional(),
  comments_count: z.number().optional(),
});
type Media = z.infer<typeof media>;
const insight = z.looseObject({
  name: z.string(),
  period: z.string().optional(),
  values: z.array(z.looseObject({ value: z.unknown(), end_time: z.string().optional() })).optional(),
  total_value: z.looseObject({ value: z.number() }).optional(),
  title: z.string().optional(),
});
const insightsAnswer = z.looseObject({ data: z.array(insight) });

const ACCOUNT_FIELDS = 'id,username,name,followers_count,follows_count,media_count,profile_picture_url';
const MEDIA_FIELDS = 'id,caption,media_type,media_product_type,media_url,permalink,thumbnail_url,timestamp,like_count,comments_count';
const MEDIA_METRICS = ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views'] as const;
const PAGING = { kind: 'link', itemsPath: 'data', nextUrlPath: 'paging.next' } as const;

function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

async function getAccount(http: ProviderHttp, id: string): Promise<Account> {
  return errors.call(async () => expectShape(account, (await http.get(id, { query: { fields: ACCOUNT_FIELDS } })).data, `GET /${id}`));
}

const listMediaInput = z.object({
  limit: z.number().int().min(1).max(100).default(25).describe('Media per page (up to 100).'),
  maxPages: z.number().int().min(1).max(20).default(1).describe('Pages to read by following paging.next.'),
  after: z.string().min(1).optional().describe('paging.cursors.after of an earlier answer, to continue.'),
});
const listMediaOutput = z.object({ items: z.array(media), after: z.string().nullable(), pagesFetched: z.number().int() });

const mediaInsightsInput = z.object({
  mediaId: z.string().regex(/^\d{5,25}$/, 'a media id (digits), as listMedia returns it'),
  metrics: z.array(z.enum(MEDIA_METRICS)).min(1).default([...MEDIA_METRICS]).describe('Metrics to read; a reel or story supports a subset, and Instagram refuses the others.'),
});
const mediaInsightsOutput = z.object({ mediaId: z.string(), metrics: z.record(z.string(), z.number()) });

/** A metric's single value: `total_value.value`, or the last entry of `values`. */
function valueOf(item: z.infer<typeof insight>): number | undefined {
  if (item.total_value) return item.total_value.value;
  const last = item.values?.at(-1)?.value;
  return typeof last === 'number' ? last : undefined;
}

const mediaRecord = z.object({
  id: z.string(),
  caption: z.string().nullable(),
  mediaType: z.string().nullable(),
  mediaProductType: z.string().nullable(),
  permalink: z.string().nullable(),
  mediaUrl: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  timestamp: z.string(),
  likeCount: z.number().nullable(),
  commentsCount: z.number().nullable(),
});
type MediaRecord = z.infer<typeof mediaRecord>;
const recordOf = (item: Media): MediaRecord => ({
  id: item.id,
  caption: item.caption ?? null,
  mediaType: item.media_type ?? null,
  mediaProductType: item.media_product_type ?? null,
  permalink: item.permalink ?? null,
  mediaUrl: item.media_url ?? null,
  thumbnailUrl: item.thumbnail_url ?? null,
  timestamp: item.timestamp,
  likeCount: item.like_count ?? null,
  commentsCount: item.comments_count ?? null,
});

const accountDay = z.object({
  id: z.string(),
  date: z.string(),
  reach: z.number().nullable(),
  newFollowers: z.number().nullable(),
  views: z.number().nullable(),
  accountsEngaged: z.number().nullable(),
  totalInteractions: z.number().nullable(),
});
type AccountDay = z.infer<typeof accountDay>;

/** Series metrics (one value per day) and the total_value ones asked day by day; KPI names beside them. */
const SERIES_METRICS = { reach: 'reach', follower_count: 'new_followers' } as const;
const TOTAL_METRICS = { views: 'views', accounts_engaged: 'accounts_engaged', total_interactions: 'total_interactions' } as const;

interface InsightsCheckpoint {
  /** Unix seconds of the window, fixed when the run started. */
  since: number;
  until: number;
  /** The next day (unix seconds of its start) whose totals are still to be read. */
  nextDay: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The day series: `values: [{ value, end_time }]`, where end_time closes the day the value belongs to.
 * follower_count is left out of the answer for accounts under 100 followers; that is not an error.
 */
async function readSeries(ctx: ConnectorContext<Config>, since: number, until: number): Promise<Map<string, Partial<Record<keyof typeof SERIES_METRICS, number>>>> {
  const answer = await errors.call(() =>
    ctx.http.get(`${ctx.config.instagramAccountId}/insights`, { query: { metric: Object.keys(SERIES_METRICS).join(','), period: 'day', since, until } }),
  );
  const days = new Map<string, Partial<Record<keyof typeof SERIES_METRICS, number>>>();
  for (const item of expectShape(insightsAnswer, answer.data, 'account insights').data) {
    if (!(item.name in SERIES_METRICS)) continue;
    for (const entry of item.values ?? []) {
      if (typeof entry.value !== 'number' || !entry.end_time) continue;
      const date = isoDay(Date.parse(entry.end_time) - DAY_MS);
      days.set(date, { ...days.get(date), [item.name]: entry.value });
    }
  }
  return days;
}

export default defineConnector<Config>({
  id: 'instagram',
  title: TITLE,
  category: 'social',
  description: "Read an Instagram business or creator account's profile, media and insights, and sync media and daily account KPIs.",
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="2" y="2" width="20" height="20" rx="6" fill="#d62976"/><rect x="5.5" y="5.5" width="13" height="13" rx="4" fill="none" stroke="#fff" stroke-width="1.8"/><circle cx="12" cy="12" r="3.2" fill="none" stroke="#fff" stroke-width="1.8"/><circle cx="16.3" cy="7.7" r="1" fill="#fff"/></svg>',
  docsUrl: 'https://developers.facebook.com/docs/instagram-platform',
  baseUrl: GRAPH_BASE,
  auth: {
    kind: 'oauth2',
    authorizationUrl: `https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`,
    tokenUrl: `${GRAPH_BASE}/oauth/access_token`,
    scopes: ['instagram_basic', 'instagram_manage_insights', 'pages_show_list', 'pages_read_engagement'],
    scopeSeparator: ',',
    // Facebook Login's server-side flow authenticates the code exchange with the app secret.
    pkce: false,
  },
  config,
  async checkConnection(ctx) {
    try {
      const found = await getAccount(ctx.http, ctx.config.instagramAccountId);
      const details: Record<string, string | number> = {};
      if (found.name) details.name = found.name;
      if (found.followers_count !== undefined) details.followers = found.followers_count;
      if (found.media_count !== undefined) details.media = found.media_count;
      return { ok: true, account: { id: found.id, name: found.username, details } };
    } catch (error) {
      if (error instanceof ProviderError && graphErrorOf(error.body)?.code === 100) {
        return { ok: false, reason: 'config', field: 'config.instagramAccountId', message: `${error.message}. Check the Instagram business account id and that the signed-in user manages its Page.` };
      }
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, object, Account>({
      name: 'getAccount',
      title: 'Get the account',
      description: 'Username, name, follower, following and media counts (GET /{ig-user-id}).',
      input: z.object({}),
      output: account,
      run: (ctx) => getAccount(ctx.http, ctx.config.instagramAccountId),
    }),
    defineAction<Config, z.output<typeof listMediaInput>, z.infer<typeof listMediaOutput>>({
      name: 'listMedia',
      title: 'List media',
      description: "The account's posts, reels and carousels, newest first, with likes and comments (GET /{ig-user-id}/media), following paging.next up to maxPages.",
      input: listMediaInput,
      output: listMediaOutput,
      run: (ctx, input) =>
        errors.call(async () => {
          const items: Media[] = [];
          let last: Page<unknown> | undefined;
          let pagesFetched = 0;
          const request = { path: `${ctx.config.instagramAccountId}/media`, query: { fields: MEDIA_FIELDS, limit: input.limit, after: input.after } };
          for await (const page of paginate(ctx.http, request, PAGING, { maxPages: input.maxPages, signal: ctx.signal })) {
            assertNextOnGraph(TITLE, page);
            items.push(...page.items.map((raw) => expectShape(media, raw, 'the media edge')));
            last = page;
            pagesFetched += 1;
          }
          const cursor = (last?.response.data as { paging?: { cursors?: { after?: string } } } | undefined)?.paging?.cursors?.after;
          return { items, after: last?.next && cursor ? cursor : null, pagesFetched };
        }),
    }),
    defineAction<Config, z.output<typeof mediaInsightsInput>, z.infer<typeof mediaInsightsOutput>>({
      name: 'getMediaInsights',
      title: 'Get media insights',
      description: 'Lifetime reach, likes, comments, saves, shares, interactions and views of one media object (GET /{ig-media-id}/insights).',
      input: mediaInsightsInput,
      output: mediaInsightsOutput,
      run: (ctx, input) =>
        errors.call(async () => {
          const answer = await ctx.http.get(`${input.mediaId}/insights`, { query: { metric: input.metrics.join(',') } });
          const metrics: Record<string, number> = {};
          // A metric with no data yet is left out of the answer rather than reported as 0.
          for (const item of expectShape(insightsAnswer, answer.data, 'media insights').data) {
            const value = valueOf(item);
            if (value !== undefined) metrics[item.name] = value;
          }
          return { mediaId: input.mediaId, metrics };
        }),
    }),
  ],
  syncs: [
    defineSync<Config, MediaRecord>({
      name: 'media',
      title: 'Media',
      description: "Every post, reel and carousel of the account with caption, permalink, likes and comments; media no longer listed are marked deleted.",
      model: 'Media',
      schema: mediaRecord,
      idOf: (record) => record.id,
      frequency: 'every 6h',
      incremental: false,
      async run(ctx) {
        const resumeFrom = await ctx.checkpoint.get<string | null>();
        let processed = 0;
        await errors.call(async () => {
          const request = { path: `${ctx.config.instagramAccountId}/media`, query: { fields: MEDIA_FIELDS, limit: 100 } };
          for await (const page of ctx.paginate(request, PAGING, { resumeFrom: resumeFrom ?? null })) {
            assertNextOnGraph(TITLE, page);
            await ctx.records.upsert(page.items.map((raw) => recordOf(expectShape(media, raw, 'the media edge'))));
            processed += page.items.length;
            await ctx.checkpoint.save(page.next);
            await ctx.progress(processed, undefined, 'media');
            if (page.next) stopNearThrottle(TITLE, page.response);
          }
        });
      },
    }),
    defineSync<Config, AccountDay>({
      name: 'accountInsights',
      title: 'Account insights (KPIs)',
      description:
        'Daily reach, new followers, views, accounts engaged and total interactions of the account (KPI points reach, new_followers, views, accounts_engaged, total_interactions; an AccountDay record per day), plus today’s follower count.',
      model: 'AccountDay',
      schema: accountDay,
      idOf: (record) => record.id,
      frequency: 'every 6h',
      incremental: true,
      async run(ctx) {
        const startOfToday = Math.floor(Date.now() / DAY_MS) * DAY_MS;
        const saved = await ctx.checkpoint.get<InsightsCheckpoint | null>();
        const window = saved ?? { since: seconds(startOfToday - daysToRead(ctx.lastSuccessAt, ctx.config) * DAY_MS), until: seconds(startOfToday), nextDay: 0 };
        window.nextDay ||= window.since;
        const series = await readSeries(ctx, window.since, window.until);
        const total = Math.max(1, (window.until - window.since) / 86_400);
        for (let day = window.nextDay; day < window.until; day += 86_400) {
          const date = isoDay(day * 1000);
          // views, accounts_engaged and total_interactions exist only as totals over since..until: one call per day.
          const answer = await errors.call(() =>
            ctx.http.get(`${ctx.config.instagramAccountId}/insights`, {
              query: { metric: Object.keys(TOTAL_METRICS).join(','), metric_type: 'total_value', period: 'day', since: day, until: day + 86_400 },
            }),
          );
          const totals: Record<string, number> = {};
          for (const item of expectShape(insightsAnswer, answer.data, 'account insights').data) {
            const value = item.total_value?.value;
            if (typeof value === 'number') totals[item.name] = value;
          }
          const fromSeries = series.get(date) ?? {};
          const record: AccountDay = {
            id: date,
            date,
            reach: fromSeries.reach ?? null,
            newFollowers: fromSeries.follower_count ?? null,
            views: totals.views ?? null,
            accountsEngaged: totals.accounts_engaged ?? null,
            totalInteractions: totals.total_interactions ?? null,
          };
          await ctx.records.upsert([record]);
          const points: MetricPoint[] = [];
          for (const [api, metric] of Object.entries(SERIES_METRICS)) {
            const value = fromSeries[api as keyof typeof SERIES_METRICS];
            if (value !== undefined) points.push({ metric, date, value, unit: 'count' });
          }
          for (const [api, metric] of Object.entries(TOTAL_METRICS)) if (totals[api] !== undefined) points.push({ metric, date, value: totals[api], unit: 'count' });
          await ctx.metrics.record(points);
          const next = day + 86_400;
          await ctx.checkpoint.save(next < window.until ? { ...window, nextDay: next } : null);
          await ctx.progress((next - window.since) / 86_400, total, 'account insights');
        }
        // The follower total is only ever current: it is kept for today, replacing an earlier run's.
        const now = await getAccount(ctx.http, ctx.config.instagramAccountId);
        if (now.followers_count !== undefined) await ctx.metrics.record([{ metric: 'followers', date: isoDay(startOfToday), value: now.followers_count, unit: 'count' }]);
      },
    }),
  ],
});
