// PlayHT: text-to-speech jobs. Lists prebuilt and cloned voices, creates an asynchronous TTS job, follows
// it, and downloads its MP3.
//
// Written from PlayHT's public API reference (API v2):
//   https://docs.play.ht/reference/api-getting-started              (two headers: AUTHORIZATION with the secret key,
//                                                                     X-USER-ID with the user id)
//   https://docs.play.ht/v2.1/reference/api-step-by-step-generate-your-first-audio
//                                                                    (`AUTHORIZATION: Bearer <key>`, voice + voice_engine)
//   The reference's voice pages and PlayHT's own Node SDK (playht/playht-nodejs-sdk):
//                                                                    GET /api/v2/voices (id, name, sample, accent,
//                                                                     age, gender, language, language_code, style,
//                                                                     voice_engine), GET /api/v2/cloned-voices (id, name)
//   "Generate audio from text" (same reference)                     (POST /api/v2/tts with accept: application/json →
//                                                                     201, the job: id, created, input, output null
//                                                                     until done; jobs are kept 48 hours)
//   https://docs.play.ht/reference/api-get-tts-data                 (GET /api/v2/tts/{id}: the job as JSON, or with
//                                                                     ?format=audio-mpeg the MP3 itself, 406 when the
//                                                                     job did not make an MP3)
//   https://docs.play.ht/reference/api-rate-limits                  (per-plan requests and characters per minute; a
//                                                                     429 clears within a minute)
//   Error bodies: `{ error_message, error_id }` (PlayHT's own SDK reads error_message).
//
// PlayHT has no "who am I" endpoint: the user id the credential carries is the account; checkConnection proves
// the pair by listing the account's cloned voices (a small, account-specific read). Third-party migration
// notes report that PlayHT ended its API on 31 December 2025; if so, the check fails with PlayHT's answer.
import { z } from 'zod';
import { binaryOutput, defineAction, defineConnector, type BinaryOutput, type ConnectorContext } from '../../sdk/define.ts';
import { firstText, providerErrors, readAnswer } from '../../sdk/provider-errors.ts';

const TITLE = 'PlayHT';
const errors = providerErrors({
  title: TITLE,
  detail(body) {
    if (!body || typeof body !== 'object') return undefined;
    const { error_message: message, error_id: id } = body as Record<string, unknown>;
    const text = firstText(message);
    if (!text) return undefined;
    const code = firstText(id);
    return code ? `${code}: ${text}` : text;
  },
  credentialField: 'credentials.apiKey',
});

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// Job ids are short alphanumeric tokens (f0gZrOKBKL7veJ6o1M); anything else must not reach the URL path.
const jobId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'expected a job id such as f0gZrOKBKL7veJ6o1M (from createTtsJob)');

// ---- voices -------------------------------------------------------------------------------------------------

const prebuiltVoice = z.looseObject({
  id: z.string(),
  name: z.string(),
  sample: z.string().nullable().optional(),
  accent: z.string().nullable().optional(),
  age: z.string().nullable().optional(),
  gender: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  language_code: z.string().nullable().optional(),
  style: z.string().nullable().optional(),
  voice_engine: z.string().nullable().optional(),
});
const clonedVoice = z.looseObject({ id: z.string(), name: z.string(), type: z.string().nullable().optional(), gender: z.string().nullable().optional(), voice_engine: z.string().nullable().optional() });
const voiceOutput = z.object({
  id: z.string().describe('Pass as voice to createTtsJob'),
  name: z.string(),
  cloned: z.boolean(),
  language: z.string().nullable(),
  languageCode: z.string().nullable(),
  gender: z.string().nullable(),
  accent: z.string().nullable(),
  age: z.string().nullable(),
  style: z.string().nullable(),
  voiceEngine: z.string().nullable(),
  sampleUrl: z.string().nullable(),
});
type VoiceOutput = z.infer<typeof voiceOutput>;

async function fetchCloned(ctx: Ctx): Promise<VoiceOutput[]> {
  const voices = readAnswer(TITLE, z.array(clonedVoice), (await ctx.http.get('cloned-voices')).data, 'the cloned voices');
  return voices.map((v) => ({
    id: v.id,
    name: v.name,
    cloned: true,
    language: null,
    languageCode: null,
    gender: v.gender ?? null,
    accent: null,
    age: null,
    style: null,
    voiceEngine: v.voice_engine ?? null,
    sampleUrl: null,
  }));
}

