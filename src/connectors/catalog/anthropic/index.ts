// Anthropic: Claude models through the Messages API with an API key.
//
// Written from Anthropic's public API reference:
//   https://docs.anthropic.com/en/api/overview   (x-api-key, anthropic-version: 2023-06-01)
//   https://docs.anthropic.com/en/api/messages   (top-level system, required max_tokens, content blocks)
//   https://docs.anthropic.com/en/api/messages-streaming (message_start … message_stop, ping, error)
//   https://docs.anthropic.com/en/api/errors     (400 invalid_request_error, 401, 403, 404, 413, 429, 500, 529)
//   https://docs.anthropic.com/en/api/models-list
//
// Identity: no "who am I" endpoint; the check lists the models (proving the key works) and names the
// account after the key's last four characters.
import { z } from 'zod';
import { chatAction, listModelsAction, modelList } from '../../../ai/providers/connector-actions.ts';
import { defineConnector, rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import anthropic, { TITLE, VERSION_HEADERS, classifyAnthropicError } from './ai.ts';

const DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';
const config = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_BASE_URL).describe('API root; change only for a proxy or a test double'),
});
type Config = z.infer<typeof config>;

function checkFailure(error: unknown): CheckResult {
  if (!(error instanceof ProviderError)) throw error;
  if (error.status === undefined) return { ok: false, reason: 'unavailable', message: error.message };
  const failure = classifyAnthropicError(error.status, error.body, error.retryAfterMs);
  if (failure.class === 'auth') return rejectedBy(TITLE, error.status, failure.message.replace(`${TITLE} answered ${error.status} `, ''), 'credentials.apiKey');
  if (failure.class === 'rate_limited' || failure.class === 'server_error') return { ok: false, reason: 'unavailable', message: failure.message };
  return { ok: false, reason: 'config', message: failure.message };
}

export default defineConnector<Config>({
  id: 'anthropic',
  title: TITLE,
  category: 'ai',
  description: 'Claude models through the Messages API with an Anthropic API key: chat with tools and images, and the model list.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#d97757"/><path d="M8 18l4-12 4 12M9.5 14h5" stroke="#fff" stroke-width="2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://docs.anthropic.com/en/api/overview',
  baseUrl: (settings) => settings.baseUrl ?? DEFAULT_BASE_URL,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From console.anthropic.com → API keys (sk-ant-…).',
        placement: 'header',
        name: 'x-api-key',
      },
    },
  },
  config,
  async checkConnection(ctx) {
    let models: number;
    try {
      // Never cached: a check must see a revoked key as revoked.
      const answer = await ctx.http.get('models', { headers: VERSION_HEADERS });
      models = modelList(answer.data, TITLE).length;
    } catch (error) {
      return checkFailure(error);
    }
    const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
    return { ok: true, account: { id: `key-${lastFour}`, name: `Anthropic key ••••${lastFour}`, details: { models } } };
  },
  actions: [listModelsAction(anthropic, { headers: VERSION_HEADERS }), chatAction(anthropic)],
  cacheTtlMs: 60 * 60 * 1000,
});
