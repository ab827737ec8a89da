// PostHog: capture events with the project API key (public ingestion endpoints) and read insights or run HogQL
// with a personal API key (private endpoints), on US Cloud, EU Cloud or a self-hosted instance.
// Docs used:
//   https://posthog.com/docs/api                 (public endpoints on us.i.posthog.com / eu.i.posthog.com, private ones
//                                                 on us.posthog.com / eu.posthog.com, self-hosted: one domain;
//                                                 personal API key as Authorization: Bearer)
//   https://posthog.com/docs/api/capture         (POST /i/v0/e/ and /batch/: api_key, event, distinct_id, properties,
//                                                 timestamp; historical_migration for old batches)
//   https://posthog.com/docs/api/flags           (POST /flags?v=2 with api_key + distinct_id: the one public call that
//                                                 answers 401 for an unknown project key, used by the check)
//   https://posthog.com/docs/api/queries         (POST /api/projects/:project_id/query/ { query: { kind: "HogQLQuery" } })
//   https://posthog.com/docs/api/insights        (GET /api/projects/:project_id/insights/: count, next, results)
//   https://posthog.com/tutorials/api-get-insights-persons  (GET /api/users/@me/ to test a personal key)
//   https://posthog.com/docs/api (rate limits)   (private endpoints: 240/min and 1,200/h for analytics, HogQL lower;
//                                                 capture unlimited; 429 with Retry-After and a DRF error body
//                                                 { type, code, detail, attr })
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'PostHog';

const config = z
  .object({
    region: z.enum(['us', 'eu', 'self-hosted']).default('us').describe('US Cloud, EU Cloud, or your own instance'),
    host: z
      .url({ protocol: /^https$/, message: 'host must be the https:// address of your PostHog instance' })
      .optional()
      .describe('Self-hosted only: the address of your instance, e.g. https://posthog.example.com'),
    projectId: z.number().int().positive().optional().describe('The project (in its URL: /project/<id>) queried by hogqlQuery and listInsights'),
  })
  .refine((c) => c.region !== 'self-hosted' || c.host !== undefined, { message: 'a self-hosted PostHog needs host', path: ['host'] });
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

function origin(host: string): string {
  return new URL(host).origin;
}
/** Private endpoints (personal key): the app host. */
export function appHost(c: Config): string {
  return c.region === 'self-hosted' ? origin(c.host!) : `https://${c.region}.posthog.com`;
}
/** Public ingestion endpoints (project key): the `.i.` host on PostHog Cloud, the instance itself when self-hosted. */
export function ingestHost(c: Config): string {
  return c.region === 'self-hosted' ? origin(c.host!) : `https://${c.region}.i.posthog.com`;
}

/** "authentication_failed: Personal API key found in request Authorization header is invalid." */
function posthogDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { code, detail } = body as { code?: unknown; detail?: unknown };
  if (typeof detail !== 'string') return undefined;
  return typeof code === 'string' ? `${code}: ${detail}` : detail;
}

// Two keys, two dialects: a refusal points at the key that was used.
const personalKeyErrors = providerErrors({ title: TITLE, detail: posthogDetail, credentialField: 'credentials.personalApiKey' });
const projectKeyErrors = providerErrors({ title: TITLE, detail: posthogDetail, credentialField: 'credentials.projectApiKey' });
const posthogCall = personalKeyErrors.call;

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

function needs(ctx: Ctx, what: 'projectApiKey' | 'personalApiKey' | 'projectId'): void {
  const missing = what === 'projectId' ? ctx.config.projectId === undefined : !ctx.credentials[what];
  if (!missing) return;
  const fix = what === 'projectId' ? 'set projectId on the integration' : `add ${what} to its credential`;
  throw new ProviderError({ code: 'invalid_response', message: `This PostHog integration has no ${what}: ${fix}.` });
}

const me = z.looseObject({
  uuid: z.string(),
  email: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  organization: z.looseObject({ id: z.string(), name: z.string() }).nullable().optional(),
});
const project = z.looseObject({ id: z.number(), name: z.string() });
const captureAnswer = z.looseObject({ status: z.union([z.number(), z.string()]) });

// ---- inputs ---------------------------------------------------------------------------------------------

