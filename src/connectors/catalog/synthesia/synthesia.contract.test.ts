// Contract test for the Synthesia connector: the key as-is in Authorization, the exact paths, query and JSON
// bodies, offset pagination of the video list, Synthesia's `{ error, context }` bodies and its 429 with
// RateLimit-Reset.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import synthesia from './index.ts';

const KEY = 'c2a1f0d38e7b4a5f9e6d1c0b2a3f4e5d';
const BASE = 'https://api.synthesia.io';
const VIDEO_ID = '5fd6a8bd-4c1b-4b49-a7a8-8f0c2b4fe2d1';

// ---- fixtures, shaped like the OpenAPI document's VideoResponse ----
const video = (id: string, avatar: string, createdAt: number, status = 'complete') => ({
  id,
  title: `Onboarding ${id.slice(0, 4)}`,
  description: '',
  visibility: 'private',
  aspectRatio: '16:9',
  test: true,
  status,
  callbackId: 'customer-42',
  createdAt,
  lastUpdatedAt: createdAt + 120,
  input: [{ avatar, background: 'off_white', scriptText: 'Welcome aboard.', avatarSettings: { horizontalAlign: 'center', scale: 1, style: 'rectangular', voice: null, seamless: false } }],
  ...(status === 'complete' ? { download: `https://synthesia-ttv-data.s3.amazonaws.com/video_data/${id}/transfers/rendered_video.mp4?X-Amz-Expires=600`, duration: '0:00:07.680000' } : {}),
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// 100 videos on the first page (the page size), 3 on the second: 80 with anna, 20 with a custom avatar, 3 with james.
const allVideos = [
  ...Array.from({ length: 80 }, (_, i) => video(uuid(i), 'anna_costume1_cameraA', 1_700_000_000 + i)),
  ...Array.from({ length: 20 }, (_, i) => video(uuid(100 + i), '3f7c1d2e-custom-avatar', 1_700_100_000 + i)),
  ...Array.from({ length: 3 }, (_, i) => video(uuid(200 + i), 'james_costume1_cameraA', 1_700_200_000 + i)),
];
const wrongKey = { error: 'Forbidden', context: 'Wrong API key' };
const notFound = { error: 'Not Found', context: 'Video ID was not found.' };
const badRequest = { error: 'Bad Request', context: "input.0.avatar: 'nobody' is not a valid avatar" };
const tooMany = { error: 'Too Many Requests', context: 'Rate limit exceeded' };

const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response) {
  if (request.headers.get('authorization') !== KEY) return HttpResponse.json(wrongKey, { status: 403 });
  return queued.get(route)?.shift()?.() ?? normal();
}

const api = provider([
  http.get(`${BASE}/v2/videos`, ({ request }) =>
    answer('list', request, () => {
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      // Synthesia hands back a nextOffset on every page, the last one included.
      return HttpResponse.json({ videos: allVideos.slice(offset, offset + limit), nextOffset: offset + limit });
    }),
  ),
  http.post(`${BASE}/v2/videos`, ({ request }) =>
    answer('create', request, () => HttpResponse.json({ ...video(VIDEO_ID, 'anna_costume1_cameraA', 1_760_000_000, 'in_progress') }, { status: 201 })),
  ),
  http.get(`${BASE}/v2/videos/:id`, ({ request, params }) =>
    answer('get', request, () =>
      params.id === VIDEO_ID ? HttpResponse.json(video(VIDEO_ID, 'anna_costume1_cameraA', 1_760_000_000)) : HttpResponse.json(notFound, { status: 404 }),
    ),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

const runnerWith = (apiKey = KEY) => connectorRunner(synthesia, { credentials: { apiKey } });

describe('Synthesia connector: connection check', () => {
  it('lists one video with the key as-is in Authorization (no identity endpoint) and names the key', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'key-4e5d', name: 'Synthesia key ••••4e5d', details: { hasVideos: true } } });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.method).toBe('GET');
    expect(api.requests[0]?.url.href).toBe('https://api.synthesia.io/v2/videos?limit=1');
    expect(api.requests[0]?.headers.get('authorization')).toBe(KEY);
    await runner.close();
  });

  it('rejects a wrong key with Synthesia’s error and context', async () => {
    const runner = runnerWith('0000wrong0000');
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by Synthesia: 403 Forbidden: Wrong API key',
    });
    await runner.close();
  });

  it('reports a rate-limited check as unavailable, with the wait RateLimit-Reset asked for', async () => {
    queue('list', ...Array.from({ length: 3 }, () => () => HttpResponse.json(tooMany, { status: 429, headers: { 'ratelimit-limit': '60', 'ratelimit-reset': '20' } })));
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'unavailable',
      message: 'Synthesia answered 429 Too Many Requests: Rate limit exceeded Try again in 20 s.',
    });
    // GETs are retried after the reset Synthesia names (in seconds), on the fake clock.
    expect(runner.sleeps).toEqual([20_000, 20_000]);
    await runner.close();
  });
});

