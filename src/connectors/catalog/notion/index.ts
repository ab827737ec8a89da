// Notion: query a database, read a page and its block children through an internal integration's token.
//
// Written from Notion's public API reference:
//   https://developers.notion.com/reference/versioning and /docs/upgrade-guide-2026-03-11  (Notion-Version)
//   https://developers.notion.com/docs/upgrade-guide-2025-09-03  (databases hold data sources; rows are
//                                    queried with POST /v1/data_sources/{id}/query, not /databases/{id}/query)
//   https://developers.notion.com/reference/get-self             (GET /v1/users/me: the token's bot user)
//   https://developers.notion.com/reference/database, /reference/data-source, /reference/retrieve-a-page,
//   https://developers.notion.com/reference/get-block-children, /reference/intro (pagination)
//   https://developers.notion.com/reference/status-codes, /reference/request-limits (errors, 429 + Retry-After)
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { checkFailure, notionCall, TITLE } from './errors.ts';
import { dataSourceOf, read } from './data-sources.ts';
import { notionIdField } from './ids.ts';
import { pagesSync } from './syncs.ts';
import { collectPages, MAX_PAGE_SIZE, type NotionListPage } from './paginate.ts';

/**
 * The API version every request is pinned to: the latest the docs show. 2026-03-11 renamed `archived` to
 * `in_trash` and `after` to `position`; neither is used here, so moving to it changed only this line.
 */
export const NOTION_VERSION = '2026-03-11';

const config = z.object({
  databaseId: notionIdField('database').optional().describe('The database whose pages the pages sync reads (its id or link); actions do not need it'),
  dataSourceId: notionIdField('data source').optional().describe('The data source to sync, needed only when the database has more than one'),
});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

// Provider answers are checked only as far as this connector reads them; Notion objects pass through whole.
const notionObject = z.looseObject({ object: z.string(), id: z.string() });
type NotionObject = z.infer<typeof notionObject>;
const list = z.object({ results: z.array(notionObject), next_cursor: z.string().nullable(), has_more: z.boolean() });
const botUser = z.object({
  object: z.literal('user'),
  id: z.string(),
  name: z.string().nullable().optional(),
  type: z.string().optional(),
  bot: z
    .object({
      owner: z.object({ type: z.string() }).optional(),
      workspace_name: z.string().nullable().optional(),
      workspace_id: z.string().optional(),
    })
    .optional(),
});

/**
 * `filter_properties` is repeated once per property (`?filter_properties=a&filter_properties=b`); the
 * provider client's `query` sets one value per name, so these travel in the path's own query string.
 */
function withFilterProperties(path: string, properties: string[] | undefined): string {
  if (!properties?.length) return path;
  const search = new URLSearchParams();
  for (const property of properties) search.append('filter_properties', property);
  return `${path}?${search.toString()}`;
}

const listOutput = z.object({ results: z.array(notionObject), nextCursor: z.string().nullable(), hasMore: z.boolean() });

const paging = {
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe('Results per request (Notion: at most 100, default 100)'),
  startCursor: z.string().min(1).optional().describe('next_cursor from a previous answer'),
  followPages: z.boolean().default(false).describe('Keep requesting pages until the end or maxResults'),
  maxResults: z.number().int().min(1).max(10_000).default(1_000).describe('Stop following pages after this many results'),
};

// ---- queryDatabase ----------------------------------------------------------------------------------------

const queryInput = z
  .object({
    databaseId: notionIdField('database').optional(),
    dataSourceId: notionIdField('data source')
      .optional()
      .describe('The data source to query; needed only when the database has more than one'),
    filter: z.record(z.string(), z.unknown()).optional().describe('A Notion filter object, e.g. { property: "Status", status: { equals: "Done" } }'),
    sorts: z.array(z.record(z.string(), z.unknown())).optional().describe('Notion sort objects, e.g. [{ property: "Due", direction: "ascending" }]'),
    filterProperties: z.array(z.string().min(1)).optional().describe('Return only these property ids or names'),
    ...paging,
  })
  .refine((input) => input.databaseId !== undefined || input.dataSourceId !== undefined, {
    message: 'give databaseId or dataSourceId',
    path: ['databaseId'],
  });
const queryOutput = listOutput.extend({ dataSourceId: z.string() });

const queryDatabase = defineAction<Config, z.infer<typeof queryInput>, z.infer<typeof queryOutput>>({
  name: 'queryDatabase',
  title: 'Query a database',
  description: 'Lists the pages of a database (its data source) matching a filter, in the given order, one page of results or all of them up to a limit.',
  input: queryInput,
  output: queryOutput,
  async run(ctx: Ctx, input) {
    const dataSourceId = await dataSourceOf(ctx, input);
    const path = withFilterProperties(`data_sources/${encodeURIComponent(dataSourceId)}/query`, input.filterProperties);
    const collected = await collectPages<NotionObject>({
      follow: input.followPages,
      limit: input.maxResults,
      ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
      ...(input.startCursor !== undefined ? { startCursor: input.startCursor } : {}),
      fetchPage: async (cursor, pageSize) => {
        const body = {
          ...(input.filter ? { filter: input.filter } : {}),
          ...(input.sorts ? { sorts: input.sorts } : {}),
          ...(cursor ? { start_cursor: cursor } : {}),
          ...(pageSize !== undefined ? { page_size: pageSize } : {}),
        };
        // A query reads and changes nothing, so a 429 or 5xx is safe to retry even though it is a POST.
        const answer = await notionCall(() => ctx.http.post(path, body, { retry: {} }));
        return read(list, answer.data, 'the query') as NotionListPage<NotionObject>;
      },
    });
    return { dataSourceId, ...collected };
  },
});

