// Airtable: list a table's records (offset-paged), create and update records, and sync a table into the records
// store, through a personal access token.
//
// Written from Airtable's public Web API reference:
//   https://airtable.com/developers/web/api/authentication        (Authorization: Bearer <personal access token>)
//   https://airtable.com/developers/web/api/get-user-id-scopes   (GET /v0/meta/whoami: id, scopes, email)
//   https://airtable.com/developers/web/api/list-records         (POST /v0/{baseId}/{table}/listRecords for long
//                                                                 queries; pageSize ≤ 100; `offset` cursor; an offset
//                                                                 left idle expires: 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE)
//   https://airtable.com/developers/web/api/create-records       (POST /v0/{baseId}/{table}, ≤ 10 records, typecast)
//   https://airtable.com/developers/web/api/update-multiple-records (PATCH merges fields, PUT replaces them; ≤ 10)
//   https://airtable.com/developers/web/api/errors               (`{ error: { type, message } }`; 429 after 5
//                                                                 requests per second per base, wait 30 s; a body
//                                                                 with `error` and `message`, the error nested or flat)
//   https://support.airtable.com/docs/getting-started-with-airtables-web-api  (pages of up to 100, offset)
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate, type PaginationRule } from '../../sdk/paginate.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { defineSync } from '../../sdk/sync.ts';
import { airtableCall, checkFailure, TITLE } from './errors.ts';

const baseIdField = z
  .string()
  .trim()
  .regex(/^app[A-Za-z0-9]{14}$/, 'an Airtable base id: app followed by 14 letters or digits (from the base URL airtable.com/app…)');