const properties = z.record(z.string(), z.unknown()).optional().describe('Event properties, e.g. { plan: "pro" }; $-prefixed ones are PostHog’s own');
const timestamp = z.iso.datetime({ offset: true }).optional().describe('When it happened (ISO 8601); default: when PostHog receives it');
const captureInput = z.object({
  event: z.string().trim().min(1).max(400).describe('The event name, e.g. order_completed or $pageview'),
  distinctId: z.string().trim().min(1).max(200).describe('Who did it: your user id, or an anonymous id'),
  properties,
  timestamp,
  uuid: z.uuid().optional().describe('A UUID of your own, so PostHog can recognise the event if it is sent again'),
});
const batchInput = z.object({
  events: z
    .array(z.object({ event: captureInput.shape.event, distinctId: captureInput.shape.distinctId, properties, timestamp }))
    .min(1)
    .max(1000),
  historicalMigration: z.boolean().default(false).describe('Mark an import of old events, so it is ingested apart from live traffic'),
});
const queryInput = z.object({
  query: z.string().trim().min(1).max(100_000).describe('A HogQL (SQL) query, e.g. select event, count() from events group by event'),
  name: z.string().max(200).optional().describe('A name shown in PostHog’s query log'),
});
const queryOutput = z.looseObject({ results: z.array(z.unknown()), columns: z.array(z.unknown()).optional(), types: z.array(z.unknown()).optional(), hasMore: z.boolean().nullable().optional() });
const insight = z.looseObject({ id: z.number(), short_id: z.string().optional(), name: z.string().nullable().optional() });
const insightsInput = z.object({
  search: z.string().trim().min(1).max(200).optional(),
  saved: z.boolean().optional().describe('Only saved insights'),
  limit: z.number().int().min(1).max(100).default(100),
  followPages: z.boolean().default(false),
  maxPages: z.number().int().min(1).max(50).default(10),
});
const insightsOutput = z.object({ results: z.array(insight), next: z.string().nullable() });

