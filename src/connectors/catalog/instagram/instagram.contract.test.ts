// Contract tests for the Instagram connector against fixtures shaped like the Instagram Platform reference
// (Facebook Login host): the OAuth spec, the exact Graph requests, paging.next pagination, Graph errors
// (190 → auth, 100 → the account id, 80002 → 429 with the usage header's wait), the media and account
// insights syncs, their checkpoints and KPI points.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner } from '../../../../test/support/connectors.ts';
import { isoDay } from '../../sdk/sync-window.ts';
import instagram from './index.ts';

const TOKEN = 'EAAG-instagram-user-token';
const IG = '17841400000000001';
const BASE = `https://graph.facebook.com/v25.0/${IG}`;
const DAY = 86_400;

const profile = { id: IG, username: 'acme.shop', name: 'Acme Shop', followers_count: 1520, follows_count: 80, media_count: 3, profile_picture_url: 'https://scontent.example/p.jpg' };
const post = (n: number) => ({
  id: `1790000000000000${n}`,
  caption: `Post ${n}`,
  media_type: n === 2 ? 'VIDEO' : 'IMAGE',
  media_product_type: n === 2 ? 'REELS' : 'FEED',
  media_url: `https://scontent.example/${n}.jpg`,
  permalink: `https://www.instagram.com/p/abc${n}/`,
  timestamp: `2026-04-0${n}T10:00:00+0000`,
  like_count: 10 * n,
  comments_count: n,
});

const graphError = (code: number, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ error: { message, type: 'OAuthException', code, fbtrace_id: 'IgTrace1', ...extra } }, { status: 400, headers });

function graphPage<T>(url: URL, all: T[], size: number) {
  const after = Number(url.searchParams.get('after') ?? 0);
  const next = new URL(url.href);
  next.searchParams.set('after', String(after + size));
  return { data: all.slice(after, after + size), paging: { cursors: { before: String(after), after: String(after + size) }, ...(after + size < all.length ? { next: next.href } : {}) } };
}

/** Day values end at 07:00 UTC of the next day (midnight Pacific), as Instagram reports them. */
function series(since: number, until: number) {
  const days = Array.from({ length: (until - since) / DAY }, (_, index) => since + index * DAY);
  const values = (base: number) => days.map((day, index) => ({ value: base + index, end_time: `${isoDay((day + DAY) * 1000)}T07:00:00+0000` }));
  return { data: [{ name: 'reach', period: 'day', title: 'Reach', values: values(100) }, { name: 'follower_count', period: 'day', title: 'Follower count', values: values(5) }] };
}
const totals = (since: number) => ({
  data: [
    { name: 'views', period: 'day', title: 'Views', total_value: { value: 1000 + (since % (7 * DAY)) / DAY } },
    { name: 'accounts_engaged', period: 'day', title: 'Accounts engaged', total_value: { value: 40 } },
    { name: 'total_interactions', period: 'day', title: 'Total interactions', total_value: { value: 55 } },
  ],
});

