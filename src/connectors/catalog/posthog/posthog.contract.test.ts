// Contract tests for the PostHog connector against fixtures shaped like posthog.com/docs/api's examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import posthog from './index.ts';

const PROJECT_KEY = 'phc_k3Y9pQ2rT8vW1xZ5aB7cD0eF4gH6jL';
const PERSONAL_KEY = 'phx_Wq4eR8tY2uI6oP0aS3dF7gH1jK5lZ9xC';
const APP = 'https://eu.posthog.com';
const INGEST = 'https://eu.i.posthog.com';
const SELF = 'https://analytics.example.com';

const drf = (code: string, detail: string, type = 'authentication_error') => ({ type, code, detail, attr: null });
const invalidPersonal = drf('authentication_failed', 'Personal API key found in request Authorization header is invalid.');
const invalidProject = drf('invalid_api_key', 'Project API key invalid. You can find your project API key in PostHog project settings.');
const throttled = drf('throttled', 'Request was throttled. Expected available in 56 seconds.', 'throttled_error');
const insight = (id: number, name: string) => ({ id, short_id: `s${id}`, name, filters: {}, query: { kind: 'InsightVizNode' }, result: null, saved: true });
let queryAnswers: Array<() => Response> = [];

const personal = (request: Request) => request.headers.get('authorization') === `Bearer ${PERSONAL_KEY}`;
const routes = (app: string, ingest: string) => [
  http.get(`${app}/api/users/@me/`, ({ request }) =>
    personal(request)
      ? HttpResponse.json({ uuid: '0190e6c2-8f3b-7a5c-9d1e-2f3a4b5c6d7e', email: 'ada@example.org', first_name: 'Ada', last_name: '', organization: { id: '0190e6c2-0000-7000-8000-000000000001', name: 'Acme' } })
      : HttpResponse.json(invalidPersonal, { status: 401 }),
  ),
  http.get(`${app}/api/projects/4242/`, () => HttpResponse.json({ id: 4242, name: 'Acme web', api_token: PROJECT_KEY })),
  http.post(`${ingest}/flags/`, async ({ request }) => {
    const body = (await request.clone().json()) as { api_key: string };
    return body.api_key === PROJECT_KEY ? HttpResponse.json({ flags: {}, errorsWhileComputingFlags: false, requestId: 'f1' }) : HttpResponse.json(invalidProject, { status: 401 });
  }),
  http.post(`${ingest}/i/v0/e/`, () => HttpResponse.json({ status: 'Ok' })),
  http.post(`${ingest}/batch/`, () => HttpResponse.json({ status: 'Ok' })),
  http.post(`${app}/api/projects/4242/query/`, () =>
    queryAnswers.shift()?.() ??
    HttpResponse.json({ columns: ['event', 'count()'], types: [['event', 'String'], ['count()', 'UInt64']], results: [['$pageview', 1203], ['order_completed', 87]], hasMore: false, is_cached: false }),
  ),
  http.get(`${app}/api/projects/4242/insights/`, ({ request }) => {
    const offset = new URL(request.url).searchParams.get('offset');
    return offset === '2'
      ? HttpResponse.json({ count: 3, next: null, previous: `${app}/api/projects/4242/insights/?limit=2`, results: [insight(3, 'Retention')] })
      : HttpResponse.json({ count: 3, next: `${app}/api/projects/4242/insights/?limit=2&offset=2`, previous: null, results: [insight(1, 'Weekly signups'), insight(2, 'Checkout funnel')] });
  }),
];
const api = provider([...routes(APP, INGEST), ...routes(SELF, SELF)]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queryAnswers = [];
});
afterAll(() => api.disable());

const runner = (credentials: Record<string, string> = { projectApiKey: PROJECT_KEY, personalApiKey: PERSONAL_KEY }, config: unknown = { region: 'eu', projectId: 4242 }) =>
  connectorRunner(posthog, { credentials, config });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') ?? '-'}`;

