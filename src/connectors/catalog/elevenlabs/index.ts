// ElevenLabs: account, voices, models and text-to-speech audio through an xi-api-key.
//
// Written from ElevenLabs' public API reference:
//   https://elevenlabs.io/docs/api-reference/authentication        (xi-api-key header; keys may be restricted
//                                                                   to some endpoints)
//   https://elevenlabs.io/docs/api-reference/user/get              (GET /v1/user: user_id, subscription)
//   https://elevenlabs.io/docs/api-reference/voices/search         (GET /v2/voices: page_size ≤ 100,
//                                                                   next_page_token, has_more)
//   https://elevenlabs.io/docs/api-reference/models/list           (GET /v1/models)
//   https://elevenlabs.io/docs/api-reference/text-to-speech/convert (POST /v1/text-to-speech/{voice_id},
//                                                                   ?output_format=codec_rate_bitrate → audio bytes)
//   https://help.elevenlabs.io/hc/en-us/articles/19572237925521    (error bodies: detail.status / detail.message,
//                                                                   invalid_api_key, voice_not_found, quota_exceeded)
import { z } from 'zod';
import { binaryOutput, defineAction, defineConnector, type BinaryOutput, type ConnectorContext } from '../../sdk/define.ts';
import { readAnswer } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { checkFailure, elevenLabsCall, statusCodeOf, TITLE } from './errors.ts';

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// The shared reader keeps no `body` on the error: the user answer holds the key itself, and a shape error
// must not carry it along.
const read = <T>(schema: z.ZodType<T>, data: unknown, what: string): T => readAnswer(TITLE, schema, data, what);

const noInput = z.object({});
type NoInput = z.infer<typeof noInput>;

// ---- the user (also the connection check) -----------------------------------------------------------------

// Read field by field on purpose: GET /v1/user also returns `xi_api_key`, the very secret in use, which
// must never reach an action's output, a stored identity or a log.
const userAnswer = z.object({
  user_id: z.string().optional(),
  first_name: z.string().nullable().optional(),
  is_new_user: z.boolean().optional(),
  subscription: z.object({
    tier: z.string(),
    status: z.string().optional(),
    character_count: z.number(),
    character_limit: z.number(),
    next_character_count_reset_unix: z.number().nullable().optional(),
    voice_limit: z.number().optional(),
  }),
});
const userOutput = z.object({
  userId: z.string().nullable(),
  firstName: z.string().nullable(),
  isNewUser: z.boolean().optional(),
  subscription: z.object({
    tier: z.string(),
    status: z.string().nullable(),
    characterCount: z.number(),
    characterLimit: z.number(),
    nextCharacterCountResetUnix: z.number().nullable(),
    voiceLimit: z.number().optional(),
  }),
});

async function fetchUser(ctx: Ctx): Promise<z.infer<typeof userOutput>> {
  const user = read(userAnswer, (await ctx.http.get('v1/user')).data, 'the user');
  const s = user.subscription;
  return {
    userId: user.user_id ?? null,
    firstName: user.first_name ?? null,
    ...(user.is_new_user !== undefined ? { isNewUser: user.is_new_user } : {}),
    subscription: {
      tier: s.tier,
      status: s.status ?? null,
      characterCount: s.character_count,
      characterLimit: s.character_limit,
      nextCharacterCountResetUnix: s.next_character_count_reset_unix ?? null,
      ...(s.voice_limit !== undefined ? { voiceLimit: s.voice_limit } : {}),
    },
  };
}

const getUser = defineAction<Config, NoInput, z.infer<typeof userOutput>>({
  name: 'getUser',
  title: 'Get the account',
  description: 'Returns the account id, name and subscription: tier, status and characters used of the limit.',
  input: noInput,
  output: userOutput,
  async run(ctx: Ctx) {
    return elevenLabsCall(() => fetchUser(ctx));
  },
});

// ---- listVoices ---------------------------------------------------------------------------------------------

const voiceAnswer = z.object({
  voice_id: z.string(),
  name: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  labels: z.record(z.string(), z.string()).nullable().optional(),
  preview_url: z.string().nullable().optional(),
});
const voicesAnswer = z.object({ voices: z.array(voiceAnswer), has_more: z.boolean(), next_page_token: z.string().nullable().optional() });
const voiceOutput = z.object({
  voiceId: z.string(),
  name: z.string().nullable(),
  category: z.string().nullable(),
  description: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  previewUrl: z.string().nullable(),
});

