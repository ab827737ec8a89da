// Murf: studio-quality text-to-speech. Lists the voices (with locales and styles) and speaks a text,
// returning the audio bytes.
//
// Written from Murf's published OpenAPI description (its "API Reference", base https://api.murf.ai) and its
// quickstart (the key in an `api-key` header; cross-checked against public client code):
//   GET /v1/speech/voices                                   (voiceId, displayName, locale,
//                                                            accent, gender, availableStyles, supportedLocales)
//   POST /v1/speech/generate                                (text, voiceId, format MP3 / WAV /
//                                                            FLAC / ALAW / ULAW / PCM / OGG, sampleRate 8000 / 24000 /
//                                                            44100 / 48000, channelType, style, rate and pitch −50…50,
//                                                            locale, modelVersion GEN2; encodeAsBase64 puts the audio in
//                                                            the answer as encodedAudio instead of only a download URL;
//                                                            audioLengthInSeconds, consumed / remainingCharacterCount)
//   Error bodies: `{ error_message, error_code }` (400, 401/403 for the key, 402 out of characters, 429, 5xx).
//
// Murf has no identity endpoint: checkConnection lists the voices with the key (the cheapest authenticated read).
import { z } from 'zod';
import { binaryOutput, defineAction, defineConnector, type BinaryOutput, type ConnectorContext } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { firstText, providerErrors, readAnswer } from '../../sdk/provider-errors.ts';

const TITLE = 'Murf';
const errors = providerErrors({
  title: TITLE,
  detail(body) {
    if (!body || typeof body !== 'object') return undefined;
    const { error_message: message, error_code: code } = body as Record<string, unknown>;
    const text = firstText(message);
    if (!text) return undefined;
    return typeof code === 'number' || typeof code === 'string' ? `${text} (${code})` : text;
  },
  credentialField: 'credentials.apiKey',
});

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// ---- listVoices (also the connection check) ----------------------------------------------------------------

const voiceAnswer = z.looseObject({
  voiceId: z.string(),
  displayName: z.string().nullable().optional(),
  locale: z.string().nullable().optional(),
  displayLanguage: z.string().nullable().optional(),
  accent: z.string().nullable().optional(),
  gender: z.string().nullable().optional(),
  availableStyles: z.array(z.string()).nullable().optional(),
  supportedLocales: z.record(z.string(), z.looseObject({ detail: z.string().nullable().optional(), availableStyles: z.array(z.string()).nullable().optional() })).nullable().optional(),
});
const voicesAnswer = z.array(voiceAnswer);
const voiceOutput = z.object({
  voiceId: z.string(),
  name: z.string().nullable(),
  locale: z.string().nullable(),
  language: z.string().nullable(),
  accent: z.string().nullable(),
  gender: z.string().nullable(),
  styles: z.array(z.string()),
  supportedLocales: z.array(z.string()).describe('Locales the voice also speaks natively (pass one as locale)'),
});

async function fetchVoices(ctx: Ctx, cache: boolean) {
  // The voice list changes with Murf releases, not between calls.
  return readAnswer(TITLE, voicesAnswer, (await ctx.http.get('v1/speech/voices', { cache })).data, 'the voices');
}

const listVoicesInput = z.object({
  locale: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'expected a locale such as en-US').optional().describe('Only voices speaking this locale'),
  gender: z.enum(['Male', 'Female', 'NonBinary']).optional(),
  refresh: z.boolean().default(false).describe('Read the list from Murf now instead of the hour-long cache'),
});
const listVoicesOutput = z.object({ voices: z.array(voiceOutput) });

const listVoices = defineAction<Config, z.output<typeof listVoicesInput>, z.infer<typeof listVoicesOutput>>({
  name: 'listVoices',
  title: 'List voices',
  description: 'Murf’s voices with their locale, accent, gender, styles and other native locales, optionally filtered (GET /v1/speech/voices).',
  input: listVoicesInput,
  output: listVoicesOutput,
  async run(ctx: Ctx, input) {
    const voices = await errors.call(() => fetchVoices(ctx, !input.refresh));
    return {
      voices: voices
        .map((voice) => ({
          voiceId: voice.voiceId,
          name: voice.displayName ?? null,
          locale: voice.locale ?? null,
          language: voice.displayLanguage ?? null,
          accent: voice.accent ?? null,
          gender: voice.gender ?? null,
          styles: voice.availableStyles ?? [],
          supportedLocales: Object.keys(voice.supportedLocales ?? {}),
        }))
        // Filtered here: the endpoint takes no filters.
        .filter((voice) => !input.locale || voice.locale === input.locale || voice.supportedLocales.includes(input.locale))
        .filter((voice) => !input.gender || voice.gender === input.gender),
    };
  },
});

