// Contract tests for the Google Analytics 4 connector against fixtures shaped like the Data and Admin API
// references: the OAuth spec, the exact runReport bodies (offset and limit in the body), rowCount-driven
// pagination, Google error bodies (PERMISSION_DENIED, SERVICE_DISABLED, RESOURCE_EXHAUSTED → 429) and the
// KPI sync's records, checkpoints and metric points.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner, type RecordedRequest } from '../../../../test/support/connectors.ts';
import ga4 from './index.ts';

const TOKEN = 'ya29.valid-access-token';
const PROPERTY = '123456789';
const DATA = `https://analyticsdata.googleapis.com/v1beta/properties/${PROPERTY}`;
const ADMIN = `https://analyticsadmin.googleapis.com/v1beta/properties/${PROPERTY}`;

const googleError = (code: number, status: string, message: string, reason?: string) =>
  HttpResponse.json(
    { error: { code, message, status, ...(reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'analyticsadmin.googleapis.com' } }] } : {}) } },
    { status: code },
  );

const row = (dims: string[], metrics: number[]) => ({ dimensionValues: dims.map((value) => ({ value })), metricValues: metrics.map((value) => ({ value: String(value) })) });
const BY_DATE = [row(['20260501'], [120, 100, 7, 350.5]), row(['20260502'], [80, 70, 0, 0])];
const BY_SOURCE = [
  row(['20260501', 'google / organic'], [70, 60, 4, 200]),
  row(['20260501', 'newsletter / email'], [50, 40, 3, 150.5]),
  row(['20260502', 'google / organic'], [80, 70, 0, 0]),
];

/** runReport served like GA4: offset and limit from the body, rowCount the total, rows left out when empty. */
function report(body: { dimensions: Array<{ name: string }>; metrics: Array<{ name: string }>; offset?: number; limit?: number }) {
  const all = body.dimensions.some((d) => d.name === 'sessionSourceMedium') ? BY_SOURCE : body.dimensions.length === 0 ? [] : BY_DATE;
  const offset = body.offset ?? 0;
  const rows = all.slice(offset, offset + (body.limit ?? 10_000));
  return {
    dimensionHeaders: body.dimensions.map(({ name }) => ({ name })),
    metricHeaders: body.metrics.map(({ name }) => ({ name, type: name === 'totalRevenue' ? 'TYPE_CURRENCY' : 'TYPE_INTEGER' })),
    ...(rows.length > 0 ? { rows } : {}),
    ...(all.length > 0 ? { rowCount: all.length } : {}),
    metadata: { currencyCode: 'EUR', timeZone: 'Europe/Berlin' },
    kind: 'analyticsData#runReport',
  };
}

