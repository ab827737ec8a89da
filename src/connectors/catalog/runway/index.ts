// Runway: image-to-video generation as tasks (start, poll, cancel) and the organization's credit balance.
//
// Written from Runway's public API reference (docs.dev.runwayml.com):
//   https://docs.dev.runwayml.com/api/                              (base https://api.dev.runwayml.com;
//                                                                    `Authorization: Bearer <key>` and a required
//                                                                    `X-Runway-Version: 2024-11-06` on every call)
//   The reference's OpenAPI description (API version 2024-11-06), for:
//                                                                   (POST /v1/image_to_video: model, promptImage
//                                                                    (https, data: or runway:// URI), promptText ≤ 1000,
//                                                                    ratio, duration, seed → { id, estimatedCost })
//   https://docs.dev.runwayml.com/api/#tag/Task-management          (GET /v1/tasks/{id}: PENDING, THROTTLED, RUNNING
//                                                                    with progress, SUCCEEDED with output URLs, FAILED
//                                                                    with failure + failureCode, CANCELLED;
//                                                                    DELETE /v1/tasks/{id} cancels or deletes, 204)
//                                                                   (GET /v1/organization: creditBalance, tier limits;
//                                                                    the X-Runway-Version parameter on every path)
//   Usage tiers (the organization answer's tier.models)              (limits are concurrent and daily generations per
//                                                                    model and tier, not a request rate; over them a task
//                                                                    waits as THROTTLED, or the create answers 429)
//   Error bodies: `{ error, issues?: [{ code, path, message }] }` (400 validation), `{ error }` otherwise.
//
// Runway has no identity endpoint: checkConnection reads GET /v1/organization (credit balance and tier).
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { firstText, providerErrors, readAnswer } from '../../sdk/provider-errors.ts';

const TITLE = 'Runway';

/** "Validation of body failed (promptText: Too big: expected string to have <=1000 characters)". */
function detail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const error = firstText(record.error);
  const issues = Array.isArray(record.issues)
    ? record.issues
        .map((issue: { path?: unknown; message?: unknown }) => {
          const message = firstText(issue?.message);
          if (!message) return undefined;
          return Array.isArray(issue.path) && issue.path.length > 0 ? `${issue.path.join('.')}: ${message}` : message;
        })
        .filter(Boolean)
        .slice(0, 3)
    : [];
  if (!error && issues.length === 0) return undefined;
  return issues.length > 0 ? `${error ?? 'Invalid request'} (${issues.join('; ')})` : error;
}

const errors = providerErrors({ title: TITLE, detail, credentialField: 'credentials.apiKey' });

/** The API versions this connector was written against; a new one is added here when its changes are read. */
const API_VERSIONS = ['2024-11-06'] as const;

