// OpenAI: models, chat completions and embeddings through a project or user API key.
//
// Written from OpenAI's public API reference:
//   https://developers.openai.com/api/reference/overview   (Bearer auth, OpenAI-Organization / OpenAI-Project,
//                                                           response headers: openai-organization, x-request-id,
//                                                           x-ratelimit-*)
//   https://developers.openai.com/docs/guides/error-codes  (401 invalid key, 429 rate limit / quota, 5xx)
//   https://platform.openai.com/docs/api-reference/models/list, .../chat/create, .../embeddings/create
//
// Identity: the API has no "who am I" endpoint for ordinary keys (the Administration API needs an admin key).
// What it does say is which organisation served a request, in the `openai-organization` response header, so
// the check lists the models (proving the key works) and names the account after that header; when a proxy
// or an older deployment leaves the header out, the account is named after the key's last four characters,
// the same fragment the dashboard's masked credential shows.
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { readAnswer } from '../../sdk/provider-errors.ts';
import { checkFailure, openAiCall, TITLE } from './errors.ts';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const config = z.object({
  // Points the integration at an Azure-style proxy, a local gateway or a test double; the default is OpenAI.
  baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_BASE_URL).describe('API root; change only for a proxy or a compatible gateway'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// Responses are validated only as far as this connector reads them; extra fields OpenAI adds are ignored.
const modelList = z.object({
  data: z.array(z.object({ id: z.string(), created: z.number().optional(), owned_by: z.string().optional() })),
});

const usage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number().optional(),
  total_tokens: z.number(),
});

const chatCompletion = z.object({
  id: z.string(),
  model: z.string(),
  choices: z
    .array(
      z.object({
        index: z.number(),
        finish_reason: z.string().nullable(),
        message: z.object({ role: z.string(), content: z.string().nullable(), refusal: z.string().nullable().optional() }),
      }),
    )
    .min(1),
  usage: usage.optional(),
});

const embeddingList = z.object({
  model: z.string(),
  data: z.array(z.object({ index: z.number(), embedding: z.array(z.number()) })),
  usage: usage.optional(),
});

/** Parses a provider answer with a schema; a mismatch is OpenAI's doing, so it is reported as its error. */
const read = <T>(schema: z.ZodType<T>, data: unknown, what: string): T => readAnswer(TITLE, schema, data, what);

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() !== '' ? first.trim() : undefined;
}

const usageOutput = z.object({ promptTokens: z.number(), completionTokens: z.number().optional(), totalTokens: z.number() });
function usageOf(value: z.infer<typeof usage> | undefined): z.infer<typeof usageOutput> | undefined {
  if (!value) return undefined;
  return {
    promptTokens: value.prompt_tokens,
    ...(value.completion_tokens !== undefined ? { completionTokens: value.completion_tokens } : {}),
    totalTokens: value.total_tokens,
  };
}

// ---- listModels -------------------------------------------------------------------------------------------

const listModelsInput = z.object({});
const listModelsOutput = z.object({
  models: z.array(z.object({ id: z.string(), ownedBy: z.string().optional(), created: z.number().optional() })),
});

const listModels = defineAction<Config, z.infer<typeof listModelsInput>, z.infer<typeof listModelsOutput>>({
  name: 'listModels',
  title: 'List models',
  description: 'Lists the models the key can use, with their owner and creation time.',
  input: listModelsInput,
  output: listModelsOutput,
  async run(ctx: Ctx) {
    // The list changes when OpenAI ships a model, not between calls: cached for the connector's TTL.
    const answer = await openAiCall(() => ctx.http.get('models', { cache: true }));
    const list = read(modelList, answer.data, 'the model list');
    return {
      models: list.data.map((model) => ({
        id: model.id,
        ...(model.owned_by !== undefined ? { ownedBy: model.owned_by } : {}),
        ...(model.created !== undefined ? { created: model.created } : {}),
      })),
    };
  },
});

// ---- createChatCompletion ---------------------------------------------------------------------------------

const chatInput = z.object({
  model: z.string().min(1).describe('Model id, e.g. gpt-4o-mini (see listModels)'),
  messages: z
    .array(
      z.object({
        // `developer` replaces `system` for reasoning models; both are accepted by the API.
        role: z.enum(['developer', 'system', 'user', 'assistant']),
        content: z.string(),
        name: z.string().max(64).optional(),
      }),
    )
    .min(1),
  temperature: z.number().min(0).max(2).optional().describe('0–2; omitted means the model default'),
  maxTokens: z.number().int().positive().optional().describe('Upper bound on generated tokens, reasoning included'),
});
const chatOutput = z.object({
  id: z.string(),
  model: z.string(),
  message: z.object({ role: z.string(), content: z.string().nullable(), refusal: z.string().nullable().optional() }),
  finishReason: z.string().nullable(),
  usage: usageOutput.optional(),
});

