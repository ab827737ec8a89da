// Salesforce (seed 003 names it as an example connector): SOQL queries and reading, creating and updating records
// through the REST API of a My Domain, over OAuth 2.0 (authorization code with PKCE, refresh tokens).
// Docs used:
//   https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm  (login.salesforce.com
//        /services/oauth2/authorize and /token, PKCE, scopes api + refresh_token + openid; the token answer names the
//        org's instance_url)
//   https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm  (GET
//        /services/oauth2/userinfo: user_id, organization_id, name, email)
//   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.md  (GET /services/data/vXX.X/query?q=;
//        up to 2,000 records a batch, totalSize, done, nextRecordsUrl)
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm  (GET …/limits:
//        DailyApiRequests Max / Remaining)
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm,
//        …/dome_update_fields.htm, …/dome_get_field_values.htm  (POST, PATCH → 204, GET ?fields=)
//   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm  (an array of
//        { message, errorCode, fields }; 401 INVALID_SESSION_ID; 403 REQUEST_LIMIT_EXCEEDED for the 24-hour
//        API allocation)
// Sandboxes sign in at test.salesforce.com, which this connector's fixed OAuth endpoints do not cover.
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy, type CheckResult, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Salesforce';
/** Salesforce names no reset time for the rolling 24-hour allocation: callers are told to wait this long. */
const DAILY_LIMIT_PAUSE_MS = 15 * 60 * 1000;

const config = z.object({
  instanceUrl: z
    .url({ protocol: /^https$/, message: 'instanceUrl must be the org’s https:// My Domain address, e.g. https://acme.my.salesforce.com' })
    .transform((value) => new URL(value).origin)
    .describe('Setup → My Domain: the org’s address, e.g. https://acme.my.salesforce.com'),
  apiVersion: z
    .string()
    .regex(/^\d{2}\.0$/, 'an API version such as 62.0')
    .default('62.0')
    .describe('REST API version'),
});
type Config = z.output<typeof config>;
type Ctx = ConnectorContext<Config>;

/** "INVALID_SESSION_ID: Session expired or invalid" from Salesforce's array of errors. */
function salesforceDetail(body: unknown): string | undefined {
  const first = Array.isArray(body) ? (body[0] as { message?: unknown; errorCode?: unknown } | undefined) : undefined;
  if (first && typeof first.message === 'string') return typeof first.errorCode === 'string' ? `${first.errorCode}: ${first.message}` : first.message;
  if (body && typeof body === 'object' && typeof (body as { error_description?: unknown }).error_description === 'string') return (body as { error_description: string }).error_description;
  return typeof body === 'string' && body ? body.slice(0, 300) : undefined;
}

// Only 401 means the token is refused: a 403 is a missing permission or the daily allocation.
const errors = providerErrors({ title: TITLE, detail: salesforceDetail, credentialField: 'credentials', authStatuses: [401] });

/** The 24-hour API allocation is a 403 REQUEST_LIMIT_EXCEEDED: passed on as the rate limit it is, not a refusal. */
function asRateLimit(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.status !== 403 || !JSON.stringify(error.body ?? '').includes('REQUEST_LIMIT_EXCEEDED')) return error;
  return new ProviderError({ code: error.code, status: 429, body: error.body, message: error.message, retryAfterMs: DAILY_LIMIT_PAUSE_MS });
}

async function salesforceCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await errors.call(work);
  } catch (error) {
    throw asRateLimit(error);
  }
}

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

const dataPath = (ctx: Ctx, path: string) => `services/data/v${ctx.config.apiVersion}/${path}`;
const sobject = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'an object API name, e.g. Account or Invoice__c');
const recordId = z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, 'a 15- or 18-character record id');
const record = z.looseObject({ attributes: z.looseObject({ type: z.string(), url: z.string().optional() }).optional() });
const userinfo = z.looseObject({ user_id: z.string(), organization_id: z.string(), name: z.string().optional(), email: z.string().optional(), preferred_username: z.string().optional() });
const limits = z.looseObject({ DailyApiRequests: z.looseObject({ Max: z.number(), Remaining: z.number() }).optional() });

const queryInput = z.object({
  soql: z.string().trim().min(1).max(100_000).describe('A SOQL query, e.g. SELECT Id, Name FROM Account WHERE CreatedDate = TODAY'),
  includeDeleted: z.boolean().default(false).describe('Also return deleted and archived records (queryAll)'),
  followPages: z.boolean().default(false).describe('Keep reading nextRecordsUrl batches until done or maxPages'),
  maxPages: z.number().int().min(1).max(50).default(10),
});
const queryOutput = z.object({ totalSize: z.number().int(), records: z.array(record), nextRecordsUrl: z.string().nullable() });
const getInput = z.object({ sobject, id: recordId, fields: z.array(z.string().regex(/^[A-Za-z][\w.]*$/)).optional().describe('Only these fields') });
const createInput = z.object({ sobject, fields: z.record(z.string(), z.unknown()).describe('Field values by API name') });
const createOutput = z.looseObject({ id: z.string(), success: z.boolean(), errors: z.array(z.unknown()).default([]) });
const updateInput = z.object({ sobject, id: recordId, fields: z.record(z.string(), z.unknown()).refine((f) => Object.keys(f).length > 0, 'at least one field') });