let adminMode: 'ok' | 'disabled' | 'denied' = 'ok';
let quotaExhausted = false;
const api = provider([
  http.get(ADMIN, ({ request }) => {
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    if (adminMode === 'disabled') return googleError(403, 'PERMISSION_DENIED', 'Google Analytics Admin API has not been used in project 42 before or it is disabled.', 'SERVICE_DISABLED');
    if (adminMode === 'denied') return googleError(403, 'PERMISSION_DENIED', 'User does not have sufficient permissions for this property.');
    return HttpResponse.json({ name: `properties/${PROPERTY}`, parent: 'accounts/555', displayName: 'Acme Web', timeZone: 'Europe/Berlin', currencyCode: 'EUR', propertyType: 'PROPERTY_TYPE_ORDINARY' });
  }),
  http.get(`${DATA}/metadata`, () =>
    HttpResponse.json({
      name: `properties/${PROPERTY}/metadata`,
      dimensions: [
        { apiName: 'date', uiName: 'Date', category: 'Time' },
        { apiName: 'sessionSourceMedium', uiName: 'Session source / medium', category: 'Traffic source' },
        { apiName: 'customEvent:plan', uiName: 'Plan', category: 'Custom', customDefinition: true },
      ],
      metrics: [{ apiName: 'sessions', uiName: 'Sessions', type: 'TYPE_INTEGER', category: 'Session' }],
    }),
  ),
  http.post(`${DATA}:runReport`, async ({ request }) => {
    const body = (await request.json()) as Parameters<typeof report>[0];
    if (quotaExhausted) return googleError(429, 'RESOURCE_EXHAUSTED', 'Exhausted property tokens per hour for a project per property. These quota tokens will return in under an hour.');
    if (body.metrics.some((m) => m.name === 'conversions')) return googleError(400, 'INVALID_ARGUMENT', 'Field conversions is not a valid metric. Did you mean keyEvents?');
    return HttpResponse.json(report(body));
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  adminMode = 'ok';
  quotaExhausted = false;
});
afterAll(() => api.disable());

const runner = (config: Record<string, unknown> = { propertyId: PROPERTY }, token = TOKEN) => connectorRunner(ga4, { credentials: { accessToken: token }, config });
const bodies = () => api.requests.filter((request) => request.method === 'POST').map((request) => JSON.parse(request.body) as Record<string, unknown>);

function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return { method: request.method, url: `${request.url.origin}${request.url.pathname}`, authorization: request.headers.get('authorization') };
}

describe('Google Analytics 4 connector', () => {
  it("declares Google's OAuth endpoints with offline access, and normalises the property id", () => {
    expect(ga4.auth).toEqual({
      kind: 'oauth2',
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      revocationUrl: 'https://oauth2.googleapis.com/revoke',
      scopes: ['https://www.googleapis.com/auth/analytics.readonly'],
      scopeSeparator: ' ',
      pkce: true,
      extraAuthorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    });
    expect(ga4.config.parse({ propertyId: `properties/${PROPERTY}` }).propertyId).toBe(PROPERTY);
    expect(ga4.config.safeParse({ propertyId: 'G-ABC123' }).error?.issues[0]?.message).toMatch(/numeric GA4 property id/);
  });

  it('checks the connection by reading the property from the Admin API', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: PROPERTY, name: 'Acme Web', details: { timeZone: 'Europe/Berlin', currencyCode: 'EUR', account: 'accounts/555' } } });
    expect(api.requests.map(sent)).toEqual([{ method: 'GET', url: ADMIN, authorization: `Bearer ${TOKEN}` }]);
    await run.close();
  });

  it('falls back to the Data API metadata when the Admin API is not enabled', async () => {
    adminMode = 'disabled';
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: PROPERTY, name: `properties/${PROPERTY}/metadata`, details: { dimensions: 3, metrics: 1 } } });
    expect(api.requests.map((request) => request.url.href)).toEqual([ADMIN, `${DATA}/metadata`]);
    await run.close();
  });

  it('names the property field when the signed-in account cannot read it, and the credential on a 401', async () => {
    adminMode = 'denied';
    const run = runner();
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'config',
      field: 'config.propertyId',
      message: 'Google Analytics answered 403 PERMISSION_DENIED: User does not have sufficient permissions for this property. Check the property id and that the signed-in Google account can read it.',
    });
    await run.close();
    const stale = runner({ propertyId: PROPERTY }, 'ya29.revoked');
    expect(await stale.check()).toEqual({ ok: false, reason: 'auth', message: 'The credential was rejected by Google Analytics: 401 UNAUTHENTICATED: Request had invalid authentication credentials. Expected OAuth 2 access token.' });
    await stale.close();
  });

  it('runReport sends dimensions, metrics, the date range, order, offset and limit in the body and answers rows keyed by name', async () => {
    const run = runner();
    const outcome = await run.run('runReport', {
      dimensions: ['date'],
      metrics: ['sessions', 'activeUsers', 'keyEvents', 'totalRevenue'],
      startDate: '2026-05-01',
      endDate: 'yesterday',
      limit: 1,
      orderBy: [{ name: 'sessions', kind: 'metric', desc: true }],
    });
    expect(outcome).toEqual({
      ok: true,
      output: {
        rows: [{ dimensions: { date: '20260501' }, metrics: { sessions: 120, activeUsers: 100, keyEvents: 7, totalRevenue: 350.5 } }],
        rowCount: 2,
        nextOffset: 1,
        currencyCode: 'EUR',
        timeZone: 'Europe/Berlin',
      },
    });
    expect(sent(api.requests[0])).toEqual({ method: 'POST', url: `${DATA}:runReport`, authorization: `Bearer ${TOKEN}` });
    expect(bodies()).toEqual([
      {
        dateRanges: [{ startDate: '2026-05-01', endDate: 'yesterday' }],
        dimensions: [{ name: 'date' }],
        metrics: [{ name: 'sessions' }, { name: 'activeUsers' }, { name: 'keyEvents' }, { name: 'totalRevenue' }],
        orderBys: [{ metric: { metricName: 'sessions' }, desc: true }],
        offset: 0,
        limit: 1,
      },
    ]);
    await run.close();
  });

  it('answers an empty report (no rows field) as no rows', async () => {
    const run = runner();
    expect(await run.run('runReport', { metrics: ['sessions'] })).toMatchObject({ ok: true, output: { rows: [], rowCount: 0, nextOffset: null } });
    await run.close();
  });

  it("relays GA4's INVALID_ARGUMENT message and a RESOURCE_EXHAUSTED 429 without repeating the POST", async () => {
    const run = runner();
    expect(await run.run('runReport', { metrics: ['conversions'] })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 400,
      message: 'Google Analytics answered 400 INVALID_ARGUMENT: Field conversions is not a valid metric. Did you mean keyEvents?',
    });
    quotaExhausted = true;
    expect(await run.run('runReport', { metrics: ['sessions'] })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      message: expect.stringMatching(/^Google Analytics answered 429 RESOURCE_EXHAUSTED: Exhausted property tokens per hour/),
    });
    // runReport is a POST: the outbound client does not repeat it, the sync engine reschedules the run.
    expect(api.requests).toHaveLength(2);
    await run.close();
  });

  it('refuses malformed dates and metric names before calling GA4', async () => {
    const run = runner();
    expect(await run.run('runReport', { metrics: ['sessions'], startDate: 'last week' })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['startDate'] }] });
    expect(await run.run('runReport', { metrics: [] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('getMetadata lists the property’s definitions, filtered by category or to custom ones', async () => {
    const run = runner();
    expect(await run.run('getMetadata', { customOnly: true })).toMatchObject({ ok: true, output: { dimensions: [{ apiName: 'customEvent:plan' }], metrics: [] } });
    expect(await run.run('getMetadata', { category: 'Traffic source' })).toMatchObject({ ok: true, output: { dimensions: [{ apiName: 'sessionSourceMedium' }] } });
    await run.close();
  });

  it('syncs daily KPIs by date and by source / medium, page by page, into records and metric points', async () => {
    const sync = syncRunner(ga4, 'dailyKpis', { credentials: { accessToken: TOKEN }, config: { propertyId: PROPERTY, reportPageSize: 2 } });
    await sync.run();
    const metrics = [{ name: 'sessions' }, { name: 'activeUsers' }, { name: 'keyEvents' }, { name: 'totalRevenue' }];
    const byDate = { dateRanges: [{ startDate: '30daysAgo', endDate: 'today' }], dimensions: [{ name: 'date' }], metrics, orderBys: [{ dimension: { dimensionName: 'date' } }] };
    const bySource = {
      ...byDate,
      dimensions: [{ name: 'date' }, { name: 'sessionSourceMedium' }],
      orderBys: [{ dimension: { dimensionName: 'date' } }, { dimension: { dimensionName: 'sessionSourceMedium' } }],
    };
    // Two date rows fit one page of 2 and rowCount says there is no more; three source rows take two pages.
    expect(bodies()).toEqual([
      { ...byDate, offset: 0, limit: 2 },
      { ...bySource, offset: 0, limit: 2 },
      { ...bySource, offset: 2, limit: 2 },
    ]);
    expect(sync.state.records).toEqual([
      { id: '2026-05-01', date: '2026-05-01', sourceMedium: null, sessions: 120, activeUsers: 100, conversions: 7, revenue: 350.5, currency: 'EUR' },
      { id: '2026-05-02', date: '2026-05-02', sourceMedium: null, sessions: 80, activeUsers: 70, conversions: 0, revenue: 0, currency: 'EUR' },
      { id: '2026-05-01|google / organic', date: '2026-05-01', sourceMedium: 'google / organic', sessions: 70, activeUsers: 60, conversions: 4, revenue: 200, currency: 'EUR' },
      { id: '2026-05-01|newsletter / email', date: '2026-05-01', sourceMedium: 'newsletter / email', sessions: 50, activeUsers: 40, conversions: 3, revenue: 150.5, currency: 'EUR' },
      { id: '2026-05-02|google / organic', date: '2026-05-02', sourceMedium: 'google / organic', sessions: 80, activeUsers: 70, conversions: 0, revenue: 0, currency: 'EUR' },
    ]);
    expect(sync.state.metrics.filter((point) => point.date === '2026-05-01' && !point.dimensions)).toEqual([
      { metric: 'sessions', date: '2026-05-01', value: 120, unit: 'count' },
      { metric: 'active_users', date: '2026-05-01', value: 100, unit: 'count' },
      { metric: 'conversions', date: '2026-05-01', value: 7, unit: 'count' },
      { metric: 'revenue', date: '2026-05-01', value: 350.5, unit: 'EUR' },
    ]);
    expect(sync.state.metrics.filter((point) => point.dimensions?.sourceMedium === 'newsletter / email').map((point) => [point.metric, point.value])).toEqual([
      ['sessions', 50],
      ['active_users', 40],
      ['conversions', 3],
      ['revenue', 150.5],
    ]);
    expect(sync.state.checkpoints).toEqual([
      { startDate: '30daysAgo', report: 'bySourceMedium', offset: null },
      { startDate: '30daysAgo', report: 'bySourceMedium', offset: '2' },
      null,
    ]);
    expect(sync.state.progress.map((entry) => entry.step)).toEqual(['by date', 'by source / medium', 'by source / medium']);
    await sync.close();
  });

  it('resumes from a checkpoint in the middle of the source / medium report, with the same window', async () => {
    const sync = syncRunner(ga4, 'dailyKpis', {
      credentials: { accessToken: TOKEN },
      config: { propertyId: PROPERTY, reportPageSize: 2 },
      checkpoint: { startDate: '12daysAgo', report: 'bySourceMedium', offset: '2' },
    });
    await sync.run();
    expect(bodies()).toEqual([expect.objectContaining({ dateRanges: [{ startDate: '12daysAgo', endDate: 'today' }], offset: 2, limit: 2 })]);
    expect(sync.state.records).toEqual([expect.objectContaining({ id: '2026-05-02|google / organic' })]);
    await sync.close();
  });

  it('reads the days since the last success plus the lookback on later runs', async () => {
    const sync = syncRunner(ga4, 'dailyKpis', { credentials: { accessToken: TOKEN }, config: { propertyId: PROPERTY }, lastSuccessAt: new Date(Date.now() - 5 * 86_400_000) });
    await sync.run();
    expect(bodies()[0]).toMatchObject({ dateRanges: [{ startDate: '8daysAgo', endDate: 'today' }] });
    await sync.close();
  });

  it('fails a sync on exhausted quota with a 429 and keeps no checkpoint past what was stored', async () => {
    quotaExhausted = true;
    const sync = syncRunner(ga4, 'dailyKpis', { credentials: { accessToken: TOKEN }, config: { propertyId: PROPERTY } });
    await expect(sync.run()).rejects.toMatchObject({ status: 429, message: expect.stringContaining('RESOURCE_EXHAUSTED') });
    expect(sync.state.records).toEqual([]);
    expect(sync.state.checkpoints).toEqual([]);
    await sync.close();
  });
});
