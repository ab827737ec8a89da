// GLM (Zhipu / Z.ai) as an AI router provider: the OpenAI dialect under /api/paas/v4, with its own
// error codes, `max_tokens`, usage in every stream without being asked, and JSON output without schemas.
import { defineAiProvider, type ModelInfo } from '../../../ai/providers/sdk.ts';
import { chatBody, createStreamParser, embeddingsBody, imagesBody, parseChat, parseEmbeddings, parseImages, wire, type DialectOptions } from '../openai/wire.ts';
import { TITLE, classifyGlmError } from './errors.ts';

const DIALECT: DialectOptions = {
  title: TITLE,
  maxTokensField: 'max_tokens',
  streamUsageOption: false,
  requiredToolChoice: 'required',
  // GLM accepts `response_format: { type: json_object }` only; the schema travels in a system message.
  jsonSchema: false,
  embeddingsEncodingFormat: false,
};

const MODELS: Record<string, Partial<ModelInfo>> = {
  'glm-4.6': { contextTokens: 200_000, maxOutputTokens: 128_000, vision: false },
  'glm-4.5': { contextTokens: 128_000, maxOutputTokens: 96_000, vision: false },
  'glm-4.5-air': { contextTokens: 128_000, maxOutputTokens: 96_000, vision: false },
  'glm-4.5-flash': { contextTokens: 128_000, maxOutputTokens: 96_000, vision: false },
  'glm-4-plus': { contextTokens: 128_000, maxOutputTokens: 4_095, vision: false },
  'glm-4-flash': { contextTokens: 128_000, maxOutputTokens: 4_095, vision: false },
  'glm-4-flash-250414': { contextTokens: 128_000, maxOutputTokens: 16_384, vision: false },
  'glm-4v-flash': { contextTokens: 8_192, maxOutputTokens: 1_024, vision: true, tools: false },
  'glm-4.5v': { contextTokens: 64_000, maxOutputTokens: 16_384, vision: true },
};
const TYPICAL: ModelInfo = { contextTokens: 128_000, maxOutputTokens: 4_095, tools: true, vision: false, jsonSchema: false };

export default defineAiProvider({
  id: 'glm',
  title: TITLE,
  defaultModels: { chat: 'glm-4-flash', embeddings: 'embedding-3', images: 'cogview-3-flash' },
  modelInfo: (model) => ({ ...TYPICAL, ...MODELS[model] }),
  ownsModel: (model) => /^(glm-|embedding-[23]|cogview-|charglm-|codegeex-)/.test(model),
  chat: {
    request: (request, { stream }) => wire('chat/completions', chatBody(DIALECT, request, stream)),
    parse: (body) => parseChat(TITLE, body),
    streamParser: () => createStreamParser(TITLE),
  },
  embeddings: {
    request: (request) => wire('embeddings', embeddingsBody(DIALECT, request)),
    parse: (body, request) => parseEmbeddings(TITLE, body, request),
  },
  images: {
    request: (request) => wire('images/generations', imagesBody({ ...request, n: 1 })),
    parse: (body) => parseImages(TITLE, body),
  },
  classify: classifyGlmError,
});
