// Contract test for the ElevenLabs connector: exact requests (xi-api-key, paths, query, JSON body), audio
// bytes out of text-to-speech, token pagination of voices, and ElevenLabs' documented error bodies.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import elevenlabs from './index.ts';

const KEY = 'sk_3f9c2a7d41b8e6f05c1d9a8b7e6f5a4b3c2d1e0f9a8b7c6d';
const BASE = 'https://api.elevenlabs.io';
const VOICE = 'JBFqnCBsd6RMkjVDRZzb';
const NEXT_TOKEN = 'eyJwYWdlIjogMSwgImxhc3RfdmlkIjogIkVYQVZJVFF1NHZyNHhuU0RceE1hTCJ9';

// ---- fixtures (shaped like the reference's examples) ----
const user = {
  user_id: 'u8Zk3PqT5hXwL2mN9rVb',
  subscription: {
    tier: 'creator',
    character_count: 17231,
    character_limit: 100000,
    max_character_limit_extension: 10000,
    can_extend_character_limit: true,
    allowed_to_extend_character_limit: true,
    voice_slots_used: 3,
    professional_voice_slots_used: 0,
    voice_limit: 30,
    voice_add_edit_counter: 12,
    professional_voice_limit: 1,
    can_extend_voice_limit: false,
    can_use_instant_voice_cloning: true,
    can_use_professional_voice_cloning: true,
    status: 'active',
    next_character_count_reset_unix: 1775001600,
    max_voice_add_edits: 95,
    currency: 'usd',
    billing_period: 'monthly_period',
    character_refresh_period: 'monthly_period',
  },
  is_onboarding_completed: true,
  is_onboarding_checklist_completed: true,
  created_at: 1753999199,
  seat_type: 'workspace_admin',
  is_new_user: false,
  can_use_delayed_payment_methods: false,
  // The documented answer carries the key itself: the connector must never pass it on.
  xi_api_key: KEY,
  xi_api_key_preview: 'sk_3f9…c6d',
  is_api_key_hashed: false,
  first_name: 'Ada',
};
const voice = (id: string, name: string, category: string, labels: Record<string, string>) => ({
  voice_id: id,
  name,
  samples: null,
  category,
  fine_tuning: { is_allowed_to_fine_tune: false, state: {}, verification_failures: [], verification_attempts_count: 0, manual_verification_requested: false },
  labels,
  description: `${name}, ${labels.accent ?? 'neutral'} ${labels.gender ?? ''}`.trim(),
  preview_url: `https://storage.googleapis.com/eleven-public-prod/premade/voices/${id}/preview.mp3`,
  available_for_tiers: [],
  settings: null,
  sharing: null,
  high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_flash_v2_5'],
  verified_languages: [{ language: 'en', model_id: 'eleven_multilingual_v2', accent: 'british' }],
  is_owner: false,
  is_legacy: false,
  is_mixed: false,
  created_at_unix: null,
});
const voicesPage1 = {
  voices: [
    voice(VOICE, 'George', 'premade', { accent: 'british', age: 'middle_aged', gender: 'male', use_case: 'narration' }),
    voice('EXAVITQu4vr4xnSDxMaL', 'Sarah', 'premade', { accent: 'american', age: 'young', gender: 'female', use_case: 'news' }),
  ],
  has_more: true,
  total_count: 3,
  next_page_token: NEXT_TOKEN,
};
const voicesPage2 = { voices: [voice('xK9pQ2rT7vW1yZ3aB5cD', 'Studio narrator', 'cloned', {})], has_more: false, total_count: 3, next_page_token: null };
const models = [
  {
    model_id: 'eleven_multilingual_v2',
    name: 'Eleven Multilingual v2',
    can_be_finetuned: true,
    can_do_text_to_speech: true,
    can_do_voice_conversion: false,
    can_use_style: true,
    can_use_speaker_boost: true,
    serves_pro_voices: false,
    token_cost_factor: 1,
    description: 'Our most life-like, emotionally rich mode in 29 languages.',
    requires_alpha_access: false,
    max_characters_request_free_user: 2500,
    max_characters_request_subscribed_user: 10000,
    maximum_text_length_per_request: 10000,
    languages: [
      { language_id: 'en', name: 'English' },
      { language_id: 'fr', name: 'French' },
    ],
    model_rates: { character_cost_multiplier: 1 },
    concurrency_group: 'standard',
  },
  {
    model_id: 'eleven_english_sts_v2',
    name: 'Eleven English v2',
    can_do_text_to_speech: false,
    can_do_voice_conversion: true,
    description: 'Speech to speech in English.',
    maximum_text_length_per_request: null,
    languages: [{ language_id: 'en', name: 'English' }],
  },
];
// The first bytes of an MP3 with an ID3v2 tag, then an MPEG frame header.
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0xff, 0xf3, 0x84, 0xc4]);
const invalidKey = { detail: { status: 'invalid_api_key', message: 'Invalid API key' } };
const missingPermission = { detail: { status: 'missing_permissions', message: 'The API key you used is missing the permission user_read to execute this operation.' } };
// Status 404 as ElevenLabs' docs show it since mid-2025 (elevenlabs/elevenlabs-docs#1317); older answers used 400.
const voiceNotFound = { detail: { status: 'voice_not_found', message: 'A voice with the voice_id nOSuchVoice000000000 was not found.' } };
const tooManyConcurrent = {
  detail: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests. Your current subscription is associated with a maximum of 5 concurrent requests.' },
};
const validation = { detail: [{ type: 'missing', loc: ['body', 'text'], msg: 'Field required', input: {} }] };

