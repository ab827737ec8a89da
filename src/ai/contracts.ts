// Request and response shapes of the /api/v1/ai routes, shared by the server, the tests and the dashboard.
import { z } from 'zod';

const usage = z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedTokens: z.number(), reasoningTokens: z.number() });

export const completionRequest = z
  .object({
    taskType: z.string().regex(/^[\w.:-]{1,64}$/).optional().describe('Selects the route of that name (else `default`) and labels the usage'),
    model: z.string().min(1).optional().describe('Overrides the route: `route:<name>` or a concrete model'),
    prompt: z.string().min(1).optional(),
    system: z.string().optional(),
    messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    responseSchema: z.record(z.string(), z.unknown()).optional().describe('A JSON Schema the answer must match (seed 001 generateStructuredOutput)'),
    schemaName: z.string().regex(/^[\w-]{1,64}$/).default('answer'),
  })
  .refine((value) => value.prompt !== undefined || value.messages !== undefined, { message: 'send a prompt or messages', path: ['prompt'] });

export const completionResponse = z.object({
  requestId: z.string(),
  text: z.string().nullable(),
  json: z.unknown().optional(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
  finishReason: z.string(),
  provider: z.string(),
  model: z.string(),
  route: z.string(),
  taskType: z.string(),
  attempts: z.number(),
  fallbackReason: z.string().nullable(),
  usage,
  costUsd: z.number().describe('Every attempt of this call, fallbacks included; unpriced models count nothing'),
});

export const breakerView = z.object({ model: z.string(), state: z.enum(['closed', 'open', 'half-open']), consecutiveFailures: z.number(), openedAt: z.string().nullable() });

export const providerView = z.object({
  id: z.string(),
  title: z.string(),
  defaultModels: z.object({ chat: z.string(), embeddings: z.string().optional(), images: z.string().optional() }),
  health: z.enum(['healthy', 'degraded', 'down', 'cooling_down', 'unknown', 'unconfigured']),
  integrations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      cooldown: z.object({ reason: z.string(), until: z.string(), message: z.string() }).nullable(),
    }),
  ),
  window: z.string().describe('The period the figures cover'),
  attempts: z.number(),
  errorRate: z.number().nullable(),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  lastError: z.object({ at: z.string(), model: z.string(), class: z.string().nullable(), message: z.string().nullable() }).nullable(),
  breakers: z.array(breakerView),
});

export const routeTarget = z.object({
  provider: z.string().min(1),
  model: z.string().min(1).max(200),
  integrationId: z.uuid().optional(),
  weight: z.number().min(0).max(1000).optional(),
});

export const routeView = z.object({
  name: z.string(),
  kind: z.enum(['chat', 'embeddings', 'images']),
  targets: z.array(routeTarget),
  timeoutMs: z.number(),
  attemptTimeoutMs: z.number(),
  firstTokenTimeoutMs: z.number(),
  retries: z.number(),
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
});

/** A provider a route can name, with the kinds it serves and the workspace's integrations of it. */
export const providerChoice = z.object({
  id: z.string(),
  title: z.string(),
  defaultModels: z.object({ chat: z.string(), embeddings: z.string().optional(), images: z.string().optional() }),
  kinds: z.array(z.enum(['chat', 'embeddings', 'images'])),
  integrations: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
});

export const routeInput = z.object({
  kind: z.enum(['chat', 'embeddings', 'images']).default('chat'),
  targets: z.array(routeTarget).max(20),
  timeoutMs: z.number().int().min(100).max(600_000).optional().describe('The whole call, fallbacks included (default 60 s)'),
  attemptTimeoutMs: z.number().int().min(50).max(600_000).optional().describe('One attempt that is not streamed (default 30 s)'),
  firstTokenTimeoutMs: z.number().int().min(50).max(600_000).optional().describe('A stream’s first token (default 20 s)'),
  retries: z.number().int().min(0).max(5).optional(),
});

const limitPair = z.object({ used: z.number(), reserved: z.number(), limit: z.number().nullable() });
const periodView = z.object({ key: z.string(), resetsAt: z.string(), tokens: limitPair, costUsd: limitPair });

export const quotaSettingsView = z.object({
  dailyTokens: z.number().int().positive().nullable(),
  monthlyTokens: z.number().int().positive().nullable(),
  dailyCostUsd: z.number().positive().nullable(),
  monthlyCostUsd: z.number().positive().nullable(),
  requestsPerMinute: z.number().int().positive().nullable(),
  tokensPerMinute: z.number().int().positive().nullable(),
  warnPercent: z.number().int().min(1).max(100),
});

export const quotaView = z.object({
  workspaceId: z.string(),
  settings: quotaSettingsView,
  day: periodView,
  month: periodView,
});

export const USAGE_GROUPS = ['provider', 'model', 'day', 'taskType'] as const;

export const usageRow = z.object({
  key: z.string(),
  attempts: z.number(),
  failures: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
  /** Per billing currency (GLM bills in CNY). */
  cost: z.array(z.object({ currency: z.string(), amount: z.number() })),
  unpriced: z.number().describe('Attempts whose model has no price: their cost is not included'),
  avgLatencyMs: z.number().nullable(),
});

export const usageView = z.object({
  workspaceId: z.string(),
  groupBy: z.enum(USAGE_GROUPS),
  from: z.string(),
  to: z.string(),
  items: z.array(usageRow),
  totals: usageRow,
});

export const attemptView = z.object({
  id: z.string(),
  requestId: z.string(),
  attempt: z.number(),
  route: z.string(),
  taskType: z.string(),
  kind: z.string(),
  provider: z.string(),
  model: z.string(),
  streamed: z.boolean(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  reasoningTokens: z.number(),
  images: z.number().describe('Images generated (image generation is priced per image)'),
  cost: z.number().nullable(),
  currency: z.string().nullable(),
  costUsd: z.number().nullable(),
  latencyMs: z.number(),
  firstTokenMs: z.number().nullable(),
  success: z.boolean(),
  incomplete: z.boolean(),
  estimated: z.boolean(),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  fallbackReason: z.string().nullable(),
  createdAt: z.string(),
});

export const estimateRequest = z
  .object({
    kind: z.enum(['chat', 'embeddings']).default('chat'),
    taskType: z.string().regex(/^[\w.:-]{1,64}$/).optional(),
    model: z.string().min(1).optional(),
    prompt: z.string().optional(),
    system: z.string().optional(),
    messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'tool']), content: z.string() })).optional(),
    input: z.union([z.string(), z.array(z.string())]).optional().describe('Texts to embed (kind embeddings)'),
    maxTokens: z.number().int().positive().optional(),
  })
  .refine((value) => value.prompt !== undefined || value.messages !== undefined || value.input !== undefined, { message: 'send a prompt, messages or input', path: ['prompt'] });

export const estimateView = z.object({
  route: z.string(),
  promptTokens: z.number(),
  expectedOutputTokens: z.number().describe('maxTokens when given, else a typical answer length'),
  targets: z.array(
    z.object({
      provider: z.string(),
      model: z.string(),
      priced: z.boolean(),
      currency: z.string().nullable(),
      priceVersion: z.string(),
      maxOutputTokens: z.number(),
      expectedCost: z.number().nullable(),
      worstCaseCost: z.number().nullable(),
      expectedCostUsd: z.number().nullable(),
      worstCaseCostUsd: z.number().nullable(),
      available: z.boolean().describe('Whether this target would be tried now (connected, able to serve the request)'),
    }),
  ),
  expectedCostUsd: z.number().nullable().describe('Of the first target that would be tried'),
});
