// D-ID: talking-head videos. Talks animate a photo (any portrait URL); clips animate one of D-ID's
// premium presenters. Both are rendered asynchronously and polled by id; credits say what is left.
//
// Written from D-ID's public API reference:
//   https://docs.d-id.com/docs/api-keys            (the Studio key is API_USER:API_PASSWORD, sent as
//                                                   `Authorization: Basic <key>` as shown, not re-encoded)
//   https://docs.d-id.com/reference/createtalk      (POST /talks: source_url + script (text with a TTS provider,
//                                                   or audio_url), config, webhook; 201 { id, status: created })
//   The same "Videos Endpoints" OpenAPI definition, embedded in each reference page, for:
//     GET /talks/{id}   (status created / started / done / error / rejected, result_url when done)
//     POST /clips       (presenter_id, driver_id, script, background) and GET /clips/{id}
//     GET /credits      (owner_id per credit grant, remaining, total)
//     errors            (JsonError { kind, description, details }: AuthorizationError 401,
//                       InsufficientCreditsError 402, ValidationError / BadRequestError 400, NotFoundError 404)
//   https://docs.d-id.com/discuss (support threads: the API gateway answers a malformed key with { message })
//
// D-ID has no "who am I" endpoint: checkConnection reads GET /credits, whose grants carry the owner id.
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { firstText, providerErrors, readAnswer } from '../../sdk/provider-errors.ts';

const TITLE = 'D-ID';

/** "ValidationError: validation failed (body.script: 'script' is required)" from a JsonError body. */
function detail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const kind = firstText(record.kind);
  const description = firstText(record.description);
  let fields = '';
  if (record.details && typeof record.details === 'object' && !Array.isArray(record.details)) {
    const issues = Object.entries(record.details as Record<string, unknown>)
      .map(([field, value]) => {
        const message = value && typeof value === 'object' ? firstText((value as Record<string, unknown>).message) : firstText(value);
        return message ? `${field}: ${message}` : undefined;
      })
      .filter(Boolean)
      .slice(0, 3);
    if (issues.length > 0) fields = ` (${issues.join('; ')})`;
  }
  if (kind || description) return `${[kind, description].filter(Boolean).join(': ')}${fields}`;
  // The API gateway in front of D-ID answers a malformed Authorization header itself.
  return firstText(record.message, record.Message);
}

const errors = providerErrors({ title: TITLE, detail, credentialField: 'credentials.apiKey' });

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// ---- shared shapes ------------------------------------------------------------------------------------------

// Ids are short tokens such as tlk_AbCs-xcz or clp_x8Yh3; anything else must not reach the URL path.
const resourceId = (example: string) => z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, `expected an id such as ${example}`);
const httpsUrl = z.url({ protocol: /^https$/ });

const script = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    input: z.string().trim().min(1).max(40_000).describe('What the avatar says'),
    voiceId: z.string().min(1).max(200).default('en-US-JennyNeural').describe('A Microsoft Azure voice id (D-ID’s default TTS provider)'),
    ssml: z.boolean().optional().describe('The input is SSML'),
  }),
  z.object({
    type: z.literal('audio'),
    audioUrl: httpsUrl.describe('An HTTPS URL of an audio file for the avatar to lip-sync'),
  }),
]);
type Script = z.infer<typeof script>;

function scriptBody(s: Script): Record<string, unknown> {
  if (s.type === 'audio') return { type: 'audio', audio_url: s.audioUrl };
  return { type: 'text', input: s.input, provider: { type: 'microsoft', voice_id: s.voiceId }, ...(s.ssml !== undefined ? { ssml: s.ssml } : {}) };
}

const created = z.looseObject({ id: z.string(), status: z.string(), created_at: z.string().nullable().optional() });
const createdOutput = z.object({ id: z.string(), status: z.string(), createdAt: z.string().nullable() });
type CreatedOutput = z.infer<typeof createdOutput>;