// One-off answers queued per route, in front of the route's normal answer.
const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
function answer(route: string, request: Request, normal: () => Response | Promise<Response>) {
  if (request.headers.get('xi-api-key') !== KEY) return HttpResponse.json(invalidKey, { status: 401 });
  const next = queued.get(route)?.shift();
  return next ? next() : normal();
}

const api = provider([
  http.get(`${BASE}/v1/user`, ({ request }) => answer('user', request, () => HttpResponse.json(user))),
  http.get(`${BASE}/v2/voices`, ({ request }) =>
    answer('voices', request, () => HttpResponse.json(new URL(request.url).searchParams.get('next_page_token') === NEXT_TOKEN ? voicesPage2 : voicesPage1)),
  ),
  http.get(`${BASE}/v1/models`, ({ request }) => answer('models', request, () => HttpResponse.json(models))),
  http.post(`${BASE}/v1/text-to-speech/:voiceId`, ({ request, params }) =>
    answer('tts', request, () =>
      params.voiceId === VOICE
        ? new HttpResponse(MP3, { headers: { 'content-type': 'audio/mpeg', 'request-id': 'r8Yx2Qm4', 'character-cost': '42' } })
        : HttpResponse.json(voiceNotFound, { status: 404 }),
    ),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

const runnerWith = (apiKey = KEY) => connectorRunner(elevenlabs, { credentials: { apiKey } });

describe('ElevenLabs connector: connection check', () => {
  it('GETs /v1/user with xi-api-key and names the user, with the plan and quota', async () => {
    const runner = runnerWith();
    const result = await runner.check();
    expect(result).toEqual({
      ok: true,
      account: { id: 'u8Zk3PqT5hXwL2mN9rVb', name: 'Ada', details: { tier: 'creator', status: 'active', characterCount: 17231, characterLimit: 100000 } },
    });
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.url.href).toBe('https://api.elevenlabs.io/v1/user');
    expect(api.requests[0]?.headers.get('xi-api-key')).toBe(KEY);
    expect(api.requests[0]?.headers.has('authorization')).toBe(false);
    await runner.close();
  });

  it('rejects a wrong key with ElevenLabs’ status, code and message', async () => {
    const runner = runnerWith('sk_wrong0000000000000000000000000000000000000000');
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by ElevenLabs: 401 invalid_api_key: Invalid API key',
    });
    await runner.close();
  });

  it('accepts a working key restricted to other endpoints, without the account details it may not read', async () => {
    queue('user', () => HttpResponse.json(missingPermission, { status: 401 }));
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: true,
      account: { id: 'key-7c6d', name: 'ElevenLabs key ••••7c6d', details: { restricted: true, userRead: false } },
    });
    await runner.close();
  });
});