describe('Synthesia connector: actions', () => {
  it('createVideo POSTs the scenes, test mode and settings exactly as documented and returns the new video', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createVideo', {
      title: 'Welcome',
      callbackId: 'customer-42',
      aspectRatio: '9:16',
      scenes: [
        { scriptText: 'Welcome aboard.', avatar: 'anna_costume1_cameraA', avatarSettings: { horizontalAlign: 'left', style: 'circular', backgroundColor: '#F2F7FF' } },
        { scriptText: 'See you soon.', avatar: '3f7c1d2e-custom-avatar', background: 'green_screen' },
      ],
    });
    expect(outcome).toEqual({
      ok: true,
      output: {
        id: VIDEO_ID,
        title: 'Onboarding 5fd6',
        status: 'in_progress',
        visibility: 'private',
        downloadUrl: null,
        duration: null,
        callbackId: 'customer-42',
        createdAt: 1_760_000_000,
        lastUpdatedAt: 1_760_000_120,
      },
    });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe('https://api.synthesia.io/v2/videos');
    expect(sent.headers.get('authorization')).toBe(KEY);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      test: true,
      visibility: 'private',
      aspectRatio: '9:16',
      title: 'Welcome',
      callbackId: 'customer-42',
      input: [
        {
          scriptText: 'Welcome aboard.',
          avatar: 'anna_costume1_cameraA',
          background: 'off_white',
          avatarSettings: { horizontalAlign: 'left', style: 'circular', backgroundColor: '#F2F7FF' },
        },
        { scriptText: 'See you soon.', avatar: '3f7c1d2e-custom-avatar', background: 'green_screen' },
      ],
    });
    await runner.close();
  });

  it('createVideo relays Synthesia’s 400 in its own words and is not retried', async () => {
    queue('create', () => HttpResponse.json(badRequest, { status: 400 }));
    const runner = runnerWith();
    expect(await runner.run('createVideo', { scenes: [{ scriptText: 'Hi', avatar: 'nobody' }] })).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 400,
      message: "Synthesia answered 400 Bad Request: input.0.avatar: 'nobody' is not a valid avatar",
      providerBody: badRequest,
    });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('createVideo is not retried on a 429 either (a second render would spend quota twice)', async () => {
    queue('create', () => HttpResponse.json(tooMany, { status: 429, headers: { 'ratelimit-reset': '30' } }));
    const runner = runnerWith();
    expect(await runner.run('createVideo', { scenes: [{ scriptText: 'Hi', avatar: 'anna_costume1_cameraA' }] })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 30_000,
    });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('getVideo GETs /v2/videos/{id} and returns the download link and duration once complete', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getVideo', { videoId: VIDEO_ID });
    expect(outcome).toMatchObject({
      ok: true,
      output: { id: VIDEO_ID, status: 'complete', duration: '0:00:07.680000', downloadUrl: expect.stringContaining(`/video_data/${VIDEO_ID}/`) },
    });
    expect(api.requests[0]?.url.href).toBe(`https://api.synthesia.io/v2/videos/${VIDEO_ID}`);
    await runner.close();
  });

  it('getVideo relays an unknown video as Synthesia’s 404', async () => {
    const runner = runnerWith();
    expect(await runner.run('getVideo', { videoId: uuid(999) })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'Synthesia answered 404 Not Found: Video ID was not found.',
    });
    await runner.close();
  });

  it('getVideo refuses an id that is not a UUID before calling Synthesia', async () => {
    const runner = runnerWith();
    expect(await runner.run('getVideo', { videoId: '../templates' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('createVideo', { scenes: [] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });

  it('listVideos returns one page and the offset to continue from, and null after a short page', async () => {
    const runner = runnerWith();
    const first = await runner.run('listVideos', { limit: 2 });
    expect(first).toMatchObject({ ok: true, output: { nextOffset: 2 } });
    expect(first.ok && (first.output as { videos: Array<{ id: string }> }).videos.map((v) => v.id)).toEqual([uuid(0), uuid(1)]);
    const last = await runner.run('listVideos', { limit: 100, offset: 100 });
    expect(last).toMatchObject({ ok: true, output: { nextOffset: null } });
    expect(api.requests.map((r) => r.url.search)).toEqual(['?limit=2&offset=0', '?limit=100&offset=100']);
    await runner.close();
  });

  it('listAvatars walks every page of videos with the shared paginator and counts each avatar', async () => {
    const runner = runnerWith();
    expect(await runner.run('listAvatars', {})).toEqual({
      ok: true,
      output: {
        avatars: [
          { avatarId: 'anna_costume1_cameraA', videoCount: 80, lastUsedAt: 1_700_000_079 },
          { avatarId: '3f7c1d2e-custom-avatar', videoCount: 20, lastUsedAt: 1_700_100_019 },
          { avatarId: 'james_costume1_cameraA', videoCount: 3, lastUsedAt: 1_700_200_002 },
        ],
        videosScanned: 103,
        complete: true,
        stockAvatarsUrl: 'https://docs.synthesia.io/reference/avatars',
      },
    });
    expect(api.requests.map((r) => r.url.search)).toEqual(['?offset=0&limit=100', '?offset=100&limit=100']);
    await runner.close();
  });

  it('listAvatars stops at maxVideos and says the scan is incomplete', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('listAvatars', { maxVideos: 50 });
    expect(outcome).toMatchObject({ ok: true, output: { videosScanned: 50, complete: false, avatars: [{ avatarId: 'anna_costume1_cameraA', videoCount: 50 }] } });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });
});
