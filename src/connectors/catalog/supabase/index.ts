// Supabase (seed 002's "Supabase integration"): read and write a project's tables and call its SQL functions
// through the Data API (PostgREST), with a server-side key.
// Docs used:
//   https://supabase.com/docs/guides/api                  (https://<project-ref>.supabase.co/rest/v1/, a route per
//                                                          table, view and function; GET / describes them as OpenAPI)
//   https://supabase.com/docs/guides/api/api-keys         (secret keys sb_secret_… in the `apikey` header; legacy
//                                                          service_role JWTs in `apikey` and `Authorization: Bearer`;
//                                                          server keys bypass Row Level Security)
//   https://docs.postgrest.org/en/stable/references/api/tables_views.html  (select=, column=op.value filters,
//                                                          order=, limit/offset, Prefer: return=representation,
//                                                          resolution=merge-duplicates with on_conflict= for upserts)
//   https://docs.postgrest.org/en/stable/references/api/functions.html     (POST /rpc/<function> with JSON arguments)
//   https://docs.postgrest.org/en/stable/references/errors.html            ({ code, message, details, hint };
//                                                          PGRST codes and SQLSTATEs)
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Supabase';

const config = z.object({
  projectUrl: z
    .url({ protocol: /^https$/, message: 'projectUrl must be the https:// Project URL, e.g. https://abcdefghijklmnop.supabase.co' })
    .transform((value) => new URL(value).origin)
    .describe('Project Settings → Data API → Project URL, e.g. https://abcdefghijklmnop.supabase.co'),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a schema exposed by the Data API, e.g. public')
    .default('public')
    .describe('The schema the tables live in (it must be exposed in the Data API settings)'),
});
type Config = z.output<typeof config>;
type Ctx = ConnectorContext<Config>;

/** `invalid input syntax for type uuid: "x" (22P02)`, with PostgREST's hint when it gives one. */
function supabaseDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { code, message, hint } = body as { code?: unknown; message?: unknown; hint?: unknown };
  if (typeof message !== 'string') return undefined;
  return `${message}${typeof code === 'string' ? ` (${code})` : ''}${typeof hint === 'string' && hint ? ` Hint: ${hint}` : ''}`;
}
const errors = providerErrors({ title: TITLE, detail: supabaseDetail, credentialField: 'credentials.apiKey' });

const identifier = (what: string) => z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, `a ${what} name: letters, digits and _`);
const FILTER = /^(not\.)?(eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|is|isdistinct|in|cs|cd|ov|sl|sr|nxl|nxr|adj|fts|plfts|phfts|wfts)\./;
const filters = z
  .record(identifier('column'), z.string().regex(FILTER, 'a PostgREST filter such as eq.done, gte.10, in.(a,b) or is.null'))
  .describe('Column filters in PostgREST syntax, e.g. { status: "eq.done", score: "gte.10" }');
const row = z.record(z.string(), z.unknown());

const selectInput = z.object({
  table: identifier('table or view'),
  select: z.string().min(1).max(2000).default('*').describe('Columns, e.g. id,name,orders(total)'),
  filters: filters.optional(),
  order: z.string().regex(/^[A-Za-z_][\w]*(\.(asc|desc))?(\.(nullsfirst|nullslast))?(,[A-Za-z_][\w]*(\.(asc|desc))?(\.(nullsfirst|nullslast))?)*$/, 'e.g. created_at.desc,id').optional(),
  limit: z.number().int().min(1).max(1000).default(100).describe('Rows per request'),
  offset: z.number().int().min(0).default(0),
  followPages: z.boolean().default(false),
  maxPages: z.number().int().min(1).max(100).default(10),
});
const selectOutput = z.object({ rows: z.array(row), nextOffset: z.number().int().nullable() });
const insertInput = z.object({
  table: identifier('table'),
  rows: z.array(row).min(1).max(1000),
  upsert: z.boolean().default(false).describe('Update rows whose key already exists instead of failing'),
  onConflict: z.array(identifier('column')).min(1).optional().describe('Upsert on these unique columns instead of the primary key'),
});
const updateInput = z.object({
  table: identifier('table'),
  filters: filters.refine((value) => Object.keys(value).length > 0, 'at least one filter: an update without one would change every row'),
  values: row.refine((value) => Object.keys(value).length > 0, 'at least one column to set'),
});
const rpcInput = z.object({ function: identifier('function'), args: z.record(z.string(), z.unknown()).default({}) });

const profile = (ctx: Ctx, write: boolean): Record<string, string> => (write ? { 'content-profile': ctx.config.schema } : { 'accept-profile': ctx.config.schema });