const renderAnswer = z.looseObject({
  id: z.string(),
  // created, started, done, error or rejected; not an enum so a new state is passed on, not refused.
  status: z.string(),
  result_url: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  started_at: z.string().nullable().optional(),
  modified_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  duration: z.number().nullable().optional(),
  error: z.unknown().optional(),
});
const renderOutput = z.object({
  id: z.string(),
  status: z.string().describe('created, started, done, error or rejected'),
  resultUrl: z.string().nullable().describe('The MP4 once status is done'),
  createdAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  error: z.string().nullable(),
});
type RenderOutput = z.infer<typeof renderOutput>;

function toRender(answer: z.infer<typeof renderAnswer>): RenderOutput {
  const failure = answer.error === undefined || answer.error === null ? null : (detail(answer.error) ?? JSON.stringify(answer.error).slice(0, 300));
  return {
    id: answer.id,
    status: answer.status,
    resultUrl: answer.result_url ?? null,
    createdAt: answer.created_at ?? null,
    startedAt: answer.started_at ?? null,
    finishedAt: answer.completed_at ?? (answer.status === 'done' ? (answer.modified_at ?? null) : null),
    durationSeconds: answer.duration ?? null,
    error: failure,
  };
}

const common = {
  webhook: httpsUrl.optional().describe('D-ID POSTs the finished render here'),
  name: z.string().max(200).optional(),
  resultFormat: z.enum(['mp4', 'mov', 'webm']).optional().describe('mov and webm keep transparency where supported'),
};

// ---- talks --------------------------------------------------------------------------------------------------

const createTalkInput = z.object({
  sourceUrl: z
    .string()
    .regex(/^https:\/\/\S+\.(jpe?g|png)(\?\S*)?$/i, 'expected an HTTPS URL of a .jpg or .png portrait')
    .describe('The photo to animate'),
  script,
  stitch: z.boolean().optional().describe('Paste the animated face back into the full photo'),
  ...common,
  resultFormat: z.enum(['mp4', 'mov']).optional(),
});

const createTalk = defineAction<Config, z.output<typeof createTalkInput>, CreatedOutput>({
  name: 'createTalk',
  title: 'Create a talk',
  description: 'Starts animating a portrait photo speaking a text or an audio file (POST /talks); poll getTalk with the id it returns.',
  input: createTalkInput,
  output: createdOutput,
  async run(ctx: Ctx, input) {
    const configBody = { ...(input.stitch !== undefined ? { stitch: input.stitch } : {}), ...(input.resultFormat ? { result_format: input.resultFormat } : {}) };
    const body = {
      source_url: input.sourceUrl,
      script: scriptBody(input.script),
      ...(Object.keys(configBody).length > 0 ? { config: configBody } : {}),
      ...(input.webhook ? { webhook: input.webhook } : {}),
      ...(input.name ? { name: input.name } : {}),
    };
    // Not retried (a POST's default): a repeated render would spend credits twice.
    const answer = readAnswer(TITLE, created, (await errors.call(() => ctx.http.post('talks', body))).data, 'the new talk');
    return { id: answer.id, status: answer.status, createdAt: answer.created_at ?? null };
  },
});

const getTalk = defineAction<Config, { talkId: string }, RenderOutput>({
  name: 'getTalk',
  title: 'Get talk status',
  description: 'A talk’s status and, once done, the video URL (GET /talks/{id}).',
  input: z.object({ talkId: resourceId('tlk_AbCs-xcz') }),
  output: renderOutput,
  async run(ctx: Ctx, input) {
    return toRender(readAnswer(TITLE, renderAnswer, (await errors.call(() => ctx.http.get(`talks/${input.talkId}`))).data, 'the talk'));
  },
});

// ---- clips --------------------------------------------------------------------------------------------------

const createClipInput = z.object({
  presenterId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a presenter id such as amy-jcwCkr1grs').describe('A premium presenter (GET /clips/presenters)'),
  driverId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional().describe('The presenter’s movement; its default when omitted'),
  script,
  backgroundColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'expected a 6-digit CSS colour such as #47ffff').optional(),
  ...common,
});

