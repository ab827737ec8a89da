// Contract test for the PlayHT connector: AUTHORIZATION and X-USER-ID on every call, voices (prebuilt and
// cloned), the exact TTS job body, job polling, the MP3 download as bytes, and PlayHT's `{ error_message }`
// bodies, 406 and 429.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import playht from './index.ts';

const KEY = 'a7f3c9e1d5b24f6e8a0c2d4f6b8e0a1c';
const USER = 'Xq3vNw8TgUa1bL9cZr2Yk5Pm';
const BASE = 'https://api.play.ht/api/v2';
const JOB = 'f0gZrOKBKL7veJ6o1M';
const VOICE = 's3://voice-cloning-zero-shot/d9ff78ba-d016-47f6-b0ef-dd630f59414e/female-cs/manifest.json';
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0xff, 0xf3, 0x84, 0xc4]);

const prebuilt = [
  {
    id: VOICE,
    name: 'Jennifer',
    sample: 'https://peregrine-samples.s3.amazonaws.com/parrot-samples/jennifer.wav',
    accent: 'american',
    age: 'adult',
    gender: 'female',
    language: 'English (US)',
    language_code: 'en-US',
    loudness: 'neutral',
    style: 'narrative',
    tempo: 'neutral',
    texture: 'smooth',
    is_cloned: false,
    voice_engine: 'Play3.0-mini',
  },
  { id: 's3://voice-cloning-zero-shot/7c38b588/mateo/manifest.json', name: 'Mateo', accent: 'spanish', age: 'adult', gender: 'male', language: 'Spanish', language_code: 'es-ES', voice_engine: 'PlayHT2.0' },
];
const cloned = [{ id: 's3://voice-cloning-zero-shot/1b2c3d4e/ada/manifest.json', name: 'Ada (clone)', type: 'instant', voice_engine: 'PlayHT2.0' }];
const job = (done: boolean) => ({
  id: JOB,
  created: '2026-01-20T09:00:00.000Z',
  input: { text: 'Hello from a realistic voice.', voice: VOICE, quality: 'draft', output_format: 'mp3', speed: 1, sample_rate: 24000, seed: null, temperature: null, voice_engine: 'Play3.0-mini' },
  output: done ? { duration: 1.664, size: 35085, url: `https://peregrine-results.s3.amazonaws.com/pigeon/${JOB}_0.mp3` } : null,
  _links: [{ href: `https://play.ht/api/v2/tts/${JOB}`, method: 'GET', contentType: 'application/json', rel: 'self' }],
});
const unauthorized = { error_message: 'Invalid API credentials. Check your AUTHORIZATION and X-USER-ID headers.', error_id: 'UNAUTHORIZED' };
const notMp3 = { error_message: 'The audio of this job was not generated as MP3.', error_id: 'NOT_ACCEPTABLE' };
const tooMany = { error_message: 'Rate limit exceeded: 10 requests per minute.', error_id: 'RATE_LIMITED' };

const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response) {
  if (request.headers.get('authorization') !== `Bearer ${KEY}` || request.headers.get('x-user-id') !== USER) return HttpResponse.json(unauthorized, { status: 401 });
  return queued.get(route)?.shift()?.() ?? normal();
}
let polls = 0;

const api = provider([
  http.get(`${BASE}/voices`, ({ request }) => answer('voices', request, () => HttpResponse.json(prebuilt))),
  http.get(`${BASE}/cloned-voices`, ({ request }) => answer('cloned', request, () => HttpResponse.json(cloned))),
  http.post(`${BASE}/tts`, ({ request }) => answer('create', request, () => HttpResponse.json(job(false), { status: 201, headers: { location: `/api/v2/tts/${JOB}` } }))),
  http.get(`${BASE}/tts/:id`, ({ request }) =>
    answer('job', request, () => {
      if (new URL(request.url).searchParams.get('format') === 'audio-mpeg') return new HttpResponse(MP3, { headers: { 'content-type': 'audio/mpeg' } });
      return HttpResponse.json(job(polls++ > 0));
    }),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
  polls = 0;
});
afterAll(() => api.disable());

const runnerWith = (credentials: Record<string, string> = { apiKey: KEY, userId: USER }) => connectorRunner(playht, { credentials });

describe('PlayHT connector: connection check', () => {
  it('lists the cloned voices with AUTHORIZATION and X-USER-ID, and names the user', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({ ok: true, account: { id: USER, name: `PlayHT user ${USER}`, details: { clonedVoices: 1 } } });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.url.href).toBe('https://api.play.ht/api/v2/cloned-voices');
    expect(sent.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(sent.headers.get('x-user-id')).toBe(USER);
    await runner.close();
  });

  it('rejects a wrong pair with PlayHT’s error id and message', async () => {
    const runner = runnerWith({ apiKey: KEY, userId: 'someoneElse' });
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by PlayHT: 401 UNAUTHORIZED: Invalid API credentials. Check your AUTHORIZATION and X-USER-ID headers.',
    });
    await runner.close();
  });

  it('reports an API that is gone (410, as after a shutdown) as a failure to act on, not as a refused key', async () => {
    queue('cloned', () => HttpResponse.json({ error_message: 'This API has been retired.', error_id: 'GONE' }, { status: 410 }));
    const runner = runnerWith();
    expect(await runner.check()).toEqual({ ok: false, reason: 'config', message: 'PlayHT answered 410 GONE: This API has been retired.' });
    await runner.close();
  });
});