// ---- generateSpeech ---------------------------------------------------------------------------------------

const FORMATS = {
  MP3: { contentType: 'audio/mpeg', extension: 'mp3' },
  WAV: { contentType: 'audio/wav', extension: 'wav' },
  FLAC: { contentType: 'audio/flac', extension: 'flac' },
  OGG: { contentType: 'audio/ogg', extension: 'ogg' },
  PCM: { contentType: 'audio/pcm', extension: 'pcm' },
  ALAW: { contentType: 'audio/x-alaw-basic', extension: 'alaw' },
  ULAW: { contentType: 'audio/basic', extension: 'ulaw' },
} as const;

const generateInput = z.object({
  // Voice ids look like en-US-natalie; anything else is refused before it reaches Murf.
  voiceId: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}-[a-z0-9_]+$/i, 'expected a Murf voice id such as en-US-natalie (see listVoices)'),
  text: z.string().trim().min(1).max(20_000).describe('May include pauses such as [pause 1s]'),
  format: z.enum(Object.keys(FORMATS) as [keyof typeof FORMATS, ...Array<keyof typeof FORMATS>]).default('MP3'),
  sampleRate: z.union([z.literal(8000), z.literal(24000), z.literal(44100), z.literal(48000)]).default(44100),
  channelType: z.enum(['MONO', 'STEREO']).default('MONO'),
  style: z.string().min(1).max(100).optional().describe('One of the voice’s styles, e.g. Conversational'),
  rate: z.number().int().min(-50).max(50).optional().describe('Speed, −50 to 50'),
  pitch: z.number().int().min(-50).max(50).optional().describe('Pitch, −50 to 50'),
  locale: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/).optional().describe('Speak in another of the voice’s native locales (GEN2)'),
});
const generateAnswer = z.looseObject({
  encodedAudio: z.string().min(1),
  audioLengthInSeconds: z.number().nullable().optional(),
  remainingCharacterCount: z.number().nullable().optional(),
});

const generateSpeech = defineAction<Config, z.output<typeof generateInput>, BinaryOutput>({
  name: 'generateSpeech',
  title: 'Generate speech',
  description: 'Speaks a text with a Murf voice and returns the audio file (MP3 by default) (POST /v1/speech/generate).',
  input: generateInput,
  output: binaryOutput,
  async run(ctx: Ctx, input) {
    const body = {
      text: input.text,
      voiceId: input.voiceId,
      format: input.format,
      sampleRate: input.sampleRate,
      channelType: input.channelType,
      modelVersion: 'GEN2',
      // The bytes come back in the answer itself, so nothing is fetched from a second host.
      encodeAsBase64: true,
      ...(input.style !== undefined ? { style: input.style } : {}),
      ...(input.rate !== undefined ? { rate: input.rate } : {}),
      ...(input.pitch !== undefined ? { pitch: input.pitch } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
    };
    // A 429 or a 5xx produced no audio and spent no characters, so asking again is safe.
    const answer = await errors.call(() => ctx.http.post('v1/speech/generate', body, { retry: {} }));
    const speech = readAnswer(TITLE, generateAnswer, answer.data, 'the speech');
    const data = Buffer.from(speech.encodedAudio, 'base64');
    if (data.length === 0) throw new ProviderError({ code: 'invalid_response', message: `${TITLE} answered the speech with empty audio` });
    const format = FORMATS[input.format];
    return { contentType: format.contentType, data: new Uint8Array(data), fileName: `speech.${format.extension}` };
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'murf',
  title: TITLE,
  category: 'audio',
  description:
    'Generate studio-quality speech audio from text with Murf voices, styles and locales. Murf has no identity endpoint: the connection check lists the voices with the key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#6d28d9"/><path d="M5.5 17V8l6.5 6 6.5-6v9" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://murf.ai/api/docs/introduction/quickstart',
  baseUrl: 'https://api.murf.ai',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key', description: 'From murf.ai → API dashboard → API keys.', placement: 'header', name: 'api-key' },
    },
  },
  config,
  async checkConnection(ctx) {
    try {
      const voices = await fetchVoices(ctx, false);
      const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
      return { ok: true, account: { id: `key-${lastFour}`, name: `Murf key ••••${lastFour}`, details: { voices: voices.length } } };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [listVoices, generateSpeech],
  // No rateLimit: Murf limits concurrent requests and characters per plan, not requests per unit of time;
  // its 429s are retried by the outbound client with backoff.
  cacheTtlMs: 60 * 60 * 1000,
});