// ---- getPage ----------------------------------------------------------------------------------------------

const pageInput = z.object({
  pageId: notionIdField('page'),
  filterProperties: z.array(z.string().min(1)).optional().describe('Return only these property ids'),
});
const pageOutput = z.looseObject({ object: z.literal('page'), id: z.string(), properties: z.record(z.string(), z.unknown()) });

const getPage = defineAction<Config, z.infer<typeof pageInput>, z.infer<typeof pageOutput>>({
  name: 'getPage',
  title: 'Get a page',
  description: 'Returns a page with its properties, parent, URL and trash state (its content is in getBlockChildren).',
  input: pageInput,
  output: pageOutput,
  async run(ctx: Ctx, input) {
    const answer = await notionCall(() => ctx.http.get(withFilterProperties(`pages/${encodeURIComponent(input.pageId)}`, input.filterProperties)));
    return read(pageOutput, answer.data, 'the page');
  },
});

// ---- getBlockChildren -------------------------------------------------------------------------------------

const childrenInput = z.object({
  // A page is a block too; a block link keeps the block id after `#`.
  blockId: notionIdField('block or page', { fromFragment: true }),
  ...paging,
});

const getBlockChildren = defineAction<Config, z.infer<typeof childrenInput>, z.infer<typeof listOutput>>({
  name: 'getBlockChildren',
  title: 'Get block children',
  description: 'Lists the blocks directly inside a page or block (one level; blocks with has_children have more).',
  input: childrenInput,
  output: listOutput,
  async run(ctx: Ctx, input) {
    return collectPages<NotionObject>({
      follow: input.followPages,
      limit: input.maxResults,
      ...(input.pageSize !== undefined ? { pageSize: input.pageSize } : {}),
      ...(input.startCursor !== undefined ? { startCursor: input.startCursor } : {}),
      fetchPage: async (cursor, pageSize) => {
        const answer = await notionCall(() =>
          ctx.http.get(`blocks/${encodeURIComponent(input.blockId)}/children`, { query: { start_cursor: cursor, page_size: pageSize } }),
        );
        return read(list, answer.data, 'the block children') as NotionListPage<NotionObject>;
      },
    });
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'notion',
  title: TITLE,
  category: 'content',
  description: 'Query Notion databases and read pages and their blocks through an internal integration token.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="1" y="1" width="22" height="22" rx="5" fill="#fafaf9" stroke="#1c1917" stroke-width="2"/><path d="M8 17V7l8 10V7" fill="none" stroke="#1c1917" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: 'https://developers.notion.com/reference/intro',
  baseUrl: 'https://api.notion.com/v1',
  auth: {
    kind: 'apiKey',
    fields: {
      token: {
        label: 'Internal integration secret',
        description: 'From notion.so/profile/integrations → your integration → Configuration. Share pages and databases with the integration so it can see them.',
        placement: 'header',
        name: 'Authorization',
        prefix: 'Bearer ',
      },
    },
  },
  // Notion refuses any request without Notion-Version (400 missing_version), proxied ones included, so it
  // is added where the credential is: on every request this connector's integrations send. A proxy caller
  // that names its own version keeps it.
  authenticate({ headers }, _config, credential) {
    if (credential.token) headers.authorization = `Bearer ${credential.token}`;
    headers['notion-version'] ??= NOTION_VERSION;
  },
  config,
  async checkConnection(ctx) {
    try {
      const me = read(botUser, (await ctx.http.get('users/me')).data, 'the bot user');
      const workspace = me.bot?.workspace_name ?? null;
      return {
        ok: true,
        account: {
          id: me.id,
          name: me.name ?? 'Notion integration',
          details: {
            workspace,
            ...(me.bot?.workspace_id ? { workspaceId: me.bot.workspace_id } : {}),
            ...(me.bot?.owner ? { owner: me.bot.owner.type } : {}),
          },
        },
      };
    } catch (error) {
      return checkFailure(error);
    }
  },
  actions: [queryDatabase, getPage, getBlockChildren],
  syncs: [pagesSync],
  // Notion documents an average of three requests per second per integration, with bursts allowed: a
  // per-minute budget of 180 keeps the average and lets a burst through.
  rateLimit: { perMinute: 180 },
  // Only the database → data source lookup opts in to caching.
  cacheTtlMs: 5 * 60 * 1000,
});