describe('ElevenLabs connector: actions', () => {
  it('getUser returns the account and subscription, never the key ElevenLabs sends back', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getUser', {});
    expect(outcome).toEqual({
      ok: true,
      output: {
        userId: 'u8Zk3PqT5hXwL2mN9rVb',
        firstName: 'Ada',
        isNewUser: false,
        subscription: { tier: 'creator', status: 'active', characterCount: 17231, characterLimit: 100000, nextCharacterCountResetUnix: 1775001600, voiceLimit: 30 },
      },
    });
    expect(JSON.stringify(outcome)).not.toContain(KEY);
    expect(JSON.stringify(outcome)).not.toContain('sk_3f9');
    await runner.close();
  });

  it('listVoices GETs /v2/voices with its filters and returns one page and the token to continue', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('listVoices', { search: 'narration', voiceType: 'default', category: 'premade', sort: 'name', sortDirection: 'asc', pageSize: 2 });
    expect(outcome).toEqual({
      ok: true,
      output: {
        voices: [
          {
            voiceId: VOICE,
            name: 'George',
            category: 'premade',
            description: 'George, british male',
            labels: { accent: 'british', age: 'middle_aged', gender: 'male', use_case: 'narration' },
            previewUrl: `https://storage.googleapis.com/eleven-public-prod/premade/voices/${VOICE}/preview.mp3`,
          },
          {
            voiceId: 'EXAVITQu4vr4xnSDxMaL',
            name: 'Sarah',
            category: 'premade',
            description: 'Sarah, american female',
            labels: { accent: 'american', age: 'young', gender: 'female', use_case: 'news' },
            previewUrl: 'https://storage.googleapis.com/eleven-public-prod/premade/voices/EXAVITQu4vr4xnSDxMaL/preview.mp3',
          },
        ],
        hasMore: true,
        nextPageToken: NEXT_TOKEN,
      },
    });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.url.pathname).toBe('/v2/voices');
    expect(Object.fromEntries(sent.url.searchParams)).toEqual({
      page_size: '2',
      search: 'narration',
      voice_type: 'default',
      category: 'premade',
      sort: 'name',
      sort_direction: 'asc',
      include_total_count: 'false',
    });
    expect(sent.headers.get('xi-api-key')).toBe(KEY);
    await runner.close();
  });

  it('listVoices follows next_page_token across two pages', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('listVoices', { followPages: true, pageSize: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { hasMore: false, nextPageToken: null } });
    expect(outcome.ok && (outcome.output as { voices: Array<{ voiceId: string }> }).voices.map((v) => v.voiceId)).toEqual([VOICE, 'EXAVITQu4vr4xnSDxMaL', 'xK9pQ2rT7vW1yZ3aB5cD']);
    expect(api.requests.map((r) => r.url.search)).toEqual(['?page_size=2&include_total_count=false', `?page_size=2&next_page_token=${NEXT_TOKEN}&include_total_count=false`]);
    await runner.close();
  });

  it('listVoices stops following once maxResults voices are in hand', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('listVoices', { followPages: true, maxResults: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { hasMore: true, nextPageToken: NEXT_TOKEN } });
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('listModels GETs /v1/models, maps each model and serves the next call from cache', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('listModels', {});
    expect(outcome).toEqual({
      ok: true,
      output: {
        models: [
          {
            modelId: 'eleven_multilingual_v2',
            name: 'Eleven Multilingual v2',
            description: 'Our most life-like, emotionally rich mode in 29 languages.',
            canDoTextToSpeech: true,
            maxTextLength: 10000,
            languages: [
              { languageId: 'en', name: 'English' },
              { languageId: 'fr', name: 'French' },
            ],
          },
          {
            modelId: 'eleven_english_sts_v2',
            name: 'Eleven English v2',
            description: 'Speech to speech in English.',
            canDoTextToSpeech: false,
            maxTextLength: null,
            languages: [{ languageId: 'en', name: 'English' }],
          },
        ],
      },
    });
    expect(await runner.run('listModels', {})).toEqual(outcome);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.url.href).toBe('https://api.elevenlabs.io/v1/models');
    await runner.close();
  });

  it('textToSpeech POSTs the text, model and voice settings with the output format and returns the audio bytes', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('textToSpeech', {
      voiceId: VOICE,
      text: 'The first move is what sets everything in motion.',
      modelId: 'eleven_flash_v2_5',
      outputFormat: 'mp3_22050_32',
      languageCode: 'en',
      voiceSettings: { stability: 0.4, similarityBoost: 0.75, useSpeakerBoost: true },
      seed: 42,
    });
    expect(outcome).toEqual({ ok: true, output: { contentType: 'audio/mpeg', data: MP3, fileName: 'speech.mp3' } });
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe(`https://api.elevenlabs.io/v1/text-to-speech/${VOICE}?output_format=mp3_22050_32`);
    expect(sent.headers.get('xi-api-key')).toBe(KEY);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('accept')).toBe('*/*');
    expect(JSON.parse(sent.body)).toEqual({
      text: 'The first move is what sets everything in motion.',
      model_id: 'eleven_flash_v2_5',
      language_code: 'en',
      voice_settings: { stability: 0.4, similarity_boost: 0.75, use_speaker_boost: true },
      seed: 42,
    });
    await runner.close();
  });

  it('textToSpeech defaults to Multilingual v2 and 128 kbps MP3', async () => {
    const runner = runnerWith();
    expect(await runner.run('textToSpeech', { voiceId: VOICE, text: 'Hello.' })).toMatchObject({ ok: true, output: { contentType: 'audio/mpeg' } });
    expect(api.requests[0]?.url.searchParams.get('output_format')).toBe('mp3_44100_128');
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ text: 'Hello.', model_id: 'eleven_multilingual_v2' });
    await runner.close();
  });

  it('textToSpeech relays a missing voice as ElevenLabs’ voice_not_found with its message', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('textToSpeech', { voiceId: 'nOSuchVoice000000000', text: 'Hello.' });
    expect(outcome).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'ElevenLabs answered 404 voice_not_found: A voice with the voice_id nOSuchVoice000000000 was not found.',
      providerBody: voiceNotFound,
    });
    await runner.close();
  });

  it('textToSpeech retries a 429 for too many concurrent requests with backoff (the fake clock records the wait)', async () => {
    queue('tts', () => HttpResponse.json(tooManyConcurrent, { status: 429 }));
    const runner = runnerWith();
    expect(await runner.run('textToSpeech', { voiceId: VOICE, text: 'Hello.' })).toMatchObject({ ok: true, output: { data: MP3 } });
    expect(api.requests).toHaveLength(2);
    expect(runner.sleeps).toHaveLength(1);
    expect(runner.sleeps[0]).toBeLessThanOrEqual(250);
    await runner.close();
  });

  it('reports a 429 that outlasts the retries with ElevenLabs’ words and the Retry-After it sent', async () => {
    queue('voices', ...Array.from({ length: 3 }, () => () => HttpResponse.json(tooManyConcurrent, { status: 429, headers: { 'retry-after': '2' } })));
    const runner = runnerWith();
    const outcome = await runner.run('listVoices', {});
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 2000,
      message: 'ElevenLabs answered 429 too_many_concurrent_requests: Too many concurrent requests. Your current subscription is associated with a maximum of 5 concurrent requests.',
    });
    expect(runner.sleeps).toEqual([2000, 2000]);
    await runner.close();
  });

  it('explains a validation error field by field', async () => {
    queue('tts', () => HttpResponse.json(validation, { status: 422 }));
    const runner = runnerWith();
    expect(await runner.run('textToSpeech', { voiceId: VOICE, text: 'Hello.' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 422,
      message: 'ElevenLabs answered 422 body.text: Field required',
    });
    await runner.close();
  });

  it('refuses a voice id that is not one before calling ElevenLabs', async () => {
    const runner = runnerWith();
    expect(await runner.run('textToSpeech', { voiceId: '../v1/user', text: 'Hello.' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('textToSpeech', { voiceId: VOICE, text: '' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('textToSpeech', { voiceId: VOICE, text: 'Hi', outputFormat: 'flac' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });
});
