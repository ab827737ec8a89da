// Contract tests for the Meta Ads connector against fixtures shaped like the Marketing API reference:
// the exact Graph requests (token header, appsecret_proof, fields, time_range), paging.next pagination,
// Graph error bodies (190 → auth, 100 → config, 17/80004 → 429 with the usage headers' wait), the syncs'
// records, checkpoints and KPI points, and the ad account webhook spec with Meta's real signature.
import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { verifyInbound } from '../../../webhooks/inbound/verify.ts';
import { dayRange } from '../../sdk/sync-window.ts';
import metaAds from './index.ts';

const TOKEN = 'EAAB-system-user-token';
const APP_SECRET = 'meta-app-secret';
const ACCOUNT = 'act_1234567890';
const BASE = `https://graph.facebook.com/v25.0/${ACCOUNT}`;
const proof = createHmac('sha256', APP_SECRET).update(TOKEN).digest('hex');

const account = { id: ACCOUNT, account_id: '1234567890', name: 'Acme Shop', currency: 'EUR', timezone_name: 'Europe/Berlin', account_status: 1, amount_spent: '1234567' };
const campaign = (n: number) => ({ id: `2385000000${n}`, name: `Campaign ${n}`, status: 'ACTIVE', effective_status: 'ACTIVE', objective: 'OUTCOME_SALES', daily_budget: '5000', created_time: '2026-01-02T10:00:00+0100', updated_time: '2026-03-01T09:00:00+0100' });
const adSet = (n: number) => ({ id: `2386000000${n}`, name: `Ad set ${n}`, campaign_id: '23850000001', status: 'ACTIVE', effective_status: 'ACTIVE', optimization_goal: 'OFFSITE_CONVERSIONS', billing_event: 'IMPRESSIONS' });

/** Graph's error object; Meta answers throttling and most refusals with HTTP 400. */
const graphError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  HttpResponse.json({ error: { message, type: code === 190 ? 'OAuthException' : 'OAuthException', code, fbtrace_id: 'AbCdEf123', ...extra } }, { status, headers });

/** A Graph cursor page: `paging.next` only while more remain, as Meta builds it. */
function graphPage<T>(url: URL, all: T[], size: number) {
  const after = Number(url.searchParams.get('after') ?? 0);
  const data = all.slice(after, after + size);
  const more = after + size < all.length;
  const next = new URL(url.href);
  next.searchParams.set('after', String(after + size));
  return { data, paging: { cursors: { before: String(after), after: String(after + size) }, ...(more ? { next: next.href } : {}) } };
}

const insightRows = [
  {
    account_currency: 'EUR',
    campaign_id: '23850000001',
    campaign_name: 'Campaign 1',
    date_start: '2026-05-01',
    date_stop: '2026-05-01',
    spend: '100.10',
    impressions: '10000',
    clicks: '250',
    ctr: '2.5',
    action_values: [
      { action_type: 'offsite_conversion.fb_pixel_purchase', value: '300.2' },
      { action_type: 'omni_purchase', value: '400.4' },
    ],
  },
  { account_currency: 'EUR', campaign_id: '23850000002', campaign_name: 'Campaign 2', date_start: '2026-05-01', date_stop: '2026-05-01', spend: '50', impressions: '5000', clicks: '50', ctr: '1' },
  { account_currency: 'EUR', campaign_id: '23850000001', campaign_name: 'Campaign 1', date_start: '2026-05-02', date_stop: '2026-05-02', spend: '0', impressions: '0', clicks: '0', action_values: [{ action_type: 'purchase', value: '20' }] },
];