const listVoicesInput = z.object({
  includeCloned: z.boolean().default(true).describe('Also list the account’s cloned voices'),
  languageCode: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'expected a language code such as en-US').optional().describe('Only prebuilt voices of this language'),
  voiceEngine: z.string().min(1).max(60).optional().describe('Only voices of this engine, e.g. Play3.0-mini'),
});
const listVoicesOutput = z.object({ voices: z.array(voiceOutput) });

const listVoices = defineAction<Config, z.output<typeof listVoicesInput>, z.infer<typeof listVoicesOutput>>({
  name: 'listVoices',
  title: 'List voices',
  description: 'PlayHT’s prebuilt voices (GET /api/v2/voices, cached an hour) and the account’s cloned voices (GET /api/v2/cloned-voices).',
  input: listVoicesInput,
  output: listVoicesOutput,
  async run(ctx: Ctx, input) {
    const prebuilt = readAnswer(TITLE, z.array(prebuiltVoice), (await errors.call(() => ctx.http.get('voices', { cache: true }))).data, 'the voices');
    const voices: VoiceOutput[] = prebuilt.map((v) => ({
      id: v.id,
      name: v.name,
      cloned: false,
      language: v.language ?? null,
      languageCode: v.language_code ?? null,
      gender: v.gender ?? null,
      accent: v.accent ?? null,
      age: v.age ?? null,
      style: v.style ?? null,
      voiceEngine: v.voice_engine ?? null,
      sampleUrl: v.sample ?? null,
    }));
    if (input.includeCloned) voices.push(...(await errors.call(() => fetchCloned(ctx))));
    return {
      voices: voices
        .filter((v) => !input.languageCode || v.languageCode === input.languageCode)
        .filter((v) => !input.voiceEngine || v.voiceEngine === input.voiceEngine),
    };
  },
});

// ---- TTS jobs -----------------------------------------------------------------------------------------------

const jobAnswer = z.looseObject({
  id: z.string(),
  created: z.string().nullable().optional(),
  output: z.looseObject({ duration: z.number().nullable().optional(), size: z.number().nullable().optional(), url: z.string() }).nullable().optional(),
  error: z.unknown().optional(),
});
const jobOutput = z.object({
  id: z.string(),
  createdAt: z.string().nullable(),
  state: z.enum(['pending', 'completed', 'failed']).describe('completed once the audio URL is there'),
  audioUrl: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  sizeBytes: z.number().nullable(),
  error: z.string().nullable(),
});
type JobOutput = z.infer<typeof jobOutput>;

function toJob(job: z.infer<typeof jobAnswer>): JobOutput {
  const failure =
    job.error === undefined || job.error === null
      ? null
      : typeof job.error === 'string'
        ? job.error
        : (firstText((job.error as Record<string, unknown>).error_message, (job.error as Record<string, unknown>).message) ?? JSON.stringify(job.error).slice(0, 300));
  return {
    id: job.id,
    createdAt: job.created ?? null,
    state: job.output?.url ? 'completed' : failure ? 'failed' : 'pending',
    audioUrl: job.output?.url ?? null,
    durationSeconds: job.output?.duration ?? null,
    sizeBytes: job.output?.size ?? null,
    error: failure,
  };
}

const createJobInput = z.object({
  text: z.string().trim().min(1).max(20_000),
  voice: z.string().min(1).max(500).describe('A voice id from listVoices, e.g. s3://voice-cloning-zero-shot/…/manifest.json'),
  voiceEngine: z.string().regex(/^[A-Za-z0-9.-]{2,40}$/, 'expected an engine such as Play3.0-mini or PlayHT2.0').default('Play3.0-mini'),
  outputFormat: z.enum(['mp3', 'wav', 'ogg', 'flac', 'mulaw']).default('mp3').describe('getTtsAudio downloads mp3 jobs'),
  quality: z.enum(['draft', 'low', 'medium', 'high', 'premium']).optional(),
  speed: z.number().min(0.1).max(5).optional(),
  sampleRate: z.number().int().min(8000).max(48000).optional(),
  seed: z.number().int().min(0).optional(),
  temperature: z.number().min(0).max(2).optional(),
});

