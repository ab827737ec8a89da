// Contract tests for the Make connector against fixtures shaped like developers.make.com's examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { credentialSchema } from '../../sdk/credentials.ts';
import make from './index.ts';

const TOKEN = '4a7b9c2d-1e3f-4a5b-8c6d-7e8f9a0b1c2d';
const HOOK = 'https://hook.eu1.make.com/x8k2p5q9w3r7t1y6u4i0o2a5s8d3f6g9';
const API = 'https://eu1.make.com/api/v2';
const scenario = (id: number, name: string, isActive: boolean) => ({ id, name, teamId: 215, isActive, isPaused: false, hookId: null, scheduling: { type: 'on-demand' }, usedPackages: ['json'] });
const all = [scenario(925, 'Sync leads', true), scenario(926, 'Weekly report', false), scenario(927, 'Slack alerts', true)];
let next: (() => Response) | undefined;

const api = provider([
  http.get(`${API}/users/me`, ({ request }) =>
    request.headers.get('authorization') === `Token ${TOKEN}`
      ? HttpResponse.json({ authUser: { id: 985, name: 'Ada Lovelace', email: 'ada@example.org', language: 'en', timezoneId: 113, localeId: 1, countryId: 1 } })
      : HttpResponse.json({ message: 'Invalid token.', code: 'IM001' }, { status: 401 }),
  ),
  http.get(`${API}/scenarios`, ({ request }) => {
    if (next) return next();
    const query = new URL(request.url).searchParams;
    const offset = Number(query.get('pg[offset]') ?? 0);
    const limit = Number(query.get('pg[limit]') ?? 10000);
    return HttpResponse.json({ scenarios: all.slice(offset, offset + limit), pg: { sortBy: 'proprietal', limit, sortDir: 'desc', offset } });
  }),
  http.post(`${API}/scenarios/:id/run`, async ({ request, params }) => {
    if (params.id === '404') return HttpResponse.json({ message: 'Scenario not found.', code: 'SC404', detail: 'Scenario 404 does not exist.' }, { status: 404 });
    const body = (await request.clone().json()) as { responsive: boolean };
    return HttpResponse.json(body.responsive ? { executionId: '8c0f7c3e2c5a4b0d9a1f', status: 'success', outputs: { total: 3 } } : { executionId: '8c0f7c3e2c5a4b0d9a1f' });
  }),
  http.post(HOOK, () => next?.() ?? new HttpResponse('Accepted', { headers: { 'content-type': 'text/plain' } })),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  next = undefined;
});
afterAll(() => api.disable());

const runner = (credentials: Record<string, string> = { apiToken: TOKEN, webhookUrl: HOOK }, config: unknown = { zone: 'eu1.make.com', teamId: 215 }) =>
  connectorRunner(make, { credentials, config });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') ?? '-'}`;

