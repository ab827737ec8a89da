// Make (formerly Integromat): list scenarios and run one through the Make API with an API token, and start a
// scenario through its custom webhook with a payload. The webhooks capability's endpoint presets stay the way
// to *send* hub events to Make; this is for *calling* it.
// Docs used:
//   https://developers.make.com/api-documentation/getting-started/authentication  (Authorization: Token <token>,
//        scopes such as scenarios:read / scenarios:run)
//   https://developers.make.com/api-documentation/api-reference/teams             (servers: one base URL per zone,
//        https://eu1.make.com/api/v2 … https://us2.make.com/api/v2, Celonis zones)
//   https://developers.make.com/api-documentation/api-reference/users/me          (GET /users/me → authUser)
//   https://developers.make.com/api-documentation/api-reference/scenarios         (GET /scenarios?teamId= or
//        organizationId=, pg[offset] / pg[limit] paging, { scenarios, pg })
//   https://developers.make.com/api-documentation/api-reference/scenarios/post--scenarios--scenarioid--run
//        (POST /scenarios/{id}/run { data, responsive }: executionId, and status when responsive; 40 s limit)
//   https://developers.make.com/api-documentation/getting-started/rate-limiting   (60/120/240/1,000 requests per
//        minute by plan; 429 "Requests limit for organization exceeded, please try again later.")
//   https://help.make.com/webhooks                                                (custom webhooks: a URL per
//        scenario, requests queued; the answer is "Accepted" unless a Webhook response module answers)
// Error bodies carry a `message` (and a `code`, sometimes a `detail`); the summary below keeps all three.
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Make';
const ZONES = ['eu1.make.com', 'eu2.make.com', 'us1.make.com', 'us2.make.com', 'eu1.make.celonis.com', 'us1.make.celonis.com'] as const;
/** https://hook.<zone>.make.com/<id>: the custom-webhook address Make hands out. */
const WEBHOOK = /^https:\/\/hook\.[a-z0-9]+\.make(?:\.celonis)?\.com\/[A-Za-z0-9]+\/?$/;