let usageHeaders: Record<string, string> = {};
const api = provider([
  http.get(BASE, ({ request }) => {
    const auth = request.headers.get('authorization');
    if (auth === 'Bearer EAAB-expired-token') return graphError(400, 190, 'Error validating access token: Session has expired on Friday, 01-May-26.', { error_subcode: 463 });
    return HttpResponse.json(account);
  }),
  http.get('https://graph.facebook.com/v25.0/act_999', () => graphError(400, 100, "Unsupported get request. Object with ID 'act_999' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", { error_subcode: 33, type: 'GraphMethodException' })),
  http.get(`${BASE}/campaigns`, ({ request }) => {
    const url = new URL(request.url);
    if (url.searchParams.get('limit') === '7') {
      return graphError(400, 17, 'User request limit reached', { error_subcode: 2446079 }, {
        'x-business-use-case-usage': JSON.stringify({ '1234567890': [{ type: 'ads_management', call_count: 100, total_cputime: 40, total_time: 60, estimated_time_to_regain_access: 12 }] }),
      });
    }
    if (url.searchParams.get('limit') === '8') return graphError(400, 80004, 'There have been too many calls to this ad-account.', { error_subcode: 2446079 });
    if (url.searchParams.get('limit') === '9') return HttpResponse.json({ data: [campaign(1)], paging: { next: 'https://collector.example/v25.0/act_1234567890/campaigns?after=1' } });
    return HttpResponse.json(graphPage(url, [campaign(1), campaign(2), campaign(3)], 2), { headers: usageHeaders });
  }),
  http.get(`${BASE}/adsets`, ({ request }) => HttpResponse.json(graphPage(new URL(request.url), [adSet(1), adSet(2), adSet(3)], 2))),
  http.get(`${BASE}/insights`, ({ request }) => HttpResponse.json(graphPage(new URL(request.url), insightRows, 2))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  usageHeaders = {};
});
afterAll(() => api.disable());

const credentials = { accessToken: TOKEN, appSecret: APP_SECRET };
const runner = (creds: Record<string, string> = credentials, config: Record<string, unknown> = { adAccountId: '1234567890' }) => connectorRunner(metaAds, { credentials: creds, config });

function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return { method: request.method, url: `${request.url.origin}${request.url.pathname}`, query: Object.fromEntries(request.url.searchParams), authorization: request.headers.get('authorization') };
}

