// OpenAI as an AI router provider: chat completions (tools, images, JSON Schema), embeddings and images.
import { defineAiProvider, type ModelInfo } from '../../../ai/providers/sdk.ts';
import { chatBody, classifyOpenAiError, createStreamParser, embeddingsBody, imagesBody, parseChat, parseEmbeddings, parseImages, wire, type DialectOptions } from './wire.ts';

const DIALECT: DialectOptions = {
  title: 'OpenAI',
  maxTokensField: 'max_completion_tokens',
  streamUsageOption: true,
  requiredToolChoice: 'required',
  jsonSchema: true,
  embeddingsEncodingFormat: true,
};

// Published context windows and output caps of the models a route is likely to name.
const MODELS: Record<string, Partial<ModelInfo>> = {
  'gpt-4o-mini': { contextTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-4o': { contextTokens: 128_000, maxOutputTokens: 16_384 },
  'gpt-4.1': { contextTokens: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4.1-mini': { contextTokens: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4.1-nano': { contextTokens: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-5': { contextTokens: 400_000, maxOutputTokens: 128_000 },
  'gpt-5-mini': { contextTokens: 400_000, maxOutputTokens: 128_000 },
  'gpt-5-nano': { contextTokens: 400_000, maxOutputTokens: 128_000 },
  'o4-mini': { contextTokens: 200_000, maxOutputTokens: 100_000 },
  'gpt-3.5-turbo': { contextTokens: 16_385, maxOutputTokens: 4_096, vision: false, jsonSchema: false },
};
const TYPICAL: ModelInfo = { contextTokens: 128_000, maxOutputTokens: 16_384, tools: true, vision: true, jsonSchema: true };

export default defineAiProvider({
  id: 'openai',
  title: 'OpenAI',
  defaultModels: { chat: 'gpt-4o-mini', embeddings: 'text-embedding-3-small', images: 'gpt-image-1' },
  modelInfo: (model) => ({ ...TYPICAL, ...MODELS[model] }),
  ownsModel: (model) => /^(gpt-|o\d|chatgpt-|text-embedding-|dall-e-|ft:gpt)/.test(model),
  chat: {
    request: (request, { stream }) => wire('chat/completions', chatBody(DIALECT, request, stream)),
    parse: (body) => parseChat(DIALECT.title, body),
    streamParser: () => createStreamParser(DIALECT.title),
  },
  embeddings: {
    request: (request) => wire('embeddings', embeddingsBody(DIALECT, request)),
    parse: (body, request) => parseEmbeddings(DIALECT.title, body, request),
  },
  images: {
    request: (request) => wire('images/generations', imagesBody(request)),
    parse: (body) => parseImages(DIALECT.title, body),
  },
  classify: (status, body, retryAfterMs) => classifyOpenAiError(DIALECT.title, status, body, retryAfterMs),
});