const config = z.object({
  zone: z.enum(ZONES).default('eu1.make.com').describe('The zone your organization lives in: the host you see in the browser, e.g. eu1.make.com'),
  teamId: z.number().int().positive().optional().describe('The team whose scenarios listScenarios shows when the call names none (in the team URL: /team/<id>/)'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const authUser = z.looseObject({ id: z.number(), name: z.string(), email: z.string().optional(), timezone: z.string().optional() });
const scenario = z.looseObject({ id: z.number(), name: z.string(), teamId: z.number().optional(), isActive: z.boolean().optional(), scheduling: z.unknown().optional() });

/** "Requests limit for organization exceeded, please try again later. (SC429)" from Make's error body. */
function makeDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { message, code, detail } = body as { message?: unknown; code?: unknown; detail?: unknown };
  if (typeof message !== 'string') return undefined;
  const extra = typeof detail === 'string' && detail && detail !== message ? ` ${detail}` : '';
  return `${message}${extra}${typeof code === 'string' ? ` (${code})` : ''}`;
}

const errors = providerErrors({ title: TITLE, detail: makeDetail, credentialField: 'credentials.apiToken' });
const makeCall = errors.call;

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

// ---- listScenarios ---------------------------------------------------------------------------------------

const listInput = z.object({
  teamId: z.number().int().positive().optional().describe('Defaults to the integration’s teamId'),
  organizationId: z.number().int().positive().optional().describe('All scenarios of an organization instead of one team'),
  folderId: z.number().int().positive().optional(),
  isActive: z.boolean().optional().describe('Only active (true) or inactive (false) scenarios'),
  limit: z.number().int().min(1).max(1000).default(100).describe('Scenarios per request'),
  offset: z.number().int().min(0).default(0),
  followPages: z.boolean().default(false),
  maxPages: z.number().int().min(1).max(50).default(10),
});
const listOutput = z.object({ scenarios: z.array(scenario), nextOffset: z.number().int().nullable() });

// ---- runScenario -----------------------------------------------------------------------------------------

const runInput = z.object({
  scenarioId: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()).optional().describe('Values for the scenario inputs'),
  responsive: z.boolean().default(false).describe('Wait (at most 40 s) for the run to finish and return its status and outputs'),
});
const runOutput = z.looseObject({ executionId: z.string(), status: z.string().optional(), outputs: z.unknown().optional() });

// ---- triggerWebhook --------------------------------------------------------------------------------------

const webhookInput = z.object({ payload: z.unknown().describe('The JSON the custom webhook receives') });
const webhookOutput = z.object({ status: z.number().int(), body: z.unknown() });

export default defineConnector<Config>({
  id: 'make',
  title: TITLE,
  category: 'automation',
  description: 'List and run Make scenarios with an API token, and start a scenario through its custom webhook with a payload.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#6d00cc"/><path d="M6 17V8l3 1v8zM10.5 17l1.5-9 3 .5-1.5 8.5zM16 17l1-9 2.5.3-1 8.7z" fill="#fff"/></svg>',
  docsUrl: 'https://developers.make.com/api-documentation',
  baseUrl: (c) => `https://${c.zone}/api/v2`,
  auth: {
    kind: 'apiKey',
    fields: {
      apiToken: {
        label: 'API token',
        description: 'Profile → API access → Add token, with scenarios:read and scenarios:run (and user:read for the connection check).',
        placement: 'none',
        optional: true,
      },
      webhookUrl: {
        label: 'Custom webhook URL',
        description: 'Optional: the address of a scenario’s Custom webhook (https://hook.eu1.make.com/…), for triggerWebhook. Anyone with it can start the scenario.',
        placement: 'none',
        optional: true,
        pattern: { regex: WEBHOOK, message: 'The custom webhook URL must look like https://hook.eu1.make.com/abc123…' },
      },
    },
  },
  authenticate({ headers, url }, c, credential) {
    // The token goes to the Make API of the chosen zone only, never to the webhook host.
    if (credential.apiToken && url.origin === `https://${c.zone}` && url.pathname.startsWith('/api/v2/')) headers.authorization = `Token ${credential.apiToken}`;
  },
  config,
  // What POST /api/v1/integrations/:id/run does when no action is named.
  defaultAction: 'runScenario',
  // The Core plan's documented limit, the lowest; higher plans have more room.
  rateLimit: { perMinute: 60 },
  async checkConnection(ctx) {
    if (!ctx.credentials.apiToken) {
      if (!ctx.credentials.webhookUrl) return { ok: false, reason: 'config', field: 'credentials.apiToken', message: 'Give an API token, a custom webhook URL, or both.' };
      // A call to the webhook would start the scenario: only its address is checked.
      const hookHost = new URL(ctx.credentials.webhookUrl).host;
      return { ok: true, account: { id: `make-webhook-${hookHost}`, name: `Make custom webhook on ${hookHost}`, details: { verified: 'address only' } } };
    }
    try {
      const answer = await ctx.http.get('users/me');
      const user = read(z.object({ authUser }), answer.data, 'GET /users/me').authUser;
      return { ok: true, account: { id: String(user.id), name: user.name, details: { email: user.email ?? null, zone: ctx.config.zone } } };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof listInput>, z.infer<typeof listOutput>>({
      name: 'listScenarios',
      title: 'List scenarios',
      description: 'Scenarios of a team (or an organization), with their id, name, activity and scheduling (GET /scenarios).',
      input: listInput,
      output: listOutput,
      async run(ctx: Ctx, input) {
        const teamId = input.teamId ?? (input.organizationId === undefined ? ctx.config.teamId : undefined);
        if (teamId === undefined && input.organizationId === undefined) {
          throw new ProviderError({ code: 'invalid_response', message: 'Make lists scenarios per team or organization: give teamId or organizationId, or set teamId on the integration.' });
        }
        const scenarios: z.infer<typeof scenario>[] = [];
        let next: string | null = null;
        await makeCall(async () => {
          for await (const page of paginate<unknown>(
            ctx.http,
            { path: 'scenarios', query: { teamId, organizationId: input.organizationId, folderId: input.folderId, isActive: input.isActive } },
            { kind: 'offset', itemsPath: 'scenarios', offsetParam: 'pg[offset]', limitParam: 'pg[limit]', pageSize: input.limit, start: input.offset },
            { maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
          )) {
            scenarios.push(...read(z.array(scenario), page.items, 'GET /scenarios'));
            next = page.next;
          }
        });
        return { scenarios, nextOffset: next === null ? null : Number(next) };
      },
    }),
    defineAction<Config, z.output<typeof runInput>, z.infer<typeof runOutput>>({
      name: 'runScenario',
      title: 'Run a scenario',
      description: 'Runs an active scenario now with its inputs (POST /scenarios/{id}/run); responsive waits for the result.',
      input: runInput,
      output: runOutput,
      async run(ctx: Ctx, input) {
        // Not retried: a lost answer does not mean the scenario did not run.
        const answer = await makeCall(() =>
          ctx.http.post(`scenarios/${input.scenarioId}/run`, { ...(input.data ? { data: input.data } : {}), responsive: input.responsive }, input.responsive ? { timeoutMs: 45_000 } : {}),
        );
        return read(runOutput, answer.data, 'POST /scenarios/{id}/run');
      },
    }),
    defineAction<Config, z.output<typeof webhookInput>, z.infer<typeof webhookOutput>>({
      name: 'triggerWebhook',
      title: 'Trigger the custom webhook',
      description: 'POSTs a JSON payload to the scenario’s custom webhook and returns Make’s answer ("Accepted", or a Webhook response module’s body).',
      input: webhookInput,
      output: webhookOutput,
      async run(ctx: Ctx, input) {
        const url = ctx.credentials.webhookUrl;
        if (!url || !WEBHOOK.test(url)) {
          throw new ProviderError({ code: 'invalid_response', message: 'This Make integration has no custom webhook URL (https://hook.<zone>.make.com/…): add webhookUrl to its credential.' });
        }
        const answer = await makeCall(() => ctx.http.request({ method: 'POST', path: url, json: input.payload ?? null, responseType: 'text' }));
        const text = answer.data as string;
        let body: unknown = text;
        if (/^\s*[[{]/.test(text)) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        return { status: answer.status, body };
      },
    }),
  ],
});
