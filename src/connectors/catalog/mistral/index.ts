// Mistral AI: chat completions, embeddings and the model list through an API key.
//
// Written from Mistral's public API reference:
//   https://docs.mistral.ai/api/  (https://api.mistral.ai/v1, Bearer key; /models, /chat/completions,
//                                  /embeddings; 401 bad key, 422 invalid request, 429 rate limit)
//
// Identity: no "who am I" endpoint; the check lists the models (proving the key works) and names the
// account after the key's last four characters.
import { z } from 'zod';
import { chatAction, embeddingsAction, listModelsAction, modelList } from '../../../ai/providers/connector-actions.ts';
import { defineConnector, rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { classifyOpenAiError } from '../openai/wire.ts';
import mistral, { TITLE } from './ai.ts';

const DEFAULT_BASE_URL = 'https://api.mistral.ai/v1';
const config = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_BASE_URL).describe('API root; change only for a proxy or a test double'),
});
type Config = z.infer<typeof config>;

function checkFailure(error: unknown): CheckResult {
  if (!(error instanceof ProviderError)) throw error;
  if (error.status === undefined) return { ok: false, reason: 'unavailable', message: error.message };
  const failure = classifyOpenAiError(TITLE, error.status, error.body, error.retryAfterMs);
  if (failure.class === 'auth') return rejectedBy(TITLE, error.status, failure.message.replace(`${TITLE} answered ${error.status} `, ''), 'credentials.apiKey');
  if (failure.class === 'rate_limited' || failure.class === 'server_error') return { ok: false, reason: 'unavailable', message: failure.message };
  return { ok: false, reason: 'config', message: failure.message };
}

export default defineConnector<Config>({
  id: 'mistral',
  title: TITLE,
  category: 'ai',
  description: 'Chat completions with tools and JSON Schema output, embeddings and the model list from Mistral AI with an API key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#f97316"/><path d="M6 6h3v12H6zM15 6h3v12h-3zM9 9h6v3H9z" fill="#fff"/></svg>',
  docsUrl: 'https://docs.mistral.ai/api/',
  baseUrl: (settings) => settings.baseUrl ?? DEFAULT_BASE_URL,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From console.mistral.ai → API keys.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
      },
    },
  },
  config,
  async checkConnection(ctx) {
    let models: number;
    try {
      // Never cached: a check must see a revoked key as revoked.
      const answer = await ctx.http.get('models');
      models = modelList(answer.data, TITLE).length;
    } catch (error) {
      return checkFailure(error);
    }
    const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
    return { ok: true, account: { id: `key-${lastFour}`, name: `Mistral key ••••${lastFour}`, details: { models } } };
  },
  actions: [listModelsAction(mistral), chatAction(mistral), embeddingsAction(mistral)],
  cacheTtlMs: 60 * 60 * 1000,
});
