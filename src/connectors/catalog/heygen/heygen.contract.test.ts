// Contract tests for the HeyGen connector against fixtures shaped like docs.heygen.com's v1/v2 examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { credentialJsonSchema, toJsonSchema } from '../../sdk/json-schema.ts';
import heygen from './index.ts';

const KEY = 'NmU2YjQ5ZTktaGV5Z2VuLXRlc3Qta2V5';

const avatars = {
  error: null,
  data: {
    avatars: [
      {
        avatar_id: 'Abigail_expressive_2024112501',
        avatar_name: 'Abigail (Upper Body)',
        gender: 'female',
        preview_image_url: 'https://files2.heygen.ai/avatar/v3/1ad5/preview_target.webp',
        preview_video_url: 'https://files2.heygen.ai/avatar/v3/1ad5/preview_video_target.mp4',
        premium: false,
        type: null,
        tags: null,
        default_voice_id: null,
      },
      { avatar_id: 'Angela-inblackskirt-20220820', avatar_name: 'Angela in Black Dress', gender: 'female', preview_image_url: 'https://files2.heygen.ai/a.webp', preview_video_url: 'https://files2.heygen.ai/a.mp4' },
    ],
    talking_photos: [{ talking_photo_id: '9a1c8f2e', talking_photo_name: 'Office portrait', preview_image_url: 'https://files2.heygen.ai/tp.webp' }],
  },
};

const voices = {
  error: null,
  data: {
    voices: [
      { voice_id: '1bd001e7e50f421d891986aad5158bc8', language: 'English', gender: 'female', name: 'Sara - Cheerful', preview_audio: 'https://static.heygen.ai/voice_preview/sara.wav', support_pause: true, emotion_support: false },
      { voice_id: '2d5b0e6cf36f460aa7fc47e3eee4ba54', language: 'German', gender: 'male', name: 'Lukas', preview_audio: 'https://static.heygen.ai/voice_preview/lukas.wav', support_pause: true, emotion_support: true },
    ],
  },
};

const v1Error = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ code, message, data: null }, { status, headers });
const v2Error = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ error: { code, message }, data: null }, { status, headers });
const keyOk = (request: Request) => request.headers.get('x-api-key') === KEY;