export default defineConnector<Config>({
  id: 'salesforce',
  title: TITLE,
  category: 'data',
  description: 'Run SOQL queries and read, create and update Salesforce records through the REST API of your org’s My Domain (OAuth 2.0).',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#00a1e0"/><path d="M7.5 16.5a3 3 0 0 1-.4-6 3.6 3.6 0 0 1 6.3-1.9 3 3 0 0 1 4.2 1.6 2.9 2.9 0 0 1-.6 5.7z" fill="#fff"/></svg>',
  docsUrl: 'https://developer.salesforce.com/docs/platform/api-rest/guide',
  baseUrl: (c) => c.instanceUrl,
  auth: {
    kind: 'oauth2',
    authorizationUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    revocationUrl: 'https://login.salesforce.com/services/oauth2/revoke',
    scopes: ['api', 'refresh_token', 'openid'],
    pkce: true,
  },
  config,
  // No rateLimit: Salesforce allots API requests per rolling 24 hours per org, not per second.
  async checkConnection(ctx): Promise<CheckResult> {
    try {
      const user = read(userinfo, (await ctx.http.get('services/oauth2/userinfo')).data, 'userinfo');
      const allocation = read(limits, (await ctx.http.get(dataPath(ctx, 'limits'))).data, 'the limits').DailyApiRequests;
      return {
        ok: true,
        account: {
          id: `${user.organization_id}/${user.user_id}`,
          name: user.name ?? user.preferred_username ?? user.user_id,
          details: { email: user.email ?? null, organizationId: user.organization_id, dailyApiRequestsRemaining: allocation?.Remaining ?? null, dailyApiRequestsMax: allocation?.Max ?? null },
        },
      };
    } catch (error) {
      // An OAuth grant has no credential field to point at.
      if (error instanceof ProviderError && error.status === 401) return rejectedBy(TITLE, 401, errors.detailOf(error));
      const limited = asRateLimit(errors.describe(error));
      if (limited instanceof ProviderError && limited.status === 429) {
        return { ok: false, reason: 'unavailable', message: `${limited.message} Try again in ${Math.ceil(DAILY_LIMIT_PAUSE_MS / 1000)} s.` };
      }
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof queryInput>, z.infer<typeof queryOutput>>({
      name: 'query',
      title: 'Run a SOQL query',
      description: 'Records matching a SOQL query, batch by batch (GET …/query, following nextRecordsUrl).',
      input: queryInput,
      output: queryOutput,
      async run(ctx: Ctx, input) {
        const records: z.infer<typeof record>[] = [];
        let totalSize = 0;
        let next: string | null = null;
        await salesforceCall(async () => {
          for await (const page of paginate<unknown>(
            ctx.http,
            { path: dataPath(ctx, input.includeDeleted ? 'queryAll' : 'query'), query: { q: input.soql } },
            // nextRecordsUrl is a path from the instance's root (/services/data/…), which the base URL is.
            { kind: 'link', itemsPath: 'records', nextUrlPath: 'nextRecordsUrl' },
            { maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
          )) {
            records.push(...read(z.array(record), page.items, 'the query'));
            totalSize = read(z.looseObject({ totalSize: z.number() }), page.response.data, 'the query').totalSize;
            next = page.next;
          }
        });
        return { totalSize, records, nextRecordsUrl: next };
      },
    }),
    defineAction<Config, z.output<typeof getInput>, z.infer<typeof record>>({
      name: 'getRecord',
      title: 'Get a record',
      description: 'One record by object and id, all fields or the given ones (GET …/sobjects/{object}/{id}).',
      input: getInput,
      output: record,
      async run(ctx: Ctx, input) {
        const answer = await salesforceCall(() => ctx.http.get(dataPath(ctx, `sobjects/${input.sobject}/${input.id}`), { query: { fields: input.fields?.join(',') } }));
        return read(record, answer.data, 'the record');
      },
    }),
    defineAction<Config, z.output<typeof createInput>, z.infer<typeof createOutput>>({
      name: 'createRecord',
      title: 'Create a record',
      description: 'Creates one record and returns its id (POST …/sobjects/{object}).',
      input: createInput,
      output: createOutput,
      async run(ctx: Ctx, input) {
        // Not retried: a repeated create makes a duplicate.
        return read(createOutput, (await salesforceCall(() => ctx.http.post(dataPath(ctx, `sobjects/${input.sobject}`), input.fields))).data, 'the created record');
      },
    }),
    defineAction<Config, z.output<typeof updateInput>, { id: string; updated: true }>({
      name: 'updateRecord',
      title: 'Update a record',
      description: 'Sets the given fields of one record (PATCH …/sobjects/{object}/{id}; Salesforce answers 204).',
      input: updateInput,
      output: z.object({ id: z.string(), updated: z.literal(true) }),
      async run(ctx: Ctx, input) {
        // Setting the same values again changes nothing: safe to retry.
        await salesforceCall(() => ctx.http.request({ method: 'PATCH', path: dataPath(ctx, `sobjects/${input.sobject}/${input.id}`), json: input.fields, retry: {} }));
        return { id: input.id, updated: true as const };
      },
    }),
  ],
});
