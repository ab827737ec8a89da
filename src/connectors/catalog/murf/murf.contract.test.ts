// Contract test for the Murf connector: the api-key header, the voices list as the connection check, the
// exact generate body with the audio asked for inline (base64) and returned as bytes, and Murf's
// `{ error_message, error_code }` bodies, 402 and 429.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import murf from './index.ts';

const KEY = 'ap2_1f7c9e2b-4d3a-4e8b-9c1d-2f3e4a5b6c7d';
const BASE = 'https://api.murf.ai';
// The first bytes of an MP3 with an ID3v2 tag, then an MPEG frame header.
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0xff, 0xf3, 0x84, 0xc4]);

const voices = [
  {
    voiceId: 'en-US-natalie',
    displayName: 'Natalie (F)',
    locale: 'en-US',
    displayLanguage: 'English',
    accent: 'US & Canada',
    description: 'Middle-Aged',
    gender: 'Female',
    availableStyles: ['Promo', 'Narration', 'Newscast', 'Conversational'],
    supportedLocales: { 'en-US': { detail: 'English (US & Canada)', availableStyles: ['Promo', 'Narration'] }, 'fr-FR': { detail: 'French (France)', availableStyles: ['Conversational'] } },
  },
  {
    voiceId: 'de-DE-matthias',
    displayName: 'Matthias (M)',
    locale: 'de-DE',
    displayLanguage: 'German',
    accent: 'Germany',
    gender: 'Male',
    availableStyles: ['Conversational'],
    supportedLocales: { 'de-DE': { detail: 'German (Germany)', availableStyles: ['Conversational'] } },
  },
];
const generated = {
  audioFile: 'https://murf.ai/user-upload/one-day-temp/2f1c-speech.mp3?response-content-disposition=attachment',
  encodedAudio: Buffer.from(MP3).toString('base64'),
  audioLengthInSeconds: 2.35,
  consumedCharacterCount: 30,
  remainingCharacterCount: 99_970,
  wordDurations: [{ word: 'Hello', startMs: 0, endMs: 410 }],
  warning: '',
};
const invalidKey = { error_message: 'Invalid api-key', error_code: 401 };
const noCharacters = { error_message: 'Character limit exhausted for the plan', error_code: 402 };
const badVoice = { error_message: 'Invalid voice_id en-US-nobody', error_code: 400 };
const tooMany = { error_message: 'Too many concurrent requests', error_code: 429 };

const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response) {
  if (request.headers.get('api-key') !== KEY) return HttpResponse.json(invalidKey, { status: 401 });
  return queued.get(route)?.shift()?.() ?? normal();
}