const api = provider([
  http.get('https://api.heygen.com/v1/user/me', ({ request }) =>
    keyOk(request)
      ? HttpResponse.json({ code: 100, data: { username: '15ebafd83a8521f0b8d56a14c8a4bd72', email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' }, msg: null, message: null })
      : v1Error(401, 40009, 'Invalid credentials provided'),
  ),
  http.get('https://api.heygen.com/v2/user/remaining_quota', () => HttpResponse.json({ error: null, data: { remaining_quota: 3000, details: { api: 3000 } } })),
  http.get('https://api.heygen.com/v2/avatars', () => HttpResponse.json(avatars)),
  http.get('https://api.heygen.com/v2/voices', () => HttpResponse.json(voices)),
  http.post('https://api.heygen.com/v2/video/generate', async ({ request }) => {
    const body = (await request.clone().json()) as { video_inputs: Array<{ character: { avatar_id: string } }> };
    const avatarId = body.video_inputs[0]?.character.avatar_id;
    if (avatarId === 'busy') return v2Error(429, 400140, 'Concurrent video limit reached', { 'retry-after': '20' });
    if (avatarId === 'nobody') return v2Error(400, 400175, 'Invalid parameter: avatar not found');
    return HttpResponse.json({ error: null, data: { video_id: 'a1b2c3d4e5f6' } });
  }),
  http.get('https://api.heygen.com/v1/video_status.get', ({ request }) => {
    const id = new URL(request.url).searchParams.get('video_id');
    if (id === 'missing') return v1Error(404, 40031, 'Invalid video id');
    if (id === 'broken') {
      return HttpResponse.json({
        code: 100,
        data: {
          callback_id: null,
          caption_url: null,
          duration: null,
          error: { code: 40119, detail: 'Video is too long (> 3600.0s). Please upgrade your plan to generate longer videos', message: 'Video is too long' },
          gif_url: null,
          id,
          status: 'failed',
          thumbnail_url: null,
          video_url: null,
          video_url_caption: null,
        },
        message: 'Success',
      });
    }
    if (id === 'odd') return HttpResponse.json({ code: 400, data: null, message: 'Something unexpected' });
    return HttpResponse.json({
      code: 100,
      data: {
        callback_id: 'order-42',
        caption_url: null,
        created_at: 1733000000,
        duration: 12.4,
        error: null,
        gif_url: 'https://resource2.heygen.ai/video/a1b2c3d4e5f6/preview.gif',
        id,
        status: 'completed',
        thumbnail_url: 'https://files2.heygen.ai/aws_pacific/thumb/a1b2c3d4e5f6.jpeg?Expires=1733600000',
        video_url: 'https://files2.heygen.ai/aws_pacific/video/a1b2c3d4e5f6.mp4?Expires=1733600000',
        video_url_caption: null,
      },
      message: 'Success',
    });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

const runner = (apiKey = KEY) => connectorRunner(heygen, { credentials: { apiKey } });

function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return {
    method: request.method,
    url: `${request.url.origin}${request.url.pathname}`,
    query: Object.fromEntries(request.url.searchParams),
    apiKey: request.headers.get('x-api-key'),
    authorization: request.headers.get('authorization'),
    accept: request.headers.get('accept'),
    contentType: request.headers.get('content-type'),
    body: request.body === '' ? '' : JSON.parse(request.body),
  };
}
const get = (path: string, query: Record<string, string> = {}) => ({
  method: 'GET',
  url: `https://api.heygen.com${path}`,
  query,
  apiKey: KEY,
  authorization: null,
  accept: 'application/json',
  contentType: null,
  body: '',
});

describe('HeyGen connector', () => {
  it('puts the key in X-Api-Key and converts its schemas to JSON Schema', () => {
    expect(credentialJsonSchema(heygen.auth)).toMatchObject({ required: ['apiKey'], properties: { apiKey: { writeOnly: true } } });
    for (const action of heygen.actions) {
      expect(() => toJsonSchema(action.input)).not.toThrow();
      expect(() => toJsonSchema(action.output)).not.toThrow();
    }
  });

  it('checks the connection with /v1/user/me and /v2/user/remaining_quota', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: {
        id: '15ebafd83a8521f0b8d56a14c8a4bd72',
        name: 'Ada Lovelace',
        details: { email: 'ada@example.org', remainingQuota: 3000, remainingCredits: 50 },
      },
    });
    expect(api.requests.map(sent)).toEqual([get('/v1/user/me'), get('/v2/user/remaining_quota')]);
    await run.close();
  });

  it('fails the check naming HeyGen, its message and code, and the key field', async () => {
    const run = runner('wrong-key');
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by HeyGen: 401 Invalid credentials provided (40009)',
    });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('listAvatars unwraps the v2 envelope and caches the list for an hour unless asked to refresh', async () => {
    const run = runner();
    expect(await run.run('listAvatars', {})).toEqual({ ok: true, output: avatars.data });
    expect(await run.run('listAvatars', {})).toEqual({ ok: true, output: avatars.data });
    expect(api.requests.map(sent)).toEqual([get('/v2/avatars')]);
    await run.run('listAvatars', { refresh: true });
    expect(api.requests).toHaveLength(2);
    await run.close();
  });

  it('listVoices unwraps the v2 envelope', async () => {
    const run = runner();
    expect(await run.run('listVoices', {})).toEqual({ ok: true, output: voices.data });
    expect(api.requests.map(sent)).toEqual([get('/v2/voices')]);
    await run.close();
  });

  it('generateVideo posts one avatar scene and returns the video_id', async () => {
    const run = runner();
    const outcome = await run.run('generateVideo', {
      avatarId: 'Angela-inblackskirt-20220820',
      voiceId: '1bd001e7e50f421d891986aad5158bc8',
      inputText: 'Welcome to the quarterly update.',
      speed: 1.1,
      title: 'Q3 update',
      test: true,
    });
    expect(outcome).toEqual({ ok: true, output: { video_id: 'a1b2c3d4e5f6' } });
    expect(api.requests.map(sent)).toEqual([
      {
        method: 'POST',
        url: 'https://api.heygen.com/v2/video/generate',
        query: {},
        apiKey: KEY,
        authorization: null,
        accept: 'application/json',
        contentType: 'application/json',
        body: {
          video_inputs: [
            {
              character: { type: 'avatar', avatar_id: 'Angela-inblackskirt-20220820', avatar_style: 'normal' },
              voice: { type: 'text', input_text: 'Welcome to the quarterly update.', voice_id: '1bd001e7e50f421d891986aad5158bc8', speed: 1.1 },
            },
          ],
          dimension: { width: 1280, height: 720 },
          title: 'Q3 update',
          test: true,
        },
      },
    ]);
    await run.close();
  });

  it('refuses text over the documented limit before calling HeyGen', async () => {
    const run = runner();
    expect(await run.run('generateVideo', { avatarId: 'a', voiceId: 'v', inputText: 'x'.repeat(5000) })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it("relays a v2 error with HeyGen's message", async () => {
    const run = runner();
    expect(await run.run('generateVideo', { avatarId: 'nobody', voiceId: 'v', inputText: 'Hi' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 400,
      // The runtime's summary keeps string codes only; the numeric one stays in providerBody.
      message: 'HeyGen answered 400: Invalid parameter: avatar not found (400175)',
      providerBody: { error: { code: 400175, message: 'Invalid parameter: avatar not found' }, data: null },
    });
    await run.close();
  });

  it('does not retry a rate-limited render (it would spend credits twice) and passes Retry-After on', async () => {
    const run = runner();
    expect(await run.run('generateVideo', { avatarId: 'busy', voiceId: 'v', inputText: 'Hi' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 20_000,
    });
    expect(api.requests).toHaveLength(1);
    expect(run.sleeps).toEqual([]);
    await run.close();
  });

  it('getVideoStatus asks v1 for the video and returns status and URL', async () => {
    const run = runner();
    const outcome = await run.run('getVideoStatus', { videoId: 'a1b2c3d4e5f6' });
    expect(outcome).toMatchObject({
      ok: true,
      output: { id: 'a1b2c3d4e5f6', status: 'completed', video_url: 'https://files2.heygen.ai/aws_pacific/video/a1b2c3d4e5f6.mp4?Expires=1733600000', duration: 12.4, error: null },
    });
    expect(api.requests.map(sent)).toEqual([get('/v1/video_status.get', { video_id: 'a1b2c3d4e5f6' })]);
    await run.close();
  });

  it('getVideoStatus reports a failed render with its error detail', async () => {
    const run = runner();
    expect(await run.run('getVideoStatus', { videoId: 'broken' })).toMatchObject({
      ok: true,
      output: { status: 'failed', video_url: null, error: { code: 40119, message: 'Video is too long' } },
    });
    await run.close();
  });

  it('getVideoStatus relays a 404 for an unknown video', async () => {
    const run = runner();
    expect(await run.run('getVideoStatus', { videoId: 'missing' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'HeyGen answered 404: Invalid video id',
      providerBody: { code: 40031, message: 'Invalid video id' },
    });
    await run.close();
  });

  it('treats a v1 envelope without code 100 as a refusal even on HTTP 200', async () => {
    const run = runner();
    expect(await run.run('getVideoStatus', { videoId: 'odd' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 200,
      message: 'HeyGen refused the request: Something unexpected (400)',
    });
    await run.close();
  });
});
