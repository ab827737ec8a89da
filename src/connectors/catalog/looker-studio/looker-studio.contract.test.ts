// Contract tests for the Looker Studio connector against fixtures shaped like its API reference.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import looker from './index.ts';

const TOKEN = 'ya29.a0AfB_looker-studio-test-token';
const API = 'https://datastudio.googleapis.com/v1';
const REPORT = '1a2B3c4D-5e6F-7a8B-9c0D-1e2F3a4B5c6D';
const report = (name: string, title: string) => ({ name, title, assetType: 'REPORT', owner: 'ada@example.org', trashed: false, updateTime: '2026-03-01T10:00:00.000Z', lastViewByMeTime: '2026-03-02T08:00:00.000Z' });
const perms = (viewers: string[]) => ({ etag: 'BwXk3p9', permissions: { OWNER: { members: ['user:ada@example.org'] }, VIEWER: { members: viewers } } });
const forbidden = { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } };

const api = provider([
  http.get('https://openidconnect.googleapis.com/v1/userinfo', () => HttpResponse.json({ sub: '110248495921238986420', email: 'ada@example.org', name: 'Ada Lovelace', hd: 'example.org' })),
  // A literal `:` in a path would read as an MSW parameter, so the colon routes are matched by regular expression.
  http.get(/^https:\/\/datastudio\.googleapis\.com\/v1\/assets:search/, ({ request }) => {
    const query = new URL(request.url).searchParams;
    if (query.get('title') === 'nothing') return HttpResponse.json({});
    return query.get('pageToken') === 'p2'
      ? HttpResponse.json({ assets: [report('9f8E7d6C-5b4A-3f2E-1d0C-9b8A7f6E5d4C', 'Churn')] })
      : HttpResponse.json({ assets: [report(REPORT, 'Weekly KPIs')], nextPageToken: 'p2' });
  }),
  http.get(`${API}/assets/:name/permissions`, ({ params }) => (params.name === REPORT ? HttpResponse.json(perms(['domain:example.org'])) : HttpResponse.json(forbidden, { status: 403 }))),
  http.post(/^https:\/\/datastudio\.googleapis\.com\/v1\/assets\/[^/]+\/permissions:/, async ({ request }) => {
    const body = (await request.clone().json()) as { members: string[] };
    if (new URL(request.url).pathname.endsWith(':addMembers')) return HttpResponse.json(perms(['domain:example.org', ...body.members]));
    return HttpResponse.json(perms([]));
  }),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

const runner = () => connectorRunner(looker, { credentials: { accessToken: TOKEN } });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') ?? '-'}`;

describe('Looker Studio connector', () => {
  it('says plainly what the API offers, and asks for the datastudio scope with offline access', () => {
    expect(looker.description).toContain('That is all Looker Studio’s public API offers');
    expect(looker.auth).toMatchObject({ kind: 'oauth2', scopes: ['https://www.googleapis.com/auth/datastudio', 'openid', 'email'], extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' } });
  });

  it('checks the grant with OpenID userinfo', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: '110248495921238986420', name: 'Ada Lovelace', details: { email: 'ada@example.org', domain: 'example.org' } } });
    await run.close();
  });

  it('searchAssets pages with pageToken through the shared paginator', async () => {
    const run = runner();
    const outcome = await run.run('searchAssets', { title: 'KPI', owner: 'ada@example.org', pageSize: 1, followPages: true });
    expect(outcome.ok && (outcome.output as { assets: Array<{ title: string }> }).assets.map((a) => a.title)).toEqual(['Weekly KPIs', 'Churn']);
    expect(outcome).toMatchObject({ ok: true, output: { nextPageToken: null } });
    expect(api.requests.map(line)).toEqual([
      `GET ${API}/assets:search?assetTypes=REPORT&title=KPI&owner=ada%40example.org&pageSize=1 Bearer ${TOKEN}`,
      `GET ${API}/assets:search?assetTypes=REPORT&title=KPI&owner=ada%40example.org&pageSize=1&pageToken=p2 Bearer ${TOKEN}`,
    ]);
    await run.close();
  });

  it('searchAssets reads Google’s empty answer (no assets field) as no assets', async () => {
    const run = runner();
    expect(await run.run('searchAssets', { title: 'nothing', assetType: 'DATA_SOURCE' })).toEqual({ ok: true, output: { assets: [], nextPageToken: null } });
    expect(api.requests[0]!.url.searchParams.get('assetTypes')).toBe('DATA_SOURCE');
    await run.close();
  });

  it('getPermissions takes a report link and relays PERMISSION_DENIED', async () => {
    const run = runner();
    expect(await run.run('getPermissions', { assetName: `https://lookerstudio.google.com/reporting/${REPORT}/page/p_abc` })).toEqual({ ok: true, output: perms(['domain:example.org']) });
    expect(api.requests.map(line)).toEqual([`GET ${API}/assets/${REPORT}/permissions Bearer ${TOKEN}`]);
    expect(await run.run('getPermissions', { assetName: 'someoneElsesReport1' })).toMatchObject({ ok: false, status: 403, message: 'Looker Studio answered 403 PERMISSION_DENIED: The caller does not have permission' });
    await run.close();
  });

  it('addMembers and revokeAllPermissions POST the documented bodies, and refuse malformed members', async () => {
    const run = runner();
    expect(await run.run('addMembers', { assetName: REPORT, role: 'VIEWER', members: ['user:grace@example.org', 'group:analysts@example.org'] })).toMatchObject({ ok: true, output: { permissions: { VIEWER: { members: ['domain:example.org', 'user:grace@example.org', 'group:analysts@example.org'] } } } });
    expect(await run.run('revokeAllPermissions', { assetName: REPORT, members: ['domain:example.org'] })).toMatchObject({ ok: true });
    expect(api.requests.map(line)).toEqual([`POST ${API}/assets/${REPORT}/permissions:addMembers Bearer ${TOKEN}`, `POST ${API}/assets/${REPORT}/permissions:revokeAllPermissions Bearer ${TOKEN}`]);
    expect(api.requests.map((r) => JSON.parse(r.body))).toEqual([{ role: 'VIEWER', members: ['user:grace@example.org', 'group:analysts@example.org'] }, { members: ['domain:example.org'] }]);
    api.reset();
    expect(await run.run('addMembers', { assetName: REPORT, role: 'OWNER', members: ['grace@example.org'] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });
});