const api = provider([
  http.get(`${BASE}/v1/speech/voices`, ({ request }) => answer('voices', request, () => HttpResponse.json(voices))),
  http.post(`${BASE}/v1/speech/generate`, ({ request }) => answer('generate', request, () => HttpResponse.json(generated))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

const runnerWith = (apiKey = KEY) => connectorRunner(murf, { credentials: { apiKey } });

describe('Murf connector: connection check', () => {
  it('lists the voices with the api-key header (no identity endpoint) and names the key', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({ ok: true, account: { id: 'key-6c7d', name: 'Murf key ••••6c7d', details: { voices: 2 } } });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.url.href).toBe('https://api.murf.ai/v1/speech/voices');
    expect(api.requests[0]?.headers.get('api-key')).toBe(KEY);
    expect(api.requests[0]?.headers.has('authorization')).toBe(false);
    await runner.close();
  });

  it('rejects a wrong key with Murf’s message and code', async () => {
    const runner = runnerWith('ap2_wrong');
    expect(await runner.check()).toEqual({ ok: false, reason: 'auth', field: 'credentials.apiKey', message: 'The credential was rejected by Murf: 401 Invalid api-key (401)' });
    await runner.close();
  });
});

describe('Murf connector: actions', () => {
  it('listVoices maps each voice, filters by locale and gender, and serves the next call from cache', async () => {
    const runner = runnerWith();
    expect(await runner.run('listVoices', { locale: 'fr-FR' })).toEqual({
      ok: true,
      output: {
        voices: [
          {
            voiceId: 'en-US-natalie',
            name: 'Natalie (F)',
            locale: 'en-US',
            language: 'English',
            accent: 'US & Canada',
            gender: 'Female',
            styles: ['Promo', 'Narration', 'Newscast', 'Conversational'],
            supportedLocales: ['en-US', 'fr-FR'],
          },
        ],
      },
    });
    expect(await runner.run('listVoices', { gender: 'Male' })).toMatchObject({ ok: true, output: { voices: [{ voiceId: 'de-DE-matthias' }] } });
    expect(api.requests).toHaveLength(1);
    await runner.run('listVoices', { refresh: true });
    expect(api.requests).toHaveLength(2);
    await runner.close();
  });

  it('generateSpeech POSTs the text, voice and audio settings with encodeAsBase64 and returns the MP3 bytes', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('generateSpeech', {
      voiceId: 'en-US-natalie',
      text: 'Hello there [pause 1s] friend',
      style: 'Conversational',
      rate: -10,
      pitch: 5,
      sampleRate: 24000,
      locale: 'fr-FR',
    });
    expect(outcome).toEqual({ ok: true, output: { contentType: 'audio/mpeg', data: MP3, fileName: 'speech.mp3' } });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe('https://api.murf.ai/v1/speech/generate');
    expect(sent.headers.get('api-key')).toBe(KEY);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      text: 'Hello there [pause 1s] friend',
      voiceId: 'en-US-natalie',
      format: 'MP3',
      sampleRate: 24000,
      channelType: 'MONO',
      modelVersion: 'GEN2',
      encodeAsBase64: true,
      style: 'Conversational',
      rate: -10,
      pitch: 5,
      locale: 'fr-FR',
    });
    await runner.close();
  });

  it('generateSpeech names the content type of the format asked for', async () => {
    const runner = runnerWith();
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi', format: 'WAV' })).toMatchObject({
      ok: true,
      output: { contentType: 'audio/wav', fileName: 'speech.wav' },
    });
    await runner.close();
  });

  it('generateSpeech relays Murf’s 400 and 402 in its own words', async () => {
    queue('generate', () => HttpResponse.json(badVoice, { status: 400 }), () => HttpResponse.json(noCharacters, { status: 402 }));
    const runner = runnerWith();
    const input = { voiceId: 'en-US-nobody', text: 'Hi' };
    expect(await runner.run('generateSpeech', input)).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 400,
      message: 'Murf answered 400 Invalid voice_id en-US-nobody (400)',
      providerBody: badVoice,
    });
    expect(await runner.run('generateSpeech', input)).toMatchObject({ ok: false, status: 402, message: 'Murf answered 402 Character limit exhausted for the plan (402)' });
    await runner.close();
  });

  it('generateSpeech retries a 429 (no audio was made) after its Retry-After, on the fake clock', async () => {
    queue('generate', () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '2' } }));
    const runner = runnerWith();
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi' })).toMatchObject({ ok: true, output: { data: MP3 } });
    expect(runner.sleeps).toEqual([2000]);
    expect(api.requests).toHaveLength(2);
    await runner.close();
  });

  it('reports a 429 that outlasts the retries with Murf’s words and the wait', async () => {
    queue('generate', ...Array.from({ length: 3 }, () => () => HttpResponse.json(tooMany, { status: 429, headers: { 'retry-after': '4' } })));
    const runner = runnerWith();
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi' })).toMatchObject({
      ok: false,
      status: 429,
      retryAfterMs: 4000,
      message: 'Murf answered 429 Too many concurrent requests (429)',
    });
    await runner.close();
  });

  it('says so when Murf answers without the audio it was asked for', async () => {
    queue('generate', () => HttpResponse.json({ ...generated, encodedAudio: undefined }));
    const runner = runnerWith();
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      message: expect.stringContaining('Murf answered the speech in an undocumented shape (encodedAudio'),
    });
    await runner.close();
  });

  it('refuses a voice id that is not one, and out-of-range settings, before calling Murf', async () => {
    const runner = runnerWith();
    expect(await runner.run('generateSpeech', { voiceId: '../voices', text: 'Hi' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi', rate: 80 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('generateSpeech', { voiceId: 'en-US-natalie', text: 'Hi', sampleRate: 22050 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });
});