describe('PlayHT connector: actions', () => {
  it('listVoices returns prebuilt and cloned voices, filtered by language code', async () => {
    const runner = runnerWith();
    expect(await runner.run('listVoices', { languageCode: 'en-US' })).toEqual({
      ok: true,
      output: {
        voices: [
          {
            id: VOICE,
            name: 'Jennifer',
            cloned: false,
            language: 'English (US)',
            languageCode: 'en-US',
            gender: 'female',
            accent: 'american',
            age: 'adult',
            style: 'narrative',
            voiceEngine: 'Play3.0-mini',
            sampleUrl: 'https://peregrine-samples.s3.amazonaws.com/parrot-samples/jennifer.wav',
          },
        ],
      },
    });
    const all = await runner.run('listVoices', { voiceEngine: 'PlayHT2.0' });
    expect(all.ok && (all.output as { voices: Array<{ name: string; cloned: boolean }> }).voices.map((v) => [v.name, v.cloned])).toEqual([
      ['Mateo', false],
      ['Ada (clone)', true],
    ]);
    // The prebuilt list came from cache the second time; the cloned list is read each time.
    expect(api.requests.map((r) => r.url.pathname)).toEqual(['/api/v2/voices', '/api/v2/cloned-voices', '/api/v2/cloned-voices']);
    await runner.close();
  });

  it('createTtsJob POSTs the text, voice and engine as JSON, asking for the job as JSON', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('createTtsJob', { text: 'Hello from a realistic voice.', voice: VOICE, quality: 'draft', speed: 1.2, sampleRate: 24000, seed: 7 });
    expect(outcome).toEqual({
      ok: true,
      output: { id: JOB, createdAt: '2026-01-20T09:00:00.000Z', state: 'pending', audioUrl: null, durationSeconds: null, sizeBytes: null, error: null },
    });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe('https://api.play.ht/api/v2/tts');
    expect(sent.headers.get('accept')).toBe('application/json');
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      text: 'Hello from a realistic voice.',
      voice: VOICE,
      voice_engine: 'Play3.0-mini',
      output_format: 'mp3',
      quality: 'draft',
      speed: 1.2,
      sample_rate: 24000,
      seed: 7,
    });
    await runner.close();
  });

  it('createTtsJob passes on a 429 with its wait and does not repeat the POST', async () => {
    queue('create', () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '60' } }));
    const runner = runnerWith();
    expect(await runner.run('createTtsJob', { text: 'Hi', voice: VOICE })).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 60_000,
      message: 'PlayHT answered 429 RATE_LIMITED: Rate limit exceeded: 10 requests per minute.',
      providerBody: tooMany,
    });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('getTtsJob is pending, then completed with the audio URL, duration and size', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTtsJob', { jobId: JOB })).toMatchObject({ ok: true, output: { state: 'pending', audioUrl: null } });
    expect(await runner.run('getTtsJob', { jobId: JOB })).toEqual({
      ok: true,
      output: {
        id: JOB,
        createdAt: '2026-01-20T09:00:00.000Z',
        state: 'completed',
        audioUrl: `https://peregrine-results.s3.amazonaws.com/pigeon/${JOB}_0.mp3`,
        durationSeconds: 1.664,
        sizeBytes: 35085,
        error: null,
      },
    });
    expect(api.requests.map((r) => r.url.href)).toEqual([`https://api.play.ht/api/v2/tts/${JOB}`, `https://api.play.ht/api/v2/tts/${JOB}`]);
    await runner.close();
  });

  it('getTtsAudio GETs the job as audio-mpeg and returns the MP3 bytes', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTtsAudio', { jobId: JOB })).toEqual({ ok: true, output: { contentType: 'audio/mpeg', data: MP3, fileName: `${JOB}.mp3` } });
    expect(api.requests[0]?.url.href).toBe(`https://api.play.ht/api/v2/tts/${JOB}?format=audio-mpeg`);
    expect(api.requests[0]?.headers.get('accept')).toBe('audio/mpeg');
    await runner.close();
  });

  it('getTtsAudio relays PlayHT’s 406 for a job made in another format', async () => {
    queue('job', () => HttpResponse.json(notMp3, { status: 406 }));
    const runner = runnerWith();
    expect(await runner.run('getTtsAudio', { jobId: JOB })).toMatchObject({
      ok: false,
      status: 406,
      message: 'PlayHT answered 406 NOT_ACCEPTABLE: The audio of this job was not generated as MP3.',
    });
    await runner.close();
  });

  it('getTtsJob retries a 429 after its Retry-After on the fake clock', async () => {
    queue('job', () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '5' } }));
    const runner = runnerWith();
    expect(await runner.run('getTtsJob', { jobId: JOB })).toMatchObject({ ok: true });
    expect(runner.sleeps).toEqual([5000]);
    await runner.close();
  });

  it('refuses a job id that is not one before calling PlayHT', async () => {
    const runner = runnerWith();
    expect(await runner.run('getTtsJob', { jobId: '../voices' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('createTtsJob', { text: '', voice: VOICE })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });
});
