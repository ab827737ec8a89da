// Contract tests for the Amplitude connector against fixtures shaped like amplitude.com/docs/apis examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import amplitude from './index.ts';

const API_KEY = '8f3c2a7b1e9d4c5a6b0f1e2d3c4b5a69';
const SECRET = 'e1d2c3b4a5968778695a4b3c2d1e0f0a';
const BASIC = `Basic ${Buffer.from(`${API_KEY}:${SECRET}`).toString('base64')}`;
let ingestAnswers: Array<() => Response> = [];

const throttled = {
  code: 429,
  error: 'Too many requests for some devices and users',
  eps_threshold: 30,
  throttled_devices: { 'C8F9E604-F01A-4BD9-95C6-8E5357DF265D': 31 },
  throttled_users: { 'user-20391': 31 },
  throttled_events: [0],
};
const routes = (ingest: string, dashboard: string) => [
  http.post(`${ingest}/2/httpapi`, async ({ request }) => {
    const queued = ingestAnswers.shift();
    if (queued) return queued();
    const body = (await request.clone().json()) as { api_key: string; events: unknown[] };
    if (body.api_key !== API_KEY) return HttpResponse.json({ code: 400, error: `Invalid API key: ${body.api_key}` }, { status: 400 });
    return HttpResponse.json({ code: 200, events_ingested: body.events.length, payload_size_bytes: 150, server_upload_time: 1793817972000 });
  }),
  http.get(`${dashboard}/api/2/events/list`, ({ request }) =>
    request.headers.get('authorization') === BASIC
      ? HttpResponse.json({ data: [{ name: 'Order Completed', totals: 87, value: 'Order Completed', non_active: false, hidden: false, deleted: false }, { name: 'Page Viewed', totals: 1203 }] })
      : new HttpResponse('Invalid Api-Key/Secret-Key', { status: 401, headers: { 'content-type': 'text/plain' } }),
  ),
  http.get(`${dashboard}/api/2/events/segmentation`, () =>
    HttpResponse.json({ data: { series: [[12, 15, 9]], seriesLabels: [0], seriesCollapsed: [[{ setId: '', value: 36 }]], xValues: ['2026-03-01', '2026-03-02', '2026-03-03'] } }),
  ),
];
const api = provider([...routes('https://api2.amplitude.com', 'https://amplitude.com'), ...routes('https://api.eu.amplitude.com', 'https://analytics.eu.amplitude.com')]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  ingestAnswers = [];
});
afterAll(() => api.disable());

const runner = (credentials = { apiKey: API_KEY, secretKey: SECRET }, config: unknown = {}) => connectorRunner(amplitude, { credentials, config });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} ${r.headers.get('authorization') ?? '-'}`;

describe('Amplitude connector', () => {
  it('checks the key pair against the Dashboard REST API with Basic auth, naming no secret', async () => {
    const run = runner();
    const result = await run.check();
    expect(result).toEqual({ ok: true, account: { id: expect.stringMatching(/^amplitude-[0-9a-f]{12}$/), name: 'Amplitude project (standard)', details: { eventTypes: 2, region: 'standard' } } });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    expect(api.requests.map(line)).toEqual([`GET https://amplitude.com/api/2/events/list ${BASIC}`]);
    await run.close();
  });

  it('reports a refused key pair with Amplitude’s words', async () => {
    const run = runner({ apiKey: API_KEY, secretKey: 'wrong' });
    expect(await run.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.secretKey', message: 'The credential was rejected by Amplitude: 401 Invalid Api-Key/Secret-Key' });
    await run.close();
  });

  it('sendEvents POSTs to /2/httpapi with the key in the body, an insert_id on every event, and no Authorization header', async () => {
    const run = runner();
    const events = [
      { event_type: 'Order Completed', user_id: 'user-20391', time: 1793817970000, insert_id: 'order-88231-completed', event_properties: { total: 99.5 } },
      { event_type: 'Receipt Emailed', device_id: 'C8F9E604-F01A-4BD9-95C6-8E5357DF265D' },
    ];
    expect(await run.run('sendEvents', { events })).toEqual({ ok: true, output: { code: 200, events_ingested: 2, payload_size_bytes: 150, server_upload_time: 1793817972000 } });
    expect(api.requests.map(line)).toEqual(['POST https://api2.amplitude.com/2/httpapi -']);
    const body = JSON.parse(api.requests[0]!.body) as { api_key: string; events: Array<Record<string, unknown>> };
    expect(body.api_key).toBe(API_KEY);
    expect(body.events[0]).toEqual(events[0]);
    expect(body.events[1]).toEqual({ ...events[1], insert_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await run.close();
  });

  it('retries a throttled upload with the same insert_ids, and passes a persistent 429 on', async () => {
    ingestAnswers = [() => HttpResponse.json(throttled, { status: 429 })];
    const run = runner();
    expect(await run.run('sendEvents', { events: [{ event_type: 'Page Viewed', user_id: 'user-20391' }] })).toMatchObject({ ok: true, output: { events_ingested: 1 } });
    expect(api.requests).toHaveLength(2);
    expect(api.requests[0]!.body).toBe(api.requests[1]!.body);

    api.reset();
    ingestAnswers = [1, 2, 3].map(() => () => HttpResponse.json(throttled, { status: 429 }));
    expect(await run.run('sendEvents', { events: [{ event_type: 'Page Viewed', user_id: 'user-20391' }] })).toMatchObject({
      ok: false,
      status: 429,
      message: 'Amplitude answered 429 Too many requests for some devices and users',
      providerBody: throttled,
    });
    await run.close();
  });

  it('scrubs the API key out of Amplitude’s "Invalid API key" answer', async () => {
    const run = runner({ apiKey: 'a1b2c3d4e5f6a7b8c9d0', secretKey: SECRET });
    const outcome = await run.run('sendEvents', { events: [{ event_type: 'x', user_id: 'user-1' }] });
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(JSON.stringify(outcome)).not.toContain('a1b2c3d4e5f6a7b8c9d0');
    await run.close();
  });

  it('refuses an event without user_id or device_id before calling', async () => {
    const run = runner();
    expect(await run.run('sendEvents', { events: [{ event_type: 'x' }] })).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['events', 0, 'user_id'], message: 'each event needs user_id or device_id' }] });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('eventSegmentation sends the event as JSON in e, on the EU host for an EU project', async () => {
    const run = runner(undefined, { region: 'eu' });
    const outcome = await run.run('eventSegmentation', { event: { event_type: 'Order Completed' }, start: '2026-03-01', end: '20260303', metric: 'totals' });
    expect(outcome).toMatchObject({ ok: true, output: { data: { series: [[12, 15, 9]], xValues: ['2026-03-01', '2026-03-02', '2026-03-03'] } } });
    expect(api.requests.map(line)).toEqual([
      `GET https://analytics.eu.amplitude.com/api/2/events/segmentation?e=%7B%22event_type%22%3A%22Order+Completed%22%7D&start=20260301&end=20260303&m=totals&i=1 ${BASIC}`,
    ]);
    api.reset();
    await run.run('sendEvents', { events: [{ event_type: 'x', user_id: 'user-1' }] });
    expect(api.requests.map(line)).toEqual(['POST https://api.eu.amplitude.com/2/httpapi -']);
    await run.close();
  });

  it('listEventTypes returns the event types', async () => {
    const run = runner();
    expect(await run.run('listEventTypes', {})).toMatchObject({ ok: true, output: { data: [{ name: 'Order Completed', totals: 87 }, { name: 'Page Viewed', totals: 1203 }] } });
    await run.close();
  });
});
