// GLM (Zhipu AI in China, Z.ai abroad): chat completions and embeddings through an API key.
//
// Written from the public API reference:
//   https://docs.bigmodel.cn/api-reference   (China: https://open.bigmodel.cn/api/paas/v4, Bearer key)
//   https://docs.z.ai/api-reference          (global: https://api.z.ai/api/paas/v4)
//   error codes: 1000–1004 authentication, 1113 no balance, 1211 unknown model, 1301 unsafe content,
//   1302–1305 rate limits, 1308 the 5-hour usage cap (all of 1113/1302/1308 arrive as HTTP 429)
//
// Identity: GLM has neither a "who am I" nor a model-list endpoint, so the check sends the smallest request
// that proves a key: one output token from the free flash model. The account is named after the key's last
// four characters, the fragment the dashboard's masked credential shows.
import { z } from 'zod';
import { chatAction, embeddingsAction } from '../../../ai/providers/connector-actions.ts';
import { defineConnector, rejectedBy, type CheckResult } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import glm from './ai.ts';
import { TITLE, classifyGlmError } from './errors.ts';

export const REGIONS = {
  china: 'https://open.bigmodel.cn/api/paas/v4',
  global: 'https://api.z.ai/api/paas/v4',
} as const;
// Free on each platform, so checking a key costs nothing.
const CHECK_MODELS = { china: 'glm-4-flash', global: 'glm-4.5-flash' } as const;

const config = z.object({
  region: z.enum(['china', 'global']).default('china').describe('china: open.bigmodel.cn (billed in CNY); global: api.z.ai'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional().describe("Overrides the region's address (a proxy or a test double)"),
});
type Config = z.infer<typeof config>;

function checkFailure(error: unknown): CheckResult {
  if (!(error instanceof ProviderError)) throw error;
  if (error.status === undefined) return { ok: false, reason: 'unavailable', message: error.message };
  const failure = classifyGlmError(error.status, error.body, error.retryAfterMs);
  if (failure.class === 'auth') return rejectedBy(TITLE, error.status, failure.message.replace(`${TITLE} answered ${error.status} `, ''), 'credentials.apiKey');
  if (failure.class === 'out_of_balance') return { ok: false, reason: 'config', message: `${failure.message}. The key works, but the account has no balance: top it up first.` };
  if (failure.class === 'rate_limited' || failure.class === 'server_error') return { ok: false, reason: 'unavailable', message: failure.message };
  return { ok: false, reason: 'config', message: failure.message };
}

export default defineConnector<Config>({
  id: 'glm',
  title: TITLE,
  category: 'ai',
  description: 'Chat completions and embeddings from Zhipu GLM models (open.bigmodel.cn in China, api.z.ai abroad) with an API key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#1d4ed8"/><path d="M6 8h12M6 12h8M6 16h12" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://docs.bigmodel.cn/api-reference',
  baseUrl: (settings) => settings.baseUrl ?? REGIONS[settings.region ?? 'china'],
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From open.bigmodel.cn (or z.ai) → API keys; it looks like <id>.<secret>.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
      },
    },
  },
  config,
  async checkConnection(ctx) {
    const region = ctx.config.region ?? 'china';
    try {
      const wire = glm.chat.request({ model: CHECK_MODELS[region], messages: [{ role: 'user', content: 'ping' }], maxTokens: 1 }, { stream: false });
      await ctx.http.post(wire.path, wire.body);
    } catch (error) {
      return checkFailure(error);
    }
    const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
    return { ok: true, account: { id: `key-${lastFour}`, name: `GLM key ••••${lastFour}`, details: { region } } };
  },
  actions: [chatAction(glm), embeddingsAction(glm)],
  // No fixed rateLimit: GLM's concurrency limits depend on the account tier; its 429 codes say when to back off.
});