const config = z.object({
  syncBaseId: baseIdField.optional().describe('For the records sync: the base to copy (app…)'),
  syncTable: z.string().trim().min(1).max(255).optional().describe('For the records sync: the table id (tbl…) or name'),
  syncView: z.string().trim().min(1).optional().describe('For the records sync: only the records of this view'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const MAX_PAGE_SIZE = 100;
/** Airtable takes at most ten records per create or update request. */
const MAX_WRITE = 10;

const whoami = z.looseObject({ id: z.string(), email: z.string().optional(), scopes: z.array(z.string()).optional() });
const record = z.looseObject({ id: z.string(), createdTime: z.string().optional(), fields: z.record(z.string(), z.unknown()) });
const recordList = z.object({ records: z.array(record) });

const baseId = baseIdField.describe('The base id, e.g. appa1b2c3d4e5f6g7');
const table = z.string().trim().min(1).max(255).describe('The table id (tbl…) or its name');
const fields = z.record(z.string(), z.unknown()).describe('Cell values by field name (or field id)');

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({
    code: 'invalid_response',
    body: data,
    message: `${TITLE} answered ${what} in an undocumented shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
  });
}

const tablePath = (input: { baseId: string; table: string }) => `${input.baseId}/${encodeURIComponent(input.table)}`;

/** Airtable's `offset` cursor, sent back in the body of the POST listRecords variant. */
const OFFSET_PAGING: PaginationRule = { kind: 'cursor', itemsPath: 'records', cursorPath: 'offset', cursorParam: 'offset', cursorIn: 'body' };

// ---- listRecords -------------------------------------------------------------------------------------------

const listInput = z.object({
  baseId,
  table,
  view: z.string().trim().min(1).optional().describe('Only records in this view, in its order'),
  filterByFormula: z.string().min(1).max(10_000).optional().describe('An Airtable formula, e.g. {Status} = "Done"'),
  fields: z.array(z.string().min(1)).optional().describe('Return only these fields'),
  sort: z.array(z.object({ field: z.string().min(1), direction: z.enum(['asc', 'desc']).default('asc') })).optional(),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE).describe('Records per request (Airtable: at most 100)'),
  maxRecords: z.number().int().min(1).max(100_000).optional().describe('Stop after this many records in total'),
  offset: z.string().min(1).max(200).optional().describe('The offset of a previous answer, to continue from'),
  followPages: z.boolean().default(false).describe('Keep requesting pages until the end, maxRecords or maxPages'),
  maxPages: z.number().int().min(1).max(100).default(10).describe('Upper bound on requests when followPages is on'),
});
const listOutput = z.object({
  records: z.array(record),
  /** Set when more records remain: pass it back as `offset`. */
  offset: z.string().nullable(),
  pagesFetched: z.number().int(),
});

const listRecords = defineAction<Config, z.output<typeof listInput>, z.infer<typeof listOutput>>({
  name: 'listRecords',
  title: 'List records',
  description: 'Records of a table, optionally filtered by a formula or a view, one page or several (POST …/listRecords).',
  input: listInput,
  output: listOutput,
  async run(ctx: Ctx, input) {
    const body = {
      pageSize: input.pageSize,
      ...(input.view ? { view: input.view } : {}),
      ...(input.filterByFormula ? { filterByFormula: input.filterByFormula } : {}),
      ...(input.fields ? { fields: input.fields } : {}),
      ...(input.sort ? { sort: input.sort } : {}),
      ...(input.maxRecords !== undefined ? { maxRecords: input.maxRecords } : {}),
    };
    const records: z.infer<typeof record>[] = [];
    let offset: string | null = null;
    let pagesFetched = 0;
    // The POST variant carries the query in the body, so long formulas and field lists fit; it reads only,
    // so a 429 or 5xx is safe to retry.
    const pages = paginate<unknown>(
      ctx.http,
      { method: 'POST', path: `${tablePath(input)}/listRecords`, json: body, retry: {} },
      OFFSET_PAGING,
      { resumeFrom: input.offset ?? null, maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
    );
    await airtableCall(async () => {
      for await (const page of pages) {
        records.push(...read(recordList, { records: page.items }, 'the records').records);
        offset = page.next;
        pagesFetched += 1;
      }
    });
    return { records, offset, pagesFetched };
  },
});

// ---- createRecords / updateRecords -----------------------------------------------------------------------

const typecast = z.boolean().optional().describe('Let Airtable convert text to the field types (e.g. create select options)');

const createInput = z.object({
  baseId,
  table,
  records: z.array(z.object({ fields })).min(1).max(MAX_WRITE).describe('Up to 10 records'),
  typecast,
});

const createRecords = defineAction<Config, z.output<typeof createInput>, z.infer<typeof recordList>>({
  name: 'createRecords',
  title: 'Create records',
  description: 'Creates up to 10 records in a table (POST /v0/{baseId}/{table}) and returns them with their ids.',
  input: createInput,
  output: recordList,
  async run(ctx: Ctx, input) {
    // Not retried (POST's default): a repeated create would add the rows twice.
    const answer = await airtableCall(() => ctx.http.post(tablePath(input), { records: input.records, ...(input.typecast !== undefined ? { typecast: input.typecast } : {}) }));
    return read(recordList, answer.data, 'the created records');
  },
});

const updateInput = z.object({
  baseId,
  table,
  records: z
    .array(z.object({ id: z.string().regex(/^rec[A-Za-z0-9]{14}$/, 'a record id: rec followed by 14 letters or digits'), fields }))
    .min(1)
    .max(MAX_WRITE)
    .describe('Up to 10 records, each with its id'),
  replace: z.boolean().default(false).describe('Clear the fields not given (PUT) instead of changing only the given ones (PATCH)'),
  typecast,
});

const updateRecords = defineAction<Config, z.output<typeof updateInput>, z.infer<typeof recordList>>({
  name: 'updateRecords',
  title: 'Update records',
  description: 'Changes the given fields of up to 10 records (PATCH), or replaces all their fields (PUT).',
  input: updateInput,
  output: recordList,
  async run(ctx: Ctx, input) {
    const answer = await airtableCall(() =>
      ctx.http.request({
        method: input.replace ? 'PUT' : 'PATCH',
        path: tablePath(input),
        json: { records: input.records, ...(input.typecast !== undefined ? { typecast: input.typecast } : {}) },
        // Setting the same values twice leaves the same rows: safe to retry on 429 and 5xx.
        retry: {},
      }),
    );
    return read(recordList, answer.data, 'the updated records');
  },
});

// ---- records sync -----------------------------------------------------------------------------------------

type AirtableRecord = z.infer<typeof record>;
interface RecordsCheckpoint {
  offset: string;
}

const recordsSync = defineSync<Config, AirtableRecord>({
  name: 'records',
  title: 'Table records',
  description: 'Every record of the configured table (or view) with its fields; records no longer there are marked deleted.',
  model: 'AirtableRecord',
  schema: record,
  idOf: (item) => item.id,
  frequency: 'every 1h',
  // Airtable has no change feed for a table: each run reads it whole, and the engine marks what is gone.
  incremental: false,
  async run(ctx) {
    const { syncBaseId, syncTable, syncView } = ctx.config;
    if (!syncBaseId || !syncTable) {
      throw new ProviderError({ code: 'invalid_response', message: 'The Airtable records sync needs syncBaseId and syncTable in the integration’s settings.' });
    }
    const request = { method: 'POST', path: `${tablePath({ baseId: syncBaseId, table: syncTable })}/listRecords`, json: { pageSize: MAX_PAGE_SIZE, ...(syncView ? { view: syncView } : {}) }, retry: {} };
    const saved = await ctx.checkpoint.get<RecordsCheckpoint | null>();
    let processed = 0;
    const readFrom = async (offset: string | null) => {
      for await (const page of ctx.paginate<unknown>(request, OFFSET_PAGING, { resumeFrom: offset })) {
        const records = read(recordList, { records: page.items }, 'the records').records;
        await ctx.records.upsert(records);
        processed += records.length;
        // Saved with the page's records, so a retried run continues after them.
        await ctx.checkpoint.save(page.next ? ({ offset: page.next } satisfies RecordsCheckpoint) : null);
        await ctx.progress(processed, undefined, 'records');
      }
    };
    await airtableCall(async () => {
      try {
        await readFrom(saved?.offset ?? null);
      } catch (error) {
        // Airtable's offsets expire (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE): start the table again.
        if (!saved || !(error instanceof ProviderError) || error.status !== 422 || !JSON.stringify(error.body ?? '').includes('LIST_RECORDS_ITERATOR_NOT_AVAILABLE')) throw error;
        await readFrom(null);
      }
    });
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'airtable',
  title: TITLE,
  category: 'content',
  description: 'List, create and update records in Airtable bases with a personal access token.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#fcb400"/><path d="M5 8.5l7-3 7 3-7 3z" fill="#fff"/><path d="M5 10.5v6l6 2.5v-6z" fill="#18bfff"/><path d="M19 10.5v6l-6 2.5v-6z" fill="#f82b60"/></svg>',
  docsUrl: 'https://airtable.com/developers/web/api/introduction',
  baseUrl: 'https://api.airtable.com/v0',
  auth: {
    kind: 'apiKey',
    fields: {
      token: {
        label: 'Personal access token',
        description: 'From airtable.com/create/tokens, with data.records:read (and :write to create or update) and the bases it may use.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
        pattern: { regex: /^pat\S+$/, message: 'An Airtable personal access token starts with pat' },
      },
    },
  },
  config,
  // Documented per base; applying it per integration keeps every base of the token under it.
  rateLimit: { perSecond: 5 },
  async checkConnection(ctx) {
    try {
      const me = read(whoami, (await ctx.http.get('meta/whoami')).data, 'GET /v0/meta/whoami');
      return {
        ok: true,
        account: { id: me.id, name: me.email ?? me.id, details: { email: me.email ?? null, scopes: me.scopes?.join(' ') ?? null } },
      };
    } catch (error) {
      return checkFailure(error);
    }
  },
  actions: [listRecords, createRecords, updateRecords],
  syncs: [recordsSync],
});