const createChatCompletion = defineAction<Config, z.infer<typeof chatInput>, z.infer<typeof chatOutput>>({
  name: 'createChatCompletion',
  title: 'Create a chat completion',
  description: 'Sends a conversation to a chat model and returns its reply, why it stopped, and the tokens used.',
  input: chatInput,
  output: chatOutput,
  async run(ctx: Ctx, input) {
    const body = {
      model: input.model,
      messages: input.messages,
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      // `max_tokens` is deprecated and refused by reasoning models; `max_completion_tokens` works for all.
      ...(input.maxTokens !== undefined ? { max_completion_tokens: input.maxTokens } : {}),
    };
    // A completion changes nothing on OpenAI's side, and a 429 or 5xx was not served: retrying is safe
    // (OpenAI's own libraries do the same), so opt in to the outbound client's retry for this POST.
    const answer = await openAiCall(() => ctx.http.post('chat/completions', body, { retry: {} }));
    const completion = read(chatCompletion, answer.data, 'the chat completion');
    const choice = completion.choices[0]!;
    const tokens = usageOf(completion.usage);
    return {
      id: completion.id,
      model: completion.model,
      message: {
        role: choice.message.role,
        content: choice.message.content,
        ...(choice.message.refusal !== undefined ? { refusal: choice.message.refusal } : {}),
      },
      finishReason: choice.finish_reason,
      ...(tokens ? { usage: tokens } : {}),
    };
  },
});

// ---- createEmbeddings -------------------------------------------------------------------------------------

const embeddingsInput = z.object({
  model: z.string().min(1).default('text-embedding-3-small').describe('Embedding model id'),
  // The API limits an array to 2,048 inputs and refuses empty strings.
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
  dimensions: z.number().int().positive().optional().describe('Shorter vectors (text-embedding-3 models only)'),
});
const embeddingsOutput = z.object({
  model: z.string(),
  embeddings: z.array(z.array(z.number())),
  usage: usageOutput.optional(),
});

const createEmbeddings = defineAction<Config, z.infer<typeof embeddingsInput>, z.infer<typeof embeddingsOutput>>({
  name: 'createEmbeddings',
  title: 'Create embeddings',
  description: 'Turns one text or a list of texts into embedding vectors, in input order, with the tokens used.',
  input: embeddingsInput,
  output: embeddingsOutput,
  async run(ctx: Ctx, input) {
    const body = {
      model: input.model,
      input: input.input,
      // Asked for explicitly: the vectors are returned as numbers, never as base64.
      encoding_format: 'float',
      ...(input.dimensions !== undefined ? { dimensions: input.dimensions } : {}),
    };
    const answer = await openAiCall(() => ctx.http.post('embeddings', body, { retry: {} }));
    const list = read(embeddingList, answer.data, 'the embeddings');
    // `index` is authoritative: the order of `data` is not promised to match the input.
    const embeddings = [...list.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    const tokens = usageOf(list.usage);
    return { model: list.model, embeddings, ...(tokens ? { usage: tokens } : {}) };
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'openai',
  title: TITLE,
  category: 'ai',
  description: 'Chat completions, embeddings and the model list from OpenAI with a project or user API key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#0f172a"/><circle cx="12" cy="12" r="5.5" fill="none" stroke="#fff" stroke-width="2.2"/><circle cx="12" cy="12" r="1.4" fill="#fff"/></svg>',
  docsUrl: 'https://developers.openai.com/api/reference/overview',
  // Integrations stored before the setting existed have no baseUrl: they mean OpenAI itself.
  baseUrl: (settings) => settings.baseUrl ?? DEFAULT_BASE_URL,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'A project key (sk-proj-…) or a legacy user key, from platform.openai.com → API keys.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
      },
      organization: {
        label: 'Organization ID',
        description: 'Optional: org-… when the key belongs to several organizations; usage is billed to it.',
        placement: 'header',
        name: 'OpenAI-Organization',
        secret: false,
        optional: true,
      },
      project: {
        label: 'Project ID',
        description: 'Optional: proj-… when a legacy user key should act within one project.',
        placement: 'header',
        name: 'OpenAI-Project',
        secret: false,
        optional: true,
      },
    },
  },
  config,
  async checkConnection(ctx) {
    let answer;
    let models: number;
    try {
      // Never cached: a check must see a revoked key as revoked.
      answer = await ctx.http.get('models');
      models = read(modelList, answer.data, 'the model list').data.length;
    } catch (error) {
      return checkFailure(error);
    }
    const organization = header(answer.headers, 'openai-organization') ?? ctx.credentials.organization;
    const project = header(answer.headers, 'openai-project') ?? ctx.credentials.project;
    const details = { models, ...(project ? { project } : {}), ...(organization ? { organization } : {}) };
    if (organization) return { ok: true, account: { id: organization, name: organization, details } };
    const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
    return { ok: true, account: { id: `key-${lastFour}`, name: `OpenAI key ••••${lastFour}`, details } };
  },
  actions: [listModels, createChatCompletion, createEmbeddings],
  // No rateLimit: OpenAI's limits depend on the account's usage tier and the model (requests and tokens per
  // minute), so no fixed budget is right. Its 429s carry Retry-After and x-ratelimit-reset-* headers, which
  // the outbound client honours.
  cacheTtlMs: 60 * 60 * 1000,
});