describe('PostHog connector', () => {
  it('needs host for a self-hosted instance, and only over https', () => {
    expect(posthog.config.safeParse({ region: 'self-hosted' }).error?.issues[0]).toMatchObject({ path: ['host'], message: 'a self-hosted PostHog needs host' });
    expect(posthog.config.safeParse({ region: 'self-hosted', host: 'http://posthog.local' }).error?.issues[0]).toMatchObject({ path: ['host'] });
  });

  it('checks a personal key with /api/users/@me/ and names the project', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: '0190e6c2-8f3b-7a5c-9d1e-2f3a4b5c6d7e', name: 'Ada', details: { email: 'ada@example.org', organization: 'Acme', region: 'eu', project: 'Acme web' } },
    });
    expect(api.requests.map(line)).toEqual([`GET ${APP}/api/users/@me/ Bearer ${PERSONAL_KEY}`, `GET ${APP}/api/projects/4242/ Bearer ${PERSONAL_KEY}`]);
    await run.close();
  });

  it('reports a refused personal key with PostHog’s code and detail', async () => {
    const run = runner({ personalApiKey: 'phx_revoked' });
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.personalApiKey',
      message: 'The credential was rejected by PostHog: 401 authentication_failed: Personal API key found in request Authorization header is invalid.',
    });
    await run.close();
  });

  it('checks a project key alone on the flags endpoint of the ingestion host, without the Authorization header', async () => {
    const run = runner({ projectApiKey: PROJECT_KEY });
    expect(await run.check()).toMatchObject({ ok: true, account: { name: 'PostHog project (eu)' } });
    expect(api.requests.map(line)).toEqual([`POST ${INGEST}/flags/?v=2 -`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ api_key: PROJECT_KEY, distinct_id: 'switchboard-connection-check' });
    expect(await runner({ projectApiKey: 'phc_unknown' }).check()).toMatchObject({ ok: false, reason: 'auth', field: 'credentials.projectApiKey', message: expect.stringContaining('invalid_api_key') });
    await run.close();
  });

  it('captureEvent POSTs to /i/v0/e/ on the ingestion host with the project key in the body, never the personal key', async () => {
    const run = runner();
    const outcome = await run.run('captureEvent', { event: 'order_completed', distinctId: 'user-42', properties: { total: 99.5 }, timestamp: '2026-03-02T09:15:00Z' });
    expect(outcome).toEqual({ ok: true, output: { status: 'Ok' } });
    expect(api.requests.map(line)).toEqual([`POST ${INGEST}/i/v0/e/ -`]);
    expect(api.requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ api_key: PROJECT_KEY, event: 'order_completed', distinct_id: 'user-42', properties: { total: 99.5 }, timestamp: '2026-03-02T09:15:00Z' });
    await run.close();
  });

  it('captureBatch POSTs to /batch/ with distinct_id in each event’s properties', async () => {
    const run = runner();
    await run.run('captureBatch', { events: [{ event: 'signed_up', distinctId: 'u1' }, { event: 'upgraded', distinctId: 'u2', properties: { plan: 'pro' } }], historicalMigration: true });
    expect(api.requests.map(line)).toEqual([`POST ${INGEST}/batch/ -`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      api_key: PROJECT_KEY,
      historical_migration: true,
      batch: [
        { event: 'signed_up', properties: { distinct_id: 'u1' } },
        { event: 'upgraded', properties: { plan: 'pro', distinct_id: 'u2' } },
      ],
    });
    await run.close();
  });

  it('hogqlQuery POSTs a HogQLQuery to the project with the personal key', async () => {
    const run = runner();
    const outcome = await run.run('hogqlQuery', { query: 'select event, count() from events group by event' });
    expect(outcome).toMatchObject({ ok: true, output: { columns: ['event', 'count()'], results: [['$pageview', 1203], ['order_completed', 87]], hasMore: false } });
    expect(api.requests.map(line)).toEqual([`POST ${APP}/api/projects/4242/query/ Bearer ${PERSONAL_KEY}`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ query: { kind: 'HogQLQuery', query: 'select event, count() from events group by event' } });
    await run.close();
  });

  it('hogqlQuery waits out a short Retry-After and passes a long one on with the throttled detail', async () => {
    queryAnswers = [() => HttpResponse.json(throttled, { status: 429, headers: { 'retry-after': '2' } })];
    const run = runner();
    expect(await run.run('hogqlQuery', { query: 'select 1' })).toMatchObject({ ok: true });
    expect(run.sleeps).toEqual([2000]);
    queryAnswers = [() => HttpResponse.json(throttled, { status: 429, headers: { 'retry-after': '56' } })];
    expect(await run.run('hogqlQuery', { query: 'select 1' })).toMatchObject({
      ok: false,
      status: 429,
      retryAfterMs: 56_000,
      message: 'PostHog answered 429 throttled: Request was throttled. Expected available in 56 seconds.',
      providerBody: throttled,
    });
    await run.close();
  });

  it('listInsights follows the `next` links through the shared paginator', async () => {
    const run = runner();
    const outcome = await run.run('listInsights', { limit: 2, followPages: true });
    expect(outcome.ok && (outcome.output as { results: Array<{ id: number }> }).results.map((i) => i.id)).toEqual([1, 2, 3]);
    expect(outcome).toMatchObject({ ok: true, output: { next: null } });
    expect(api.requests.map(line)).toEqual([
      `GET ${APP}/api/projects/4242/insights/?limit=2 Bearer ${PERSONAL_KEY}`,
      `GET ${APP}/api/projects/4242/insights/?limit=2&offset=2 Bearer ${PERSONAL_KEY}`,
    ]);
    await run.close();
  });

  it('uses one host for both kinds of call when self-hosted', async () => {
    const run = runner(undefined, { region: 'self-hosted', host: `${SELF}/some/page`, projectId: 4242 });
    await run.run('captureEvent', { event: 'x', distinctId: 'u' });
    await run.run('hogqlQuery', { query: 'select 1' });
    expect(api.requests.map(line)).toEqual([`POST ${SELF}/i/v0/e/ -`, `POST ${SELF}/api/projects/4242/query/ Bearer ${PERSONAL_KEY}`]);
    await run.close();
  });

  it('names what is missing instead of calling: a project key to capture, a project id to query', async () => {
    expect(await runner({ personalApiKey: PERSONAL_KEY }).run('captureEvent', { event: 'x', distinctId: 'u' })).toMatchObject({ ok: false, message: 'This PostHog integration has no projectApiKey: add projectApiKey to its credential.' });
    expect(await runner(undefined, { region: 'eu' }).run('hogqlQuery', { query: 'select 1' })).toMatchObject({ ok: false, message: 'This PostHog integration has no projectId: set projectId on the integration.' });
    expect(api.requests).toHaveLength(0);
  });
});