const voicesInput = z.object({
  search: z.string().min(1).optional().describe('Matches name, description, labels and category'),
  voiceType: z.enum(['personal', 'community', 'default', 'workspace', 'non-default', 'saved']).optional(),
  category: z.enum(['premade', 'cloned', 'generated', 'professional']).optional(),
  sort: z.enum(['name', 'created_at_unix']).optional(),
  sortDirection: z.enum(['asc', 'desc']).optional(),
  pageSize: z.number().int().min(1).max(100).optional().describe('Voices per request (ElevenLabs: at most 100, default 10)'),
  nextPageToken: z.string().min(1).optional().describe('nextPageToken from a previous answer'),
  followPages: z.boolean().default(false).describe('Keep requesting pages until the end or maxResults'),
  maxResults: z.number().int().min(1).max(5_000).default(500).describe('Stop requesting pages once this many voices are in hand'),
});
const voicesOutput = z.object({ voices: z.array(voiceOutput), hasMore: z.boolean(), nextPageToken: z.string().nullable() });

const listVoices = defineAction<Config, z.infer<typeof voicesInput>, z.infer<typeof voicesOutput>>({
  name: 'listVoices',
  title: 'List voices',
  description: 'Lists the voices the account can use (own, workspace, library and default ones), searchable and paginated.',
  input: voicesInput,
  output: voicesOutput,
  async run(ctx: Ctx, input) {
    const voices: z.infer<typeof voiceOutput>[] = [];
    let token = input.nextPageToken;
    for (;;) {
      const query = {
        page_size: input.pageSize,
        next_page_token: token,
        search: input.search,
        voice_type: input.voiceType,
        category: input.category,
        sort: input.sort,
        sort_direction: input.sortDirection,
        // The docs warn the total count costs the server time and is not needed to paginate (has_more is).
        include_total_count: false,
      };
      const page = read(voicesAnswer, (await elevenLabsCall(() => ctx.http.get('v2/voices', { query }))).data, 'the voices');
      for (const voice of page.voices) {
        voices.push({
          voiceId: voice.voice_id,
          name: voice.name ?? null,
          category: voice.category ?? null,
          description: voice.description ?? null,
          labels: voice.labels ?? {},
          previewUrl: voice.preview_url ?? null,
        });
      }
      const next = page.has_more ? (page.next_page_token ?? null) : null;
      // Pages are not cut short (the first may hold extra default voices), so the token skips nothing.
      if (!input.followPages || next === null || voices.length >= input.maxResults) return { voices, hasMore: page.has_more, nextPageToken: next };
      if (next === token) throw new ProviderError({ code: 'invalid_response', message: `${TITLE} answered the same next_page_token twice; stopped following pages` });
      token = next;
    }
  },
});

// ---- listModels ---------------------------------------------------------------------------------------------

const modelsAnswer = z.array(
  z.object({
    model_id: z.string(),
    name: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    can_do_text_to_speech: z.boolean().optional(),
    maximum_text_length_per_request: z.number().nullable().optional(),
    languages: z.array(z.object({ language_id: z.string(), name: z.string() })).nullable().optional(),
  }),
);
const modelsOutput = z.object({
  models: z.array(
    z.object({
      modelId: z.string(),
      name: z.string().nullable(),
      description: z.string().nullable(),
      canDoTextToSpeech: z.boolean(),
      maxTextLength: z.number().nullable(),
      languages: z.array(z.object({ languageId: z.string(), name: z.string() })),
    }),
  ),
});

const listModels = defineAction<Config, NoInput, z.infer<typeof modelsOutput>>({
  name: 'listModels',
  title: 'List models',
  description: 'Lists the speech models with their languages, text length limit and whether they do text-to-speech.',
  input: noInput,
  output: modelsOutput,
  async run(ctx: Ctx) {
    // Models change with ElevenLabs releases, not between calls: cached for the connector's TTL.
    const models = read(modelsAnswer, (await elevenLabsCall(() => ctx.http.get('v1/models', { cache: true }))).data, 'the models');
    return {
      models: models.map((model) => ({
        modelId: model.model_id,
        name: model.name ?? null,
        description: model.description ?? null,
        canDoTextToSpeech: model.can_do_text_to_speech ?? false,
        maxTextLength: model.maximum_text_length_per_request ?? null,
        languages: (model.languages ?? []).map((language) => ({ languageId: language.language_id, name: language.name })),
      })),
    };
  },
});

// ---- textToSpeech -------------------------------------------------------------------------------------------

/** What an audio answer is when ElevenLabs leaves out its Content-Type, by the requested format's codec. */
const CODECS: Record<string, { contentType: string; extension: string }> = {
  mp3: { contentType: 'audio/mpeg', extension: 'mp3' },
  pcm: { contentType: 'audio/pcm', extension: 'pcm' },
  wav: { contentType: 'audio/wav', extension: 'wav' },
  ulaw: { contentType: 'audio/basic', extension: 'ulaw' },
  alaw: { contentType: 'audio/x-alaw-basic', extension: 'alaw' },
  opus: { contentType: 'audio/ogg', extension: 'opus' },
};

