// Mistral as an AI router provider: the OpenAI dialect at /v1, with `max_tokens`, `tool_choice: any`,
// usage in every stream without being asked, native JSON Schema output and mistral-embed.
import { defineAiProvider, type ModelInfo } from '../../../ai/providers/sdk.ts';
import { chatBody, classifyOpenAiError, createStreamParser, embeddingsBody, parseChat, parseEmbeddings, wire, type DialectOptions } from '../openai/wire.ts';

export const TITLE = 'Mistral';

const DIALECT: DialectOptions = {
  title: TITLE,
  maxTokensField: 'max_tokens',
  streamUsageOption: false,
  requiredToolChoice: 'any',
  jsonSchema: true,
  embeddingsEncodingFormat: false,
};

const MODELS: Record<string, Partial<ModelInfo>> = {
  'mistral-large-latest': { contextTokens: 128_000, vision: true },
  'mistral-medium-latest': { contextTokens: 128_000, vision: true },
  'mistral-small-latest': { contextTokens: 128_000, vision: true },
  'ministral-8b-latest': { contextTokens: 128_000 },
  'ministral-3b-latest': { contextTokens: 128_000 },
  'open-mistral-nemo': { contextTokens: 128_000 },
  'codestral-latest': { contextTokens: 256_000 },
  'pixtral-large-latest': { contextTokens: 128_000, vision: true },
};
const TYPICAL: ModelInfo = { contextTokens: 32_000, maxOutputTokens: 8_192, tools: true, vision: false, jsonSchema: true };

export default defineAiProvider({
  id: 'mistral',
  title: TITLE,
  defaultModels: { chat: 'mistral-small-latest', embeddings: 'mistral-embed' },
  modelInfo: (model) => ({ ...TYPICAL, ...MODELS[model] }),
  ownsModel: (model) => /^(mistral-|open-mistral|open-mixtral|ministral-|codestral-|pixtral-|magistral-|devstral-)/.test(model),
  chat: {
    request: (request, { stream }) => wire('chat/completions', chatBody(DIALECT, request, stream)),
    parse: (body) => parseChat(TITLE, body),
    streamParser: () => createStreamParser(TITLE),
  },
  embeddings: {
    request: (request) => wire('embeddings', embeddingsBody(DIALECT, request)),
    parse: (body, request) => parseEmbeddings(TITLE, body, request),
  },
  classify: (status, body, retryAfterMs) => classifyOpenAiError(TITLE, status, body, retryAfterMs),
});