describe('Meta Ads connector', () => {
  it('normalises the ad account id and refuses one that is not an id', () => {
    expect(metaAds.config.parse({ adAccountId: '1234567890' })).toMatchObject({ adAccountId: ACCOUNT, backfillDays: 30, lookbackDays: 7 });
    expect(metaAds.config.parse({ adAccountId: ACCOUNT }).adAccountId).toBe(ACCOUNT);
    expect(metaAds.config.safeParse({ adAccountId: 'acme' }).error?.issues[0]?.message).toMatch(/act_1234567890/);
  });

  it('checks the connection with GET /act_{id}, sending the token as a header and the appsecret_proof', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: ACCOUNT, name: 'Acme Shop', details: { currency: 'EUR', timezone: 'Europe/Berlin', status: 'active' } } });
    expect(api.requests.map(sent)).toEqual([
      { method: 'GET', url: BASE, query: { fields: 'id,account_id,name,currency,timezone_name,account_status,amount_spent', appsecret_proof: proof }, authorization: `Bearer ${TOKEN}` },
    ]);
    await run.close();
  });

  it('reports an expired token (code 190) as a rejected credential in Meta’s words', async () => {
    const run = runner({ accessToken: 'EAAB-expired-token' });
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.accessToken',
      message: 'The credential was rejected by Meta Ads: 400 Error validating access token: Session has expired on Friday, 01-May-26. (OAuthException, code 190, subcode 463, fbtrace_id AbCdEf123)',
    });
    await run.close();
  });

  it('points at adAccountId when Meta cannot see the account (code 100)', async () => {
    const run = runner(credentials, { adAccountId: 'act_999' });
    expect(await run.check()).toMatchObject({ ok: false, reason: 'config', field: 'config.adAccountId', message: expect.stringMatching(/^Meta Ads cannot find ad account act_999 for this token: Unsupported get request/) });
    await run.close();
  });

  it('listCampaigns follows paging.next across pages and returns the cursor to continue from', async () => {
    const run = runner({ accessToken: TOKEN });
    const outcome = await run.run('listCampaigns', { limit: 2, maxPages: 1, effectiveStatus: ['ACTIVE', 'PAUSED'] });
    expect(outcome).toEqual({ ok: true, output: { items: [campaign(1), campaign(2)], after: '2', pagesFetched: 1 } });
    expect(sent(api.requests[0])).toEqual({
      method: 'GET',
      url: `${BASE}/campaigns`,
      query: { fields: 'id,name,status,effective_status,objective,daily_budget,lifetime_budget,created_time,updated_time,start_time,stop_time', limit: '2', effective_status: '["ACTIVE","PAUSED"]' },
      authorization: `Bearer ${TOKEN}`,
    });
    api.reset();
    const all = await run.run('listCampaigns', { limit: 2, maxPages: 5 });
    expect(all).toEqual({ ok: true, output: { items: [campaign(1), campaign(2), campaign(3)], after: null, pagesFetched: 2 } });
    expect(api.requests.map((request) => request.url.searchParams.get('after'))).toEqual([null, '2']);
    await run.close();
  });

  it('does not send the token to a paging.next link off graph.facebook.com', async () => {
    const run = runner();
    expect(await run.run('listCampaigns', { limit: 9, maxPages: 3 })).toMatchObject({ ok: false, kind: 'provider_error', message: 'Meta Ads returned a next-page link outside https://graph.facebook.com; it was not followed' });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('turns a throttled answer (400, code 17) into a 429 that waits as long as X-Business-Use-Case-Usage says', async () => {
    const run = runner();
    expect(await run.run('listCampaigns', { limit: 7 })).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 12 * 60_000,
      message: 'Meta Ads answered 400 User request limit reached (OAuthException, code 17, subcode 2446079, fbtrace_id AbCdEf123)',
      providerBody: { error: { message: 'User request limit reached', type: 'OAuthException', code: 17, fbtrace_id: 'AbCdEf123', error_subcode: 2446079 } },
    });
    // An ad account limit (80004) without usage headers still becomes a 429, with a minute's wait.
    expect(await run.run('listCampaigns', { limit: 8 })).toMatchObject({ ok: false, status: 429, retryAfterMs: 60_000 });
    expect(run.sleeps).toEqual([]);
    await run.close();
  });

  it('getInsights sends level, fields, time_increment and a time_range, and refuses half a range', async () => {
    const run = runner();
    const outcome = await run.run('getInsights', { since: '2026-05-01', until: '2026-05-02', limit: 2, maxPages: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { items: [{ campaign_id: '23850000001', spend: 100.1 }, { campaign_id: '23850000002' }, { date_start: '2026-05-02' }], after: null, pagesFetched: 2 } });
    expect(sent(api.requests[0]).query).toEqual({
      level: 'campaign',
      fields: 'campaign_id,campaign_name,spend,impressions,clicks,ctr,action_values',
      time_increment: '1',
      time_range: '{"since":"2026-05-01","until":"2026-05-02"}',
      limit: '2',
      appsecret_proof: proof,
    });
    expect(await run.run('getInsights', { since: '2026-05-01' })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['until'], message: 'since and until go together' }] });
    expect(await run.run('getInsights', { since: '2026-02-30', until: '2026-03-01' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    api.reset();
    expect(await run.run('getInsights', { datePreset: 'last_30d', level: 'adset', fields: ['adset_id', 'spend'] })).toMatchObject({ ok: true });
    expect(sent(api.requests[0]).query).toMatchObject({ level: 'adset', fields: 'adset_id,spend', date_preset: 'last_30d' });
    await run.close();
  });

  it('syncs campaigns page by page, saving the next URL after each page and clearing it at the end', async () => {
    const sync = syncRunner(metaAds, 'campaigns', { credentials, config: { adAccountId: ACCOUNT } });
    await sync.run();
    expect(sync.state.batches).toEqual([
      ['23850000001', '23850000002'],
      ['23850000003'],
    ]);
    expect(sync.state.records).toEqual([campaign(1), campaign(2), campaign(3)]);
    expect(sync.state.checkpoints).toEqual([expect.stringMatching(/^https:\/\/graph\.facebook\.com\/v25\.0\/act_1234567890\/campaigns\?.*after=2/), null]);
    expect(sync.state.progress).toEqual([
      { processed: 2, step: 'campaigns' },
      { processed: 3, step: 'campaigns' },
    ]);
    expect(sent(api.requests[0]).query).toEqual({ fields: expect.stringContaining('effective_status'), limit: '200', appsecret_proof: proof });
    await sync.close();
  });

  it('resumes a campaign sync from its saved next URL', async () => {
    const resumeFrom = `${BASE}/campaigns?fields=id&limit=200&after=2`;
    const sync = syncRunner(metaAds, 'campaigns', { credentials, config: { adAccountId: ACCOUNT }, checkpoint: resumeFrom });
    await sync.run();
    expect(sync.state.records).toEqual([campaign(3)]);
    expect(api.requests.map((request) => request.url.searchParams.get('after'))).toEqual(['2']);
    await sync.close();
  });

  it('pauses a sync with a 429 when the usage headers say the budget is nearly spent', async () => {
    usageHeaders = { 'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 97.5, reset_time_duration: 120, ads_api_access_tier: 'standard_access' }) };
    const sync = syncRunner(metaAds, 'campaigns', { credentials, config: { adAccountId: ACCOUNT } });
    await expect(sync.run()).rejects.toMatchObject({ status: 429, retryAfterMs: 60_000, message: expect.stringMatching(/98% of its rate limit used/) });
    // The first page is stored and its next URL saved, so the retry continues from page two.
    expect(sync.state.records).toHaveLength(2);
    expect(sync.state.checkpoint).toEqual(expect.stringContaining('after=2'));
    await sync.close();
  });

  it('syncs ad sets as records', async () => {
    const sync = syncRunner(metaAds, 'adSets', { credentials, config: { adAccountId: ACCOUNT } });
    await sync.run();
    expect(sync.state.records).toEqual([adSet(1), adSet(2), adSet(3)]);
    await sync.close();
  });

  it('syncs insights into campaign-day records and KPI points per campaign and per day, with ROAS = purchase value / spend', async () => {
    const sync = syncRunner(metaAds, 'insights', { credentials, config: { adAccountId: ACCOUNT } });
    await sync.run();
    const window = dayRange(30);
    expect(sent(api.requests[1])).toEqual({
      method: 'GET',
      url: `${BASE}/insights`,
      query: {
        level: 'campaign',
        fields: 'account_currency,campaign_id,campaign_name,date_start,date_stop,spend,impressions,clicks,ctr,action_values',
        time_increment: '1',
        time_range: JSON.stringify(window),
        limit: '500',
        appsecret_proof: proof,
      },
      authorization: `Bearer ${TOKEN}`,
    });
    expect(sync.state.records).toEqual([
      { id: '23850000001:2026-05-01', campaignId: '23850000001', campaignName: 'Campaign 1', date: '2026-05-01', currency: 'EUR', spend: 100.1, impressions: 10000, clicks: 250, ctr: 0.025, purchaseValue: 400.4, roas: 4 },
      { id: '23850000002:2026-05-01', campaignId: '23850000002', campaignName: 'Campaign 2', date: '2026-05-01', currency: 'EUR', spend: 50, impressions: 5000, clicks: 50, ctr: 0.01, purchaseValue: 0, roas: 0 },
      { id: '23850000001:2026-05-02', campaignId: '23850000001', campaignName: 'Campaign 1', date: '2026-05-02', currency: 'EUR', spend: 0, impressions: 0, clicks: 0, ctr: null, purchaseValue: 20, roas: null },
    ]);
    const day = (date: string) => sync.state.metrics.filter((point) => point.date === date && !point.dimensions);
    expect(day('2026-05-01')).toEqual([
      { date: '2026-05-01', metric: 'spend', value: 150.1, unit: 'EUR' },
      { date: '2026-05-01', metric: 'impressions', value: 15000, unit: 'count' },
      { date: '2026-05-01', metric: 'clicks', value: 300, unit: 'count' },
      { date: '2026-05-01', metric: 'purchase_value', value: 400.4, unit: 'EUR' },
      { date: '2026-05-01', metric: 'ctr', value: 0.02, unit: 'ratio' },
      { date: '2026-05-01', metric: 'roas', value: 2.667555, unit: 'ratio' },
    ]);
    // Nothing spent, nothing shown: no CTR or ROAS rather than a division by zero.
    expect(day('2026-05-02').map((point) => point.metric)).toEqual(['spend', 'impressions', 'clicks', 'purchase_value']);
    expect(sync.state.metrics.filter((point) => point.dimensions?.campaignId === '23850000001' && point.metric === 'roas')).toEqual([
      { date: '2026-05-01', dimensions: { campaignId: '23850000001' }, metric: 'roas', value: 4, unit: 'ratio' },
    ]);
    expect(sync.state.checkpoint).toBeNull();
    await sync.close();
  });

  it('resumes an insights run from its checkpoint with the totals of the pages already read', async () => {
    const first = syncRunner(metaAds, 'insights', { credentials, config: { adAccountId: ACCOUNT } });
    await first.run();
    const afterPageOne = first.state.checkpoints[0] as { since: string; until: string; next: string; totals: Record<string, unknown> };
    expect(afterPageOne).toMatchObject({ currency: 'EUR', next: expect.stringContaining('after=2'), totals: { '2026-05-01': { spend: 150.1, impressions: 15000, clicks: 300, purchaseValue: 400.4 } } });
    await first.close();
    api.reset();
    const resumed = syncRunner(metaAds, 'insights', { credentials, config: { adAccountId: ACCOUNT }, checkpoint: afterPageOne });
    await resumed.run();
    // Only the second page is read again; the day totals still include the first page's campaigns.
    expect(api.requests.map((request) => `${request.url.pathname} ${request.url.searchParams.get('after')}`)).toEqual(['/v25.0/act_1234567890/insights 2']);
    expect(resumed.state.records).toHaveLength(1);
    expect(resumed.state.metrics.find((point) => point.date === '2026-05-01' && !point.dimensions && point.metric === 'spend')).toEqual({ date: '2026-05-01', metric: 'spend', value: 150.1, unit: 'EUR' });
    await resumed.close();
  });

  it('reads only the days since the last success plus the lookback on later runs', async () => {
    const sync = syncRunner(metaAds, 'insights', { credentials, config: { adAccountId: ACCOUNT, lookbackDays: 3 }, lastSuccessAt: new Date(Date.now() - 2 * 86_400_000) });
    await sync.run();
    expect(JSON.parse(api.requests[1]!.url.searchParams.get('time_range')!)).toEqual(dayRange(5));
    await sync.close();
  });

  it('declares ad account webhooks verified with the app secret, named by object and changed field', () => {
    const payload = { object: 'ad_account', entry: [{ id: '1234567890', time: 1777600000, changes: [{ field: 'with_issues_ad_objects', value: { id: '23850000001', level: 'CAMPAIGN', error_code: 1815869 } }] }] };
    const raw = Buffer.from(JSON.stringify(payload));
    const spec = metaAds.webhooks!;
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;
    expect(verifyInbound(spec.verification, credentials, { rawBody: raw, headers: { 'x-hub-signature-256': signature } }, Date.now())).toMatchObject({ ok: true });
    expect(verifyInbound(spec.verification, { ...credentials, appSecret: 'other' }, { rawBody: raw, headers: { 'x-hub-signature-256': signature } }, Date.now())).toMatchObject({ ok: false });
    expect(spec.eventType(payload, {})).toBe('ad_account.with_issues_ad_objects');
    expect(spec.normalize!(payload)).toEqual({
      object: 'ad_account',
      changes: [{ adAccountId: '1234567890', field: 'with_issues_ad_objects', value: { id: '23850000001', level: 'CAMPAIGN', error_code: 1815869 }, at: new Date(1777600000 * 1000).toISOString() }],
    });
  });
});