const speechInput = z.object({
  // Voice ids are short alphanumeric strings; anything else must not reach the URL path.
  voiceId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'expected a voice id such as JBFqnCBsd6RMkjVDRZzb (see listVoices)'),
  text: z.string().min(1),
  modelId: z.string().min(1).default('eleven_multilingual_v2').describe('See listModels; the model must do text-to-speech'),
  outputFormat: z
    .string()
    .regex(/^(mp3|pcm|wav|ulaw|alaw|opus)_\d+(_\d+)?$/, 'expected codec_samplerate[_bitrate], e.g. mp3_44100_128')
    .default('mp3_44100_128')
    .describe('codec_samplerate_bitrate; mp3 at 192 kbps needs Creator, 44.1 kHz PCM needs Pro'),
  languageCode: z.string().regex(/^[a-z]{2,3}$/).optional().describe('ISO 639-1 code to enforce a language (models that support it)'),
  voiceSettings: z
    .object({
      stability: z.number().min(0).max(1).optional(),
      similarityBoost: z.number().min(0).max(1).optional(),
      style: z.number().min(0).max(1).optional(),
      useSpeakerBoost: z.boolean().optional(),
      speed: z.number().positive().optional(),
    })
    .optional()
    .describe('Overrides the voice’s stored settings for this request only'),
  seed: z.number().int().min(0).max(4_294_967_295).optional().describe('Best-effort determinism'),
});

const textToSpeech = defineAction<Config, z.infer<typeof speechInput>, BinaryOutput>({
  name: 'textToSpeech',
  title: 'Text to speech',
  description: 'Speaks a text with a voice and model and returns the audio file (MP3 by default).',
  input: speechInput,
  output: binaryOutput,
  async run(ctx: Ctx, input) {
    const settings = input.voiceSettings;
    const body = {
      text: input.text,
      model_id: input.modelId,
      ...(input.languageCode ? { language_code: input.languageCode } : {}),
      ...(settings
        ? {
            voice_settings: {
              ...(settings.stability !== undefined ? { stability: settings.stability } : {}),
              ...(settings.similarityBoost !== undefined ? { similarity_boost: settings.similarityBoost } : {}),
              ...(settings.style !== undefined ? { style: settings.style } : {}),
              ...(settings.useSpeakerBoost !== undefined ? { use_speaker_boost: settings.useSpeakerBoost } : {}),
              ...(settings.speed !== undefined ? { speed: settings.speed } : {}),
            },
          }
        : {}),
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
    };
    const answer = await elevenLabsCall(() =>
      ctx.http.post<Uint8Array>(`v1/text-to-speech/${input.voiceId}`, body, {
        query: { output_format: input.outputFormat },
        responseType: 'bytes',
        // A 429 (too many concurrent requests) or a 5xx produced no audio, so it is safe to ask again.
        retry: {},
      }),
    );
    const codec = CODECS[input.outputFormat.split('_')[0]!] ?? { contentType: 'application/octet-stream', extension: 'bin' };
    const declared = answer.headers['content-type'];
    const contentType = (Array.isArray(declared) ? declared[0] : declared)?.split(';')[0]?.trim() || codec.contentType;
    return { contentType, data: answer.data, fileName: `speech.${codec.extension}` };
  },
});

// ---- connector ----------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'elevenlabs',
  title: TITLE,
  category: 'audio',
  description: 'Generate speech audio from text with ElevenLabs voices and models, and read the account’s voices, models and quota.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#292524"/><path d="M10 7H6v10h4M6 12h3.2M13.5 7v10H18" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://elevenlabs.io/docs/api-reference/introduction',
  // No version in the base: the API serves /v1 and /v2 side by side (voices moved to /v2).
  baseUrl: 'https://api.elevenlabs.io',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From elevenlabs.io → Developers → API keys. A key restricted to some endpoints works for those; give it “User: read” to show the plan and quota.',
        placement: 'header',
        name: 'xi-api-key',
      },
    },
  },
  config,
  async checkConnection(ctx) {
    try {
      const user = await fetchUser(ctx);
      const s = user.subscription;
      return {
        ok: true,
        account: {
          id: user.userId ?? `key-${(ctx.credentials.apiKey ?? '').slice(-4)}`,
          name: user.firstName ?? user.userId ?? 'ElevenLabs account',
          details: { tier: s.tier, status: s.status, characterCount: s.characterCount, characterLimit: s.characterLimit },
        },
      };
    } catch (error) {
      // A key restricted to, say, text-to-speech is refused /v1/user with `missing_permissions`, whereas a
      // wrong key gets `invalid_api_key`: the first is a working key, which is accepted without the account
      // details it may not read.
      if (error instanceof ProviderError && error.status === 401 && statusCodeOf(error.body) === 'missing_permissions') {
        const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
        return { ok: true, account: { id: `key-${lastFour}`, name: `ElevenLabs key ••••${lastFour}`, details: { restricted: true, userRead: false } } };
      }
      return checkFailure(error);
    }
  },
  actions: [getUser, listVoices, listModels, textToSpeech],
  // No rateLimit: ElevenLabs limits concurrent requests per plan (a 429 `too_many_concurrent_requests`),
  // not requests per unit of time, and the outbound client retries those 429s with backoff.
  cacheTtlMs: 60 * 60 * 1000,
});
