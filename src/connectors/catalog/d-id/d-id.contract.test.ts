// Contract test for the D-ID connector: `Authorization: Basic <key as shown>`, the exact talk and clip
// bodies, status polling, credits as the connection check, and D-ID's JsonError bodies (kind, description,
// details), the gateway's `{ message }` and a 429 with Retry-After.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import did from './index.ts';

const KEY = 'YWRhQGV4YW1wbGUuY29t:q8Xr2LmZp4Tn7Wv1Ys9Kd';
const BASE = 'https://api.d-id.com';
const PORTRAIT = 'https://create-images-results.d-id.com/DefaultPresenters/Noelle_f/image.png';

const credits = {
  credits: [
    {
      owner_id: 'google-oauth2|104817234567890123456',
      created_at: '2026-01-02T10:00:00.000Z',
      modified_at: '2026-01-20T08:00:00.000Z',
      remaining: 38.5,
      total: 60,
      expire_at: '2026-02-02T10:00:00.000Z',
      valid_from: '2026-01-02T10:00:00.000Z',
      product_id: 'prod_Lite',
      plan_group: 'lite',
      product_billing_interval: 'month',
    },
  ],
  remaining: 38.5,
  total: 60,
};
const createdTalk = { id: 'tlk_AbCs-xcz', object: 'talk', created_at: '2026-01-20T09:00:00.000Z', created_by: 'google-oauth2|104817234567890123456', status: 'created' };
const doneTalk = {
  id: 'tlk_AbCs-xcz',
  user_id: 'google-oauth2|104817234567890123456',
  source_url: PORTRAIT,
  created_at: '2026-01-20T09:00:00.000Z',
  started_at: '2026-01-20T09:00:02.000Z',
  modified_at: '2026-01-20T09:00:31.000Z',
  status: 'done',
  result_url: 'https://d-id-talks-prod.s3.us-west-2.amazonaws.com/google-oauth2%7C1048/tlk_AbCs-xcz/noelle.mp4?AWSAccessKeyId=AKIA&Expires=1737450031',
  duration: 4.2,
  config: { stitch: false, result_format: 'mp4' },
};
const createdClip = { id: 'clp_x8Yh3kQ2', object: 'clip', created_at: '2026-01-20T09:05:00.000Z', status: 'created' };
const failedClip = {
  id: 'clp_f41led',
  owner_id: 'google-oauth2|104817234567890123456',
  created_at: '2026-01-20T09:05:00.000Z',
  modified_at: '2026-01-20T09:05:09.000Z',
  status: 'error',
  presenter_id: 'amy-jcwCkr1grs',
  error: { kind: 'AudioModerationError', description: 'The audio did not pass moderation' },
};
const unauthenticated = { kind: 'AuthorizationError', description: 'user unauthenticated' };
const gatewayRefusal = { message: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'u5TrS9HW='." };
const validation = { kind: 'ValidationError', description: 'validation failed', details: { 'body.script': { message: "'script' is required" } } };
const noCredits = { kind: 'InsufficientCreditsError', description: 'not enough credits' };
const notFound = { kind: 'NotFoundError', description: 'not found' };
const tooMany = { kind: 'TooManyRequestsError', description: 'too many requests' };

const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response) {
  if (request.headers.get('authorization') !== `Basic ${KEY}`) return HttpResponse.json(unauthenticated, { status: 401 });
  return queued.get(route)?.shift()?.() ?? normal();
}

const api = provider([
  http.get(`${BASE}/credits`, ({ request }) => answer('credits', request, () => HttpResponse.json(credits))),
  http.post(`${BASE}/talks`, ({ request }) => answer('createTalk', request, () => HttpResponse.json(createdTalk, { status: 201 }))),
  http.get(`${BASE}/talks/:id`, ({ request, params }) =>
    answer('getTalk', request, () => (params.id === 'tlk_AbCs-xcz' ? HttpResponse.json(doneTalk) : HttpResponse.json(notFound, { status: 404 }))),
  ),
  http.post(`${BASE}/clips`, ({ request }) => answer('createClip', request, () => HttpResponse.json(createdClip, { status: 201 }))),
  http.get(`${BASE}/clips/:id`, ({ request }) => answer('getClip', request, () => HttpResponse.json(failedClip))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

const runnerWith = (apiKey = KEY) => connectorRunner(did, { credentials: { apiKey } });

describe('D-ID connector: connection check', () => {
  it('reads GET /credits with Basic and the key as shown, and names the owner', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: true,
      account: { id: 'google-oauth2|104817234567890123456', name: 'D-ID account google-oauth2|104817234567890123456', details: { creditsRemaining: 38.5, creditsTotal: 60 } },
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.method).toBe('GET');
    expect(api.requests[0]?.url.href).toBe('https://api.d-id.com/credits');
    expect(api.requests[0]?.headers.get('authorization')).toBe(`Basic ${KEY}`);
    await runner.close();
  });

  it('rejects a wrong key with D-ID’s kind and description', async () => {
    const runner = runnerWith('YWRh:wrong');
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by D-ID: 401 AuthorizationError: user unauthenticated',
    });
    await runner.close();
  });

  it('words the API gateway’s refusal of a malformed header as a refused credential too', async () => {
    queue('credits', () => HttpResponse.json(gatewayRefusal, { status: 403 }));
    const runner = runnerWith();
    expect(await runner.check()).toMatchObject({ ok: false, reason: 'auth', message: expect.stringContaining('403 Invalid key=value pair') });
    await runner.close();
  });
});