function rowsOf(data: unknown, what: string): Array<Record<string, unknown>> {
  const parsed = z.array(row).safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

export default defineConnector<Config>({
  id: 'supabase',
  title: TITLE,
  category: 'data',
  description: 'Select, insert, upsert and update rows of a Supabase project’s tables and call its SQL functions through the Data API, with a server-side key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#1c1c1c"/><path d="M13 3.5L5.5 13.5h6l-1 7 7.5-10h-6z" fill="#3ecf8e"/></svg>',
  docsUrl: 'https://supabase.com/docs/guides/api',
  baseUrl: (c) => `${c.projectUrl}/rest/v1`,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'Secret key',
        description: 'Project Settings → API Keys: a secret key (sb_secret_…) or the legacy service_role key. It bypasses Row Level Security: it is stored encrypted and only sent to this project.',
        placement: 'none',
      },
    },
  },
  authenticate({ headers, url }, c, credential) {
    const key = credential.apiKey;
    if (!key || url.origin !== c.projectUrl) return;
    headers.apikey = key;
    // Legacy keys are JWTs and go in Authorization too; the new secret keys are not and must not.
    if (key.startsWith('eyJ')) headers.authorization = `Bearer ${key}`;
  },
  config,
  // No rateLimit: the Data API documents none (it depends on the project's compute size).
  async checkConnection(ctx) {
    try {
      // The Data API's root describes the exposed tables; it needs a valid key.
      const answer = await ctx.http.get('', { headers: profile(ctx, false) });
      const paths = (answer.data as { paths?: Record<string, unknown> } | null)?.paths ?? {};
      const tables = Object.keys(paths).filter((p) => p !== '/' && !p.startsWith('/rpc/')).length;
      const host = new URL(ctx.config.projectUrl).host;
      return { ok: true, account: { id: host.split('.')[0] ?? host, name: host, details: { schema: ctx.config.schema, tables } } };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof selectInput>, z.infer<typeof selectOutput>>({
      name: 'selectRows',
      title: 'Select rows',
      description: 'Rows of a table or view matching the filters, in order, one page or several (GET /rest/v1/<table>).',
      input: selectInput,
      output: selectOutput,
      async run(ctx: Ctx, input) {
        const rows: Array<Record<string, unknown>> = [];
        let next: string | null = null;
        await errors.call(async () => {
          for await (const page of paginate<unknown>(
            ctx.http,
            { path: input.table, query: { select: input.select, ...input.filters, order: input.order }, headers: profile(ctx, false) },
            { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', pageSize: input.limit, start: input.offset },
            { maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
          )) {
            rows.push(...rowsOf(page.items, 'the rows'));
            next = page.next;
          }
        });
        return { rows, nextOffset: next === null ? null : Number(next) };
      },
    }),
    defineAction<Config, z.output<typeof insertInput>, Array<Record<string, unknown>>>({
      name: 'insertRows',
      title: 'Insert or upsert rows',
      description: 'Inserts up to 1,000 rows, or upserts them on the primary key or the given columns, and returns them as stored.',
      input: insertInput,
      output: z.array(row),
      async run(ctx: Ctx, input) {
        const prefer = input.upsert ? 'return=representation,resolution=merge-duplicates' : 'return=representation';
        const answer = await errors.call(() =>
          ctx.http.request({
            method: 'POST',
            path: input.table,
            query: { on_conflict: input.upsert && input.onConflict ? input.onConflict.join(',') : undefined },
            headers: { ...profile(ctx, true), prefer },
            json: input.rows,
            // An upsert lands on the same rows when repeated; a plain insert is not retried.
            ...(input.upsert ? { retry: {} } : {}),
          }),
        );
        return rowsOf(answer.data, 'the inserted rows');
      },
    }),
    defineAction<Config, z.output<typeof updateInput>, Array<Record<string, unknown>>>({
      name: 'updateRows',
      title: 'Update rows',
      description: 'Sets columns on the rows matching the filters (at least one filter) and returns the changed rows.',
      input: updateInput,
      output: z.array(row),
      async run(ctx: Ctx, input) {
        const answer = await errors.call(() =>
          ctx.http.request({ method: 'PATCH', path: input.table, query: input.filters, headers: { ...profile(ctx, true), prefer: 'return=representation' }, json: input.values, retry: {} }),
        );
        return rowsOf(answer.data, 'the updated rows');
      },
    }),
    defineAction<Config, z.output<typeof rpcInput>, unknown>({
      name: 'callFunction',
      title: 'Call a SQL function',
      description: 'Calls a Postgres function exposed by the Data API with named arguments and returns its result (POST /rest/v1/rpc/<function>).',
      input: rpcInput,
      output: z.unknown(),
      async run(ctx: Ctx, input) {
        // Not retried: a function may write.
        return (await errors.call(() => ctx.http.post(`rpc/${input.function}`, input.args, { headers: profile(ctx, true) }))).data;
      },
    }),
  ],
});