let throttled = false;
const api = provider([
  http.get(BASE, ({ request }) => {
    if (request.headers.get('authorization') === 'Bearer EAAG-revoked') return graphError(190, 'Error validating access token: The user has not authorized application 123.', {}, { error_subcode: 458 });
    return HttpResponse.json(profile);
  }),
  http.get('https://graph.facebook.com/v25.0/17841499999999999', () => graphError(100, "Unsupported get request. Object with ID '17841499999999999' does not exist.", {}, { type: 'GraphMethodException', error_subcode: 33 })),
  http.get(`${BASE}/media`, ({ request }) => {
    if (throttled) {
      return graphError(80002, 'There have been too many calls to this Instagram account. Wait a bit and try again.', {
        'x-business-use-case-usage': JSON.stringify({ [IG]: [{ type: 'instagram', call_count: 100, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 5 }] }),
      });
    }
    return HttpResponse.json(graphPage(new URL(request.url), [post(1), post(2), post(3)], 2));
  }),
  http.get(`${BASE}/insights`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const since = Number(query.get('since'));
    const until = Number(query.get('until'));
    return HttpResponse.json(query.get('metric_type') === 'total_value' ? totals(since) : series(since, until));
  }),
  http.get('https://graph.facebook.com/v25.0/17900000000000002/insights', ({ request }) => {
    const metrics = new URL(request.url).searchParams.get('metric')!.split(',');
    if (metrics.includes('impressions')) return graphError(100, '(#100) metric[0] must be one of the following values: reach, likes, ...');
    // Reels answer lifetime values; shares has no data yet and is left out.
    return HttpResponse.json({ data: metrics.filter((m) => m !== 'shares').map((name, index) => ({ name, period: 'lifetime', values: [{ value: 100 + index }], title: name, id: `17900000000000002/insights/${name}/lifetime` })) });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  throttled = false;
});
afterAll(() => api.disable());

const runner = (token = TOKEN, instagramAccountId = IG) => connectorRunner(instagram, { credentials: { accessToken: token }, config: { instagramAccountId } });

describe('Instagram connector', () => {
  it('declares Facebook Login with the Instagram permissions', () => {
    expect(instagram.auth).toEqual({
      kind: 'oauth2',
      authorizationUrl: 'https://www.facebook.com/v25.0/dialog/oauth',
      tokenUrl: 'https://graph.facebook.com/v25.0/oauth/access_token',
      scopes: ['instagram_basic', 'instagram_manage_insights', 'pages_show_list', 'pages_read_engagement'],
      scopeSeparator: ',',
      pkce: false,
    });
  });

  it('checks the connection by reading the account and reports its username', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: IG, name: 'acme.shop', details: { name: 'Acme Shop', followers: 1520, media: 3 } } });
    expect(api.requests.map((request) => [request.url.href, request.headers.get('authorization')])).toEqual([
      [`${BASE}?fields=id%2Cusername%2Cname%2Cfollowers_count%2Cfollows_count%2Cmedia_count%2Cprofile_picture_url`, `Bearer ${TOKEN}`],
    ]);
    await run.close();
  });

  it('reports a revoked token (190) as auth and an unknown account (100) as the account id field', async () => {
    const revoked = runner('EAAG-revoked');
    expect(await revoked.check()).toEqual({
      ok: false,
      reason: 'auth',
      message: 'The credential was rejected by Instagram: 400 Error validating access token: The user has not authorized application 123. (OAuthException, code 190, subcode 458, fbtrace_id IgTrace1)',
    });
    await revoked.close();
    const unknown = runner(TOKEN, '17841499999999999');
    expect(await unknown.check()).toMatchObject({ ok: false, reason: 'config', field: 'config.instagramAccountId', message: expect.stringMatching(/^Instagram answered 400 Unsupported get request/) });
    await unknown.close();
  });

  it('listMedia follows paging.next and answers the cursor to continue from', async () => {
    const run = runner();
    expect(await run.run('listMedia', { limit: 2 })).toEqual({ ok: true, output: { items: [post(1), post(2)], after: '2', pagesFetched: 1 } });
    expect(Object.fromEntries(api.requests[0]!.url.searchParams)).toEqual({ fields: 'id,caption,media_type,media_product_type,media_url,permalink,thumbnail_url,timestamp,like_count,comments_count', limit: '2' });
    api.reset();
    expect(await run.run('listMedia', { limit: 2, maxPages: 3 })).toEqual({ ok: true, output: { items: [post(1), post(2), post(3)], after: null, pagesFetched: 2 } });
    expect(api.requests.map((request) => request.url.searchParams.get('after'))).toEqual([null, '2']);
    await run.close();
  });

  it('getMediaInsights asks for current metrics only and leaves out those without data', async () => {
    const run = runner();
    expect(await run.run('getMediaInsights', { mediaId: '17900000000000002' })).toEqual({
      ok: true,
      output: { mediaId: '17900000000000002', metrics: { reach: 100, likes: 101, comments: 102, saved: 103, total_interactions: 104, views: 105 } },
    });
    expect(api.requests[0]!.url.searchParams.get('metric')).toBe('reach,likes,comments,saved,shares,total_interactions,views');
    // The deprecated impressions metric is refused before Instagram is called.
    expect(await run.run('getMediaInsights', { mediaId: '17900000000000002', metrics: ['impressions'] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('turns an Instagram rate limit (80002) into a 429 with the wait from X-Business-Use-Case-Usage', async () => {
    throttled = true;
    const run = runner();
    expect(await run.run('listMedia', {})).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 5 * 60_000,
      message: 'Instagram answered 400 There have been too many calls to this Instagram account. Wait a bit and try again. (OAuthException, code 80002, fbtrace_id IgTrace1)',
    });
    await run.close();
  });

  it('syncs media page by page with checkpoints, and resumes from one', async () => {
    const sync = syncRunner(instagram, 'media', { credentials: { accessToken: TOKEN }, config: { instagramAccountId: IG } });
    await sync.run();
    expect(sync.state.batches).toEqual([[post(1).id, post(2).id], [post(3).id]]);
    expect(sync.state.records[1]).toEqual({
      id: '17900000000000002',
      caption: 'Post 2',
      mediaType: 'VIDEO',
      mediaProductType: 'REELS',
      permalink: 'https://www.instagram.com/p/abc2/',
      mediaUrl: 'https://scontent.example/2.jpg',
      thumbnailUrl: null,
      timestamp: '2026-04-02T10:00:00+0000',
      likeCount: 20,
      commentsCount: 2,
    });
    expect(sync.state.checkpoints).toEqual([expect.stringContaining('after=2'), null]);
    await sync.close();
    api.reset();
    const resumed = syncRunner(instagram, 'media', { credentials: { accessToken: TOKEN }, config: { instagramAccountId: IG }, checkpoint: `${BASE}/media?fields=id&limit=100&after=2` });
    await resumed.run();
    expect(resumed.state.records).toHaveLength(1);
    await resumed.close();
  });

  it('syncs account insights day by day into AccountDay records and KPI points, then today’s follower total', async () => {
    const sync = syncRunner(instagram, 'accountInsights', { credentials: { accessToken: TOKEN }, config: { instagramAccountId: IG, backfillDays: 2 } });
    await sync.run();
    const today = Math.floor(Date.now() / 86_400_000) * DAY;
    const since = today - 2 * DAY;
    const queries = api.requests.map((request) => Object.fromEntries(request.url.searchParams));
    expect(queries).toEqual([
      { metric: 'reach,follower_count', period: 'day', since: String(since), until: String(today) },
      { metric: 'views,accounts_engaged,total_interactions', metric_type: 'total_value', period: 'day', since: String(since), until: String(since + DAY) },
      { metric: 'views,accounts_engaged,total_interactions', metric_type: 'total_value', period: 'day', since: String(since + DAY), until: String(today) },
      { fields: 'id,username,name,followers_count,follows_count,media_count,profile_picture_url' },
    ]);
    const first = isoDay(since * 1000);
    const views = 1000 + (since % (7 * DAY)) / DAY;
    expect(sync.state.records[0]).toEqual({ id: first, date: first, reach: 100, newFollowers: 5, views, accountsEngaged: 40, totalInteractions: 55 });
    expect(sync.state.metrics.filter((point) => point.date === first)).toEqual([
      { metric: 'reach', date: first, value: 100, unit: 'count' },
      { metric: 'new_followers', date: first, value: 5, unit: 'count' },
      { metric: 'views', date: first, value: views, unit: 'count' },
      { metric: 'accounts_engaged', date: first, value: 40, unit: 'count' },
      { metric: 'total_interactions', date: first, value: 55, unit: 'count' },
    ]);
    expect(sync.state.metrics.at(-1)).toEqual({ metric: 'followers', date: isoDay(today * 1000), value: 1520, unit: 'count' });
    expect(sync.state.checkpoints).toEqual([{ since, until: today, nextDay: since + DAY }, null]);
    expect(sync.state.progress).toEqual([
      { processed: 1, total: 2, step: 'account insights' },
      { processed: 2, total: 2, step: 'account insights' },
    ]);
    await sync.close();
  });

  it('resumes account insights at the next day of its checkpoint, in the same window', async () => {
    const today = Math.floor(Date.now() / 86_400_000) * DAY;
    const since = today - 3 * DAY;
    const sync = syncRunner(instagram, 'accountInsights', { credentials: { accessToken: TOKEN }, config: { instagramAccountId: IG }, checkpoint: { since, until: today, nextDay: since + 2 * DAY } });
    await sync.run();
    const totalsAsked = api.requests.filter((request) => request.url.searchParams.get('metric_type') === 'total_value').map((request) => Number(request.url.searchParams.get('since')));
    expect(totalsAsked).toEqual([since + 2 * DAY]);
    expect(sync.state.records).toEqual([expect.objectContaining({ date: isoDay((since + 2 * DAY) * 1000), reach: 102, newFollowers: 7 })]);
    await sync.close();
  });
});