describe('D-ID connector: actions', () => {
  it('createTalk POSTs the portrait, a text script with its Microsoft voice, and the config; returns the id to poll', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createTalk', {
      sourceUrl: PORTRAIT,
      script: { type: 'text', input: 'Hello! This is my first talking avatar video.', voiceId: 'en-GB-SoniaNeural' },
      stitch: true,
      webhook: 'https://hooks.example.com/d-id',
      name: 'welcome',
    });
    expect(outcome).toEqual({ ok: true, output: { id: 'tlk_AbCs-xcz', status: 'created', createdAt: '2026-01-20T09:00:00.000Z' } });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe('https://api.d-id.com/talks');
    expect(sent.headers.get('authorization')).toBe(`Basic ${KEY}`);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      source_url: PORTRAIT,
      script: { type: 'text', input: 'Hello! This is my first talking avatar video.', provider: { type: 'microsoft', voice_id: 'en-GB-SoniaNeural' } },
      config: { stitch: true },
      webhook: 'https://hooks.example.com/d-id',
      name: 'welcome',
    });
    await runner.close();
  });

  it('createTalk sends an audio script as audio_url', async () => {
    const runner = runnerWith();
    await runner.run('createTalk', { sourceUrl: PORTRAIT, script: { type: 'audio', audioUrl: 'https://cdn.example.com/hello.mp3' } });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ source_url: PORTRAIT, script: { type: 'audio', audio_url: 'https://cdn.example.com/hello.mp3' } });
    await runner.close();
  });

  it('createTalk relays a validation error field by field, and an empty balance as 402', async () => {
    queue('createTalk', () => HttpResponse.json(validation, { status: 400 }), () => HttpResponse.json(noCredits, { status: 402 }));
    const runner = runnerWith();
    const input = { sourceUrl: PORTRAIT, script: { type: 'text', input: 'Hi' } };
    expect(await runner.run('createTalk', input)).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 400,
      message: "D-ID answered 400 ValidationError: validation failed (body.script: 'script' is required)",
      providerBody: validation,
    });
    expect(await runner.run('createTalk', input)).toMatchObject({ ok: false, status: 402, message: 'D-ID answered 402 InsufficientCreditsError: not enough credits' });
    // Each POST went out once: a failed render request is not repeated.
    expect(api.requests).toHaveLength(2);
    await runner.close();
  });

  it('createTalk refuses a portrait that is not an HTTPS image before calling D-ID', async () => {
    const runner = runnerWith();
    expect(await runner.run('createTalk', { sourceUrl: 'http://example.com/a.jpg', script: { type: 'text', input: 'Hi' } })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('createTalk', { sourceUrl: 'https://example.com/a.gif', script: { type: 'text', input: 'Hi' } })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('getTalk', { talkId: '../credits' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });

  it('getTalk returns the video URL and timings once done', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTalk', { talkId: 'tlk_AbCs-xcz' })).toEqual({
      ok: true,
      output: {
        id: 'tlk_AbCs-xcz',
        status: 'done',
        resultUrl: doneTalk.result_url,
        createdAt: '2026-01-20T09:00:00.000Z',
        startedAt: '2026-01-20T09:00:02.000Z',
        finishedAt: '2026-01-20T09:00:31.000Z',
        durationSeconds: 4.2,
        error: null,
      },
    });
    expect(api.requests[0]?.url.href).toBe('https://api.d-id.com/talks/tlk_AbCs-xcz');
    await runner.close();
  });

  it('getTalk relays an unknown talk as D-ID’s NotFoundError', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTalk', { talkId: 'tlk_missing' })).toMatchObject({ ok: false, status: 404, message: 'D-ID answered 404 NotFoundError: not found' });
    await runner.close();
  });

  it('getTalk retries a 429 after its Retry-After (fake clock) and then answers', async () => {
    queue('getTalk', () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '3' } }));
    const runner = runnerWith();
    expect(await runner.run('getTalk', { talkId: 'tlk_AbCs-xcz' })).toMatchObject({ ok: true, output: { status: 'done' } });
    expect(runner.sleeps).toEqual([3000]);
    expect(api.requests).toHaveLength(2);
    await runner.close();
  });

  it('createClip POSTs the presenter, driver, script and background colour', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createClip', {
      presenterId: 'amy-jcwCkr1grs',
      driverId: 'e3nbserss8',
      script: { type: 'text', input: 'Your order has shipped.' },
      backgroundColor: '#47ffff',
      resultFormat: 'webm',
    });
    expect(outcome).toEqual({ ok: true, output: { id: 'clp_x8Yh3kQ2', status: 'created', createdAt: '2026-01-20T09:05:00.000Z' } });
    expect(api.requests[0]?.url.href).toBe('https://api.d-id.com/clips');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      presenter_id: 'amy-jcwCkr1grs',
      driver_id: 'e3nbserss8',
      script: { type: 'text', input: 'Your order has shipped.', provider: { type: 'microsoft', voice_id: 'en-US-JennyNeural' } },
      background: { color: '#47ffff' },
      config: { result_format: 'webm' },
    });
    await runner.close();
  });

  it('getClip reports a failed render with D-ID’s reason', async () => {
    const runner = runnerWith();
    expect(await runner.run('getClip', { clipId: 'clp_f41led' })).toMatchObject({
      ok: true,
      output: { id: 'clp_f41led', status: 'error', resultUrl: null, finishedAt: null, error: 'AudioModerationError: The audio did not pass moderation' },
    });
    expect(api.requests[0]?.url.href).toBe('https://api.d-id.com/clips/clp_f41led');
    await runner.close();
  });

  it('getCredits returns the balance and each grant', async () => {
    const runner = runnerWith();
    expect(await runner.run('getCredits', {})).toEqual({
      ok: true,
      output: { remaining: 38.5, total: 60, grants: [{ remaining: 38.5, total: 60, expiresAt: '2026-02-02T10:00:00.000Z', planGroup: 'lite' }] },
    });
    await runner.close();
  });
});