export default defineConnector<Config>({
  id: 'posthog',
  title: TITLE,
  category: 'analytics',
  description:
    'Capture events into PostHog with the project API key, and read insights or run HogQL queries with a personal API key (US Cloud, EU Cloud or self-hosted).',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#1d4aff"/><path d="M4 17l4-4v4zM4 12l5-5 5 5v5zM10 7l3-3 7 7v6z" fill="#fff"/><circle cx="17" cy="15" r="1.3" fill="#f9bd2b"/></svg>',
  docsUrl: 'https://posthog.com/docs/api',
  baseUrl: appHost,
  auth: {
    kind: 'apiKey',
    fields: {
      projectApiKey: {
        label: 'Project API key',
        description: 'Project settings → Project API key (phc_…): write-only, used to capture events.',
        placement: 'none',
        optional: true,
        pattern: { regex: /^phc_[A-Za-z0-9]+$/, message: 'A PostHog project API key starts with phc_' },
      },
      personalApiKey: {
        label: 'Personal API key',
        description: 'Account settings → Personal API keys (phx_…), with query:read and insight:read: used for queries and insights.',
        placement: 'none',
        optional: true,
        pattern: { regex: /^phx_[A-Za-z0-9]+$/, message: 'A PostHog personal API key starts with phx_' },
      },
    },
  },
  authenticate({ headers, url }, c, credential) {
    // The personal key unlocks the whole account: it goes to the private API of the configured host only,
    // never to ingestion (which reads the project key from the body).
    if (credential.personalApiKey && url.origin === appHost(c) && url.pathname.startsWith('/api/')) headers.authorization = `Bearer ${credential.personalApiKey}`;
  },
  config,
  // No rateLimit: capture is not rate limited and a budget per integration would throttle it to the private
  // endpoints' 240/min; those answer 429 with Retry-After, which the outbound client honours.
  async checkConnection(ctx) {
    if (ctx.credentials.personalApiKey) {
      try {
        const user = read(me, (await ctx.http.get('api/users/@me/')).data, 'GET /api/users/@me/');
        const details: Record<string, string | number | null> = { email: user.email, organization: user.organization?.name ?? null, region: ctx.config.region };
        if (ctx.config.projectId !== undefined) {
          const named = read(project, (await ctx.http.get(`api/projects/${ctx.config.projectId}/`)).data, 'the project');
          details.project = named.name;
        }
        const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || user.email;
        return { ok: true, account: { id: user.uuid, name, details } };
      } catch (error) {
        return personalKeyErrors.checkFailure(error);
      }
    }
    if (ctx.credentials.projectApiKey) {
      try {
        // Capture accepts anything and reports problems later; the flags endpoint refuses an unknown project key.
        await ctx.http.post(`${ingestHost(ctx.config)}/flags/`, { api_key: ctx.credentials.projectApiKey, distinct_id: 'switchboard-connection-check' }, { query: { v: 2 }, retry: {} });
        return { ok: true, account: { id: `posthog-project-key-${ctx.config.region}`, name: `PostHog project (${ctx.config.region})`, details: { verified: 'project API key only' } } };
      } catch (error) {
        return projectKeyErrors.checkFailure(error);
      }
    }
    return { ok: false, reason: 'config', field: 'credentials.projectApiKey', message: 'Give a project API key (to capture events), a personal API key (to query), or both.' };
  },
  actions: [
    defineAction<Config, z.output<typeof captureInput>, z.infer<typeof captureAnswer>>({
      name: 'captureEvent',
      title: 'Capture an event',
      description: 'Sends one event to the project (POST /i/v0/e/ on the ingestion host, with the project API key).',
      input: captureInput,
      output: captureAnswer,
      async run(ctx: Ctx, input) {
        needs(ctx, 'projectApiKey');
        const body = {
          api_key: ctx.credentials.projectApiKey,
          event: input.event,
          distinct_id: input.distinctId,
          ...(input.properties ? { properties: input.properties } : {}),
          ...(input.timestamp ? { timestamp: input.timestamp } : {}),
          ...(input.uuid ? { uuid: input.uuid } : {}),
        };
        // Retried only with a uuid of the caller's, which lets PostHog recognise a repeat.
        const answer = await posthogCall(() => ctx.http.post(`${ingestHost(ctx.config)}/i/v0/e/`, body, input.uuid ? { retry: {} } : {}));
        return read(captureAnswer, answer.data, 'the capture');
      },
    }),
    defineAction<Config, z.output<typeof batchInput>, z.infer<typeof captureAnswer>>({
      name: 'captureBatch',
      title: 'Capture events in a batch',
      description: 'Sends up to 1,000 events in one request (POST /batch/ on the ingestion host).',
      input: batchInput,
      output: captureAnswer,
      async run(ctx: Ctx, input) {
        needs(ctx, 'projectApiKey');
        const batch = input.events.map((e) => ({ event: e.event, properties: { ...e.properties, distinct_id: e.distinctId }, ...(e.timestamp ? { timestamp: e.timestamp } : {}) }));
        const body = { api_key: ctx.credentials.projectApiKey, ...(input.historicalMigration ? { historical_migration: true } : {}), batch };
        const answer = await posthogCall(() => ctx.http.post(`${ingestHost(ctx.config)}/batch/`, body));
        return read(captureAnswer, answer.data, 'the batch');
      },
    }),
    defineAction<Config, z.output<typeof queryInput>, z.infer<typeof queryOutput>>({
      name: 'hogqlQuery',
      title: 'Run a HogQL query',
      description: 'Runs a HogQL (SQL) query over the project’s events, persons and sessions (POST /api/projects/:id/query/).',
      input: queryInput,
      output: queryOutput,
      async run(ctx: Ctx, input) {
        needs(ctx, 'personalApiKey');
        needs(ctx, 'projectId');
        const body = { query: { kind: 'HogQLQuery', query: input.query }, ...(input.name ? { name: input.name } : {}) };
        // A query reads only: safe to retry on 429 (after Retry-After) and 5xx.
        const answer = await posthogCall(() => ctx.http.post(`api/projects/${ctx.config.projectId}/query/`, body, { retry: {}, timeoutMs: 120_000 }));
        return read(queryOutput, answer.data, 'the query');
      },
    }),
    defineAction<Config, z.output<typeof insightsInput>, z.infer<typeof insightsOutput>>({
      name: 'listInsights',
      title: 'List insights',
      description: 'The project’s insights (trends, funnels …) with their definitions and cached results (GET /api/projects/:id/insights/).',
      input: insightsInput,
      output: insightsOutput,
      async run(ctx: Ctx, input) {
        needs(ctx, 'personalApiKey');
        needs(ctx, 'projectId');
        const results: z.infer<typeof insight>[] = [];
        let next: string | null = null;
        await posthogCall(async () => {
          for await (const page of paginate<unknown>(
            ctx.http,
            { path: `api/projects/${ctx.config.projectId}/insights/`, query: { limit: input.limit, search: input.search, saved: input.saved } },
            { kind: 'link', itemsPath: 'results', nextUrlPath: 'next' },
            { maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
          )) {
            results.push(...read(z.array(insight), page.items, 'the insights'));
            next = page.next;
          }
        });
        return { results, next };
      },
    }),
  ],
});