describe('Make connector', () => {
  it('stores only hook.<zone>.make.com webhook URLs', () => {
    const schema = credentialSchema(make.auth);
    expect(schema.safeParse({ apiToken: TOKEN, webhookUrl: HOOK }).success).toBe(true);
    expect(schema.safeParse({ webhookUrl: 'https://hook.us2.make.celonis.com/abc123' }).success).toBe(true);
    for (const webhookUrl of ['http://hook.eu1.make.com/abc', 'https://hook.eu1.make.com.evil.example/abc', 'https://example.com/hook.eu1.make.com/abc']) {
      expect(schema.safeParse({ webhookUrl }).success, webhookUrl).toBe(false);
    }
  });

  it('checks the token with GET /users/me on the chosen zone, sending Authorization: Token', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: '985', name: 'Ada Lovelace', details: { email: 'ada@example.org', zone: 'eu1.make.com' } } });
    expect(api.requests.map(line)).toEqual([`GET ${API}/users/me Token ${TOKEN}`]);
    await run.close();
  });

  it('reports a refused token with Make’s message and code', async () => {
    const run = runner({ apiToken: 'wrong' });
    expect(await run.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.apiToken', message: 'The credential was rejected by Make: 401 Invalid token. (IM001)' });
    await run.close();
  });

  it('with only a webhook URL, checks the address without calling it', async () => {
    const run = runner({ webhookUrl: HOOK });
    expect(await run.check()).toMatchObject({ ok: true, account: { name: 'Make custom webhook on hook.eu1.make.com' } });
    expect(api.requests).toHaveLength(0);
    expect(await runner({}).check()).toMatchObject({ ok: false, reason: 'config', field: 'credentials.apiToken' });
    await run.close();
  });

  it('listScenarios pages with pg[offset] / pg[limit] through the shared paginator for the configured team', async () => {
    const run = runner();
    const outcome = await run.run('listScenarios', { limit: 2, followPages: true });
    expect(outcome).toEqual({ ok: true, output: { scenarios: all, nextOffset: null } });
    expect(api.requests.map(line)).toEqual([
      `GET ${API}/scenarios?teamId=215&pg%5Boffset%5D=0&pg%5Blimit%5D=2 Token ${TOKEN}`,
      `GET ${API}/scenarios?teamId=215&pg%5Boffset%5D=2&pg%5Blimit%5D=2 Token ${TOKEN}`,
    ]);
    api.reset();
    expect(await run.run('listScenarios', { organizationId: 7, isActive: true, limit: 2 })).toEqual({ ok: true, output: { scenarios: all.slice(0, 2), nextOffset: 2 } });
    expect(api.requests[0]!.url.search).toBe('?organizationId=7&isActive=true&pg%5Boffset%5D=0&pg%5Blimit%5D=2');
    await run.close();
  });

  it('listScenarios asks for a team when neither the call nor the integration names one', async () => {
    const run = runner({ apiToken: TOKEN }, { zone: 'us1.make.com' });
    expect(await run.run('listScenarios', {})).toMatchObject({ ok: false, message: expect.stringContaining('give teamId or organizationId') });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('passes a 429 on with Make’s documented message, after retrying the read', async () => {
    next = () => HttpResponse.json({ message: 'Requests limit for organization exceeded, please try again later.' }, { status: 429 });
    const run = runner();
    expect(await run.run('listScenarios', {})).toMatchObject({ ok: false, status: 429, message: 'Make answered 429 Requests limit for organization exceeded, please try again later.' });
    expect(api.requests).toHaveLength(3);
    await run.close();
  });

  it('runScenario POSTs the inputs once and returns the execution', async () => {
    const run = runner();
    expect(await run.run('runScenario', { scenarioId: 925, data: { email: 'ada@example.org' }, responsive: true })).toEqual({
      ok: true,
      output: { executionId: '8c0f7c3e2c5a4b0d9a1f', status: 'success', outputs: { total: 3 } },
    });
    expect(api.requests.map(line)).toEqual([`POST ${API}/scenarios/925/run Token ${TOKEN}`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ data: { email: 'ada@example.org' }, responsive: true });
    api.reset();
    expect(await run.run('runScenario', { scenarioId: 404 })).toMatchObject({ ok: false, status: 404, message: 'Make answered 404 Scenario not found. Scenario 404 does not exist. (SC404)' });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ responsive: false });
    await run.close();
  });

  it('triggerWebhook POSTs the payload to the hook without the API token and returns "Accepted"', async () => {
    const run = runner();
    expect(await run.run('triggerWebhook', { payload: { lead: { email: 'ada@example.org' } } })).toEqual({ ok: true, output: { status: 200, body: 'Accepted' } });
    expect(api.requests.map(line)).toEqual([`POST ${HOOK} -`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ lead: { email: 'ada@example.org' } });

    next = () => HttpResponse.json({ ok: true, id: 17 });
    expect(await run.run('triggerWebhook', { payload: {} })).toEqual({ ok: true, output: { status: 200, body: { ok: true, id: 17 } } });
    next = () => new HttpResponse('Too Many Requests', { status: 429 });
    api.reset();
    expect(await run.run('triggerWebhook', { payload: {} })).toMatchObject({ ok: false, status: 429 });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('triggerWebhook names the missing credential instead of calling anything', async () => {
    const run = runner({ apiToken: TOKEN });
    expect(await run.run('triggerWebhook', { payload: {} })).toMatchObject({ ok: false, message: expect.stringContaining('add webhookUrl to its credential') });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });
});