const createClip = defineAction<Config, z.output<typeof createClipInput>, CreatedOutput>({
  name: 'createClip',
  title: 'Create a clip',
  description: 'Starts rendering a premium presenter speaking a text or an audio file (POST /clips); poll getClip with the id it returns.',
  input: createClipInput,
  output: createdOutput,
  async run(ctx: Ctx, input) {
    const body = {
      presenter_id: input.presenterId,
      ...(input.driverId ? { driver_id: input.driverId } : {}),
      script: scriptBody(input.script),
      ...(input.backgroundColor ? { background: { color: input.backgroundColor } } : {}),
      ...(input.resultFormat ? { config: { result_format: input.resultFormat } } : {}),
      ...(input.webhook ? { webhook: input.webhook } : {}),
      ...(input.name ? { name: input.name } : {}),
    };
    const answer = readAnswer(TITLE, created, (await errors.call(() => ctx.http.post('clips', body))).data, 'the new clip');
    return { id: answer.id, status: answer.status, createdAt: answer.created_at ?? null };
  },
});

const getClip = defineAction<Config, { clipId: string }, RenderOutput>({
  name: 'getClip',
  title: 'Get clip status',
  description: 'A clip’s status and, once done, the video URL (GET /clips/{id}).',
  input: z.object({ clipId: resourceId('clp_x8Yh3kQ2') }),
  output: renderOutput,
  async run(ctx: Ctx, input) {
    return toRender(readAnswer(TITLE, renderAnswer, (await errors.call(() => ctx.http.get(`clips/${input.clipId}`))).data, 'the clip'));
  },
});

// ---- credits (also the connection check) --------------------------------------------------------------------

const creditsAnswer = z.looseObject({
  credits: z.array(
    z.looseObject({
      owner_id: z.string(),
      remaining: z.number(),
      total: z.number(),
      expire_at: z.string().nullable().optional(),
      plan_group: z.string().nullable().optional(),
    }),
  ),
  remaining: z.number(),
  total: z.number(),
});
const creditsOutput = z.object({
  remaining: z.number(),
  total: z.number(),
  grants: z.array(z.object({ remaining: z.number(), total: z.number(), expiresAt: z.string().nullable(), planGroup: z.string().nullable() })),
});

async function fetchCredits(ctx: Ctx) {
  return readAnswer(TITLE, creditsAnswer, (await ctx.http.get('credits')).data, 'the credits');
}

const getCredits = defineAction<Config, Record<string, never>, z.infer<typeof creditsOutput>>({
  name: 'getCredits',
  title: 'Get credits',
  description: 'Credits remaining and granted, in total and per grant with its expiry (GET /credits).',
  input: z.object({}),
  output: creditsOutput,
  async run(ctx: Ctx) {
    const answer = await errors.call(() => fetchCredits(ctx));
    return {
      remaining: answer.remaining,
      total: answer.total,
      grants: answer.credits.map((grant) => ({ remaining: grant.remaining, total: grant.total, expiresAt: grant.expire_at ?? null, planGroup: grant.plan_group ?? null })),
    };
  },
});

// ---- connector ----------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'd-id',
  title: TITLE,
  category: 'video',
  description:
    'Create talking-head videos with D-ID: talks animate a portrait photo, clips a premium presenter; follow their rendering and read the credits left. D-ID has no identity endpoint: the connection check reads the credits, whose owner id names the account.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#111827"/><path d="M5.5 7h3a5 5 0 0 1 0 10h-3zM12.5 12h2.5M18 7v10" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://docs.d-id.com/reference/get-started',
  baseUrl: 'https://api.d-id.com',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From studio.d-id.com → Account settings → Generate API key: API_USER:API_PASSWORD, pasted as shown.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Basic ',
        pattern: { regex: /^[^\s:]+:[^\s:]+$/, message: 'expected the key as D-ID shows it, API_USER:API_PASSWORD (one colon, no spaces)' },
      },
    },
  },
  config,
  async checkConnection(ctx) {
    try {
      const credits = await fetchCredits(ctx);
      const owner = credits.credits[0]?.owner_id;
      const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
      return {
        ok: true,
        account: {
          id: owner ?? `key-${lastFour}`,
          name: owner ? `D-ID account ${owner}` : `D-ID key ••••${lastFour}`,
          details: { creditsRemaining: credits.remaining, creditsTotal: credits.total },
        },
      };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [createTalk, getTalk, createClip, getClip, getCredits],
  // No rateLimit: D-ID documents credits and concurrent renders per plan, not a request rate; its 429s are
  // retried by the outbound client for reads and reported with their Retry-After otherwise.
});