const config = z.object({
  apiVersion: z.enum(API_VERSIONS).default('2024-11-06').describe('Sent as X-Runway-Version on every call'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const taskId = z.uuid('expected a task id such as 17f20503-6c24-4c16-946b-35dbbce2af2f (from imageToVideo)');

// ---- imageToVideo -----------------------------------------------------------------------------------------

const promptImage = z
  .string()
  .refine((value) => /^https:\/\/\S+$/.test(value) || /^runway:\/\/\S+$/.test(value) || /^data:image\/[a-z+.-]+;base64,/.test(value), {
    message: 'expected an https:// image URL, a runway:// upload URI or a data:image/…;base64, URI',
  })
  .refine((value) => value.length <= 5 * 1024 * 1024, { message: 'a data URI may be at most 5 MB' });

const imageToVideoInput = z.object({
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,40}$/, 'expected a Runway model id such as gen4_turbo')
    .default('gen4_turbo')
    .describe('gen4_turbo, gen4.5, veo3.1, veo3.1_fast …; the ratios and durations allowed depend on it'),
  promptImage: promptImage.describe('The first frame'),
  promptText: z.string().trim().min(1).max(1000).optional().describe('What should happen (required by some models, e.g. gen4.5)'),
  ratio: z.string().regex(/^\d{3,4}:\d{3,4}$/, 'expected width:height in pixels, e.g. 1280:720').default('1280:720'),
  duration: z.number().int().min(2).max(10).default(5).describe('Seconds; veo models take 4, 6 or 8'),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
});
const startedOutput = z.object({ taskId: z.string(), estimatedCredits: z.number().nullable() });
const startedAnswer = z.looseObject({ id: z.string(), estimatedCost: z.looseObject({ credits: z.number() }).nullable().optional() });

const imageToVideo = defineAction<Config, z.output<typeof imageToVideoInput>, z.infer<typeof startedOutput>>({
  name: 'imageToVideo',
  title: 'Image to video',
  description: 'Starts generating a video from an image and a prompt (POST /v1/image_to_video); poll getTask with the task id.',
  input: imageToVideoInput,
  output: startedOutput,
  async run(ctx: Ctx, input) {
    const body = {
      model: input.model,
      promptImage: input.promptImage,
      ...(input.promptText !== undefined ? { promptText: input.promptText } : {}),
      ratio: input.ratio,
      duration: input.duration,
      ...(input.seed !== undefined ? { seed: input.seed } : {}),
    };
    // Not retried (a POST's default): a repeated create would start, and bill, a second generation.
    const answer = await errors.call(() => ctx.http.post('v1/image_to_video', body));
    const task = readAnswer(TITLE, startedAnswer, answer.data, 'the new task');
    return { taskId: task.id, estimatedCredits: task.estimatedCost?.credits ?? null };
  },
});

// ---- getTask / cancelTask ---------------------------------------------------------------------------------

const taskAnswer = z.looseObject({
  id: z.string(),
  // Not an enum: a state Runway adds later is passed on, not refused.
  status: z.string(),
  createdAt: z.string().nullable().optional(),
  progress: z.number().nullable().optional(),
  output: z.array(z.string()).nullable().optional(),
  failure: z.string().nullable().optional(),
  failureCode: z.string().nullable().optional(),
  cost: z.looseObject({ credits: z.number() }).nullable().optional(),
  estimatedCost: z.looseObject({ credits: z.number() }).nullable().optional(),
});
const taskOutput = z.object({
  id: z.string(),
  status: z.string().describe('PENDING, THROTTLED, RUNNING, SUCCEEDED, FAILED or CANCELLED'),
  createdAt: z.string().nullable(),
  progress: z.number().nullable().describe('0 to 1 while RUNNING'),
  outputUrls: z.array(z.string()).describe('Ephemeral URLs of the result once SUCCEEDED; download them soon'),
  failure: z.string().nullable(),
  failureCode: z.string().nullable(),
  credits: z.number().nullable().describe('Charged once finished, else the estimate'),
});

const getTask = defineAction<Config, { taskId: string }, z.infer<typeof taskOutput>>({
  name: 'getTask',
  title: 'Get task status',
  description: 'A generation task’s status, progress and, once it succeeded, its output URLs (GET /v1/tasks/{id}).',
  input: z.object({ taskId }),
  output: taskOutput,
  async run(ctx: Ctx, input) {
    const answer = await errors.call(() => ctx.http.get(`v1/tasks/${input.taskId}`));
    const task = readAnswer(TITLE, taskAnswer, answer.data, 'the task');
    return {
      id: task.id,
      status: task.status,
      createdAt: task.createdAt ?? null,
      progress: task.progress ?? null,
      outputUrls: task.output ?? [],
      failure: task.failure ?? null,
      failureCode: task.failureCode ?? null,
      credits: task.cost?.credits ?? task.estimatedCost?.credits ?? null,
    };
  },
});

const cancelTask = defineAction<Config, { taskId: string }, { cancelled: true; taskId: string }>({
  name: 'cancelTask',
  title: 'Cancel a task',
  description: 'Cancels a task still pending or running, or deletes a finished one and its outputs (DELETE /v1/tasks/{id}).',
  input: z.object({ taskId }),
  output: z.object({ cancelled: z.literal(true), taskId: z.string() }),
  async run(ctx: Ctx, input) {
    await errors.call(() => ctx.http.request({ method: 'DELETE', path: `v1/tasks/${input.taskId}` }));
    return { cancelled: true, taskId: input.taskId };
  },
});

// ---- organization (also the connection check) -----------------------------------------------------------

const organizationAnswer = z.looseObject({
  creditBalance: z.number(),
  tier: z.looseObject({
    maxMonthlyCreditSpend: z.number(),
    models: z.record(z.string(), z.looseObject({ maxConcurrentGenerations: z.number(), maxDailyGenerations: z.number() })),
  }),
  usage: z.looseObject({ models: z.record(z.string(), z.looseObject({ dailyGenerations: z.number() })) }).optional(),
});
const organizationOutput = z.object({
  creditBalance: z.number(),
  maxMonthlyCreditSpend: z.number(),
  models: z.array(z.object({ model: z.string(), maxConcurrentGenerations: z.number(), maxDailyGenerations: z.number(), dailyGenerations: z.number() })),
});

async function fetchOrganization(ctx: Ctx): Promise<z.infer<typeof organizationOutput>> {
  const org = readAnswer(TITLE, organizationAnswer, (await ctx.http.get('v1/organization')).data, 'the organization');
  return {
    creditBalance: org.creditBalance,
    maxMonthlyCreditSpend: org.tier.maxMonthlyCreditSpend,
    models: Object.entries(org.tier.models)
      .map(([model, limits]) => ({
        model,
        maxConcurrentGenerations: limits.maxConcurrentGenerations,
        maxDailyGenerations: limits.maxDailyGenerations,
        dailyGenerations: org.usage?.models[model]?.dailyGenerations ?? 0,
      }))
      .sort((a, b) => a.model.localeCompare(b.model)),
  };
}

const getOrganization = defineAction<Config, Record<string, never>, z.infer<typeof organizationOutput>>({
  name: 'getOrganization',
  title: 'Get credits and limits',
  description: 'The credit balance, the monthly spend cap and, per model, the concurrent and daily generation limits and today’s use (GET /v1/organization).',
  input: z.object({}),
  output: organizationOutput,
  async run(ctx: Ctx) {
    return errors.call(() => fetchOrganization(ctx));
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'runway',
  title: TITLE,
  category: 'video',
  description:
    'Generate videos from an image and a prompt with Runway’s API, follow or cancel the tasks, and read the credit balance. Runway has no identity endpoint: the connection check reads the organization’s credits and tier.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#000"/><path d="M7 17V7h5.5a3 3 0 0 1 0 6H7m5-0 4.5 4" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://docs.dev.runwayml.com/api/',
  baseUrl: 'https://api.dev.runwayml.com',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API secret',
        description: 'From dev.runwayml.com → your organization → API keys (shown once).',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
      },
    },
  },
  // The version header belongs on every call, the raw proxy's included, so it is set with the credential.
  authenticate({ headers }, c, credential) {
    if (credential.apiKey) headers.authorization = `Bearer ${credential.apiKey}`;
    headers['x-runway-version'] = c.apiVersion;
  },
  config,
  async checkConnection(ctx) {
    try {
      const org = await fetchOrganization(ctx);
      const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
      return {
        ok: true,
        account: {
          id: `key-${lastFour}`,
          name: `Runway organization (key ••••${lastFour})`,
          details: { creditBalance: org.creditBalance, maxMonthlyCreditSpend: org.maxMonthlyCreditSpend, models: org.models.length },
        },
      };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [imageToVideo, getTask, cancelTask, getOrganization],
  // No rateLimit: Runway limits concurrent and daily generations per model and tier (a queued task shows
  // THROTTLED, an over-limit create answers 429), not requests per unit of time.
});