const createTtsJob = defineAction<Config, z.output<typeof createJobInput>, JobOutput>({
  name: 'createTtsJob',
  title: 'Create a TTS job',
  description: 'Starts converting a text to speech with a voice (POST /api/v2/tts); poll getTtsJob, then download with getTtsAudio. Jobs are kept 48 hours.',
  input: createJobInput,
  output: jobOutput,
  async run(ctx: Ctx, input) {
    const body = {
      text: input.text,
      voice: input.voice,
      voice_engine: input.voiceEngine,
      output_format: input.outputFormat,
      ...(input.quality !== undefined ? { quality: input.quality } : {}),
      ...(input.speed !== undefined ? { speed: input.speed } : {}),
      ...(input.sampleRate !== undefined ? { sample_rate: input.sampleRate } : {}),
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    };
    // accept: application/json (the client's default) asks for the job as JSON rather than an event stream.
    // Not retried: a repeated POST would create, and bill, a second job.
    const answer = await errors.call(() => ctx.http.post('tts', body));
    return toJob(readAnswer(TITLE, jobAnswer, answer.data, 'the new job'));
  },
});

const getTtsJob = defineAction<Config, { jobId: string }, JobOutput>({
  name: 'getTtsJob',
  title: 'Get TTS job status',
  description: 'A TTS job’s state and, once completed, its audio URL, duration and size (GET /api/v2/tts/{id}).',
  input: z.object({ jobId }),
  output: jobOutput,
  async run(ctx: Ctx, input) {
    return toJob(readAnswer(TITLE, jobAnswer, (await errors.call(() => ctx.http.get(`tts/${input.jobId}`))).data, 'the job'));
  },
});

const getTtsAudio = defineAction<Config, { jobId: string }, BinaryOutput>({
  name: 'getTtsAudio',
  title: 'Download TTS audio',
  description: 'The MP3 of a completed job (GET /api/v2/tts/{id}?format=audio-mpeg); PlayHT answers 406 for jobs made in another format.',
  input: z.object({ jobId }),
  output: binaryOutput,
  async run(ctx: Ctx, input) {
    const answer = await errors.call(() =>
      ctx.http.get<Uint8Array>(`tts/${input.jobId}`, { query: { format: 'audio-mpeg' }, headers: { accept: 'audio/mpeg' }, responseType: 'bytes' }),
    );
    return { contentType: 'audio/mpeg', data: answer.data, fileName: `${input.jobId}.mp3` };
  },
});

// ---- connector ----------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'playht',
  title: TITLE,
  category: 'audio',
  description:
    'Generate speech with PlayHT voices as asynchronous jobs, follow them and download the MP3. PlayHT has no identity endpoint: the user id is the account, proven by listing its cloned voices. Reported end of service: 31 December 2025.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#1e40af"/><path d="M9 7.5v9l7.5-4.5z" fill="#fff" stroke="#fff" stroke-width="1.2" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://docs.play.ht/reference/api-getting-started',
  baseUrl: 'https://api.play.ht/api/v2',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'Secret key', description: 'From play.ht → API access.', placement: 'header', name: 'AUTHORIZATION', prefix: 'Bearer ' },
      userId: {
        label: 'User ID',
        description: 'Shown beside the secret key on the API access page.',
        placement: 'header',
        name: 'X-USER-ID',
        secret: false,
        pattern: { regex: /^[A-Za-z0-9_-]{4,64}$/, message: 'expected the user id exactly as PlayHT shows it' },
      },
    },
  },
  config,
  async checkConnection(ctx) {
    try {
      const cloned = await fetchCloned(ctx);
      const userId = ctx.credentials.userId ?? 'unknown';
      return { ok: true, account: { id: userId, name: `PlayHT user ${userId}`, details: { clonedVoices: cloned.length } } };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [listVoices, createTtsJob, getTtsJob, getTtsAudio],
  // No rateLimit: PlayHT's limits depend on the plan (requests and characters per minute); its 429s clear
  // within a minute and are retried for reads and reported with the wait otherwise.
  cacheTtlMs: 60 * 60 * 1000,
});
