// Contract tests for Notion's pages sync against fixtures shaped like the reference: the database resolved to
// its data source, rows queried oldest edit first 100 at a time with start_cursor in the body, Notion-Version on
// every request, a later run filtered by last_edited_time, a 429 with Retry-After waited out, and a run that
// failed mid-window resumed at Notion's cursor.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provider, syncRunner } from '../../../../test/support/connectors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import notion, { NOTION_VERSION } from './index.ts';
import type { PagesCheckpoint } from './syncs.ts';

const TOKEN = 'ntn_5521830977aKfP2vXyQ8mLrT0sBcD3eFgH5jK7nP9wZ2';
const BASE = 'https://api.notion.com/v1';
const DATABASE = '2f26ee68-df30-4251-aad4-8ddc420cba3d';
const DATA_SOURCE = 'c174b72c-d782-432f-8dc0-b647e1c96df6';
const QUERY_PATH = `/v1/data_sources/${DATA_SOURCE}/query`;

const pageId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const minute = (n: number) => new Date(Date.UTC(2026, 2, 1, 9, 0) + n * 60_000).toISOString();
const notionPage = (n: number, edited: string, status = 'Todo') => ({
  object: 'page',
  id: pageId(n),
  created_time: '2026-02-01T08:00:00.000Z',
  last_edited_time: edited,
  created_by: { object: 'user', id: '6794760a-1f15-45cd-9c65-0dfe42f5135a' },
  last_edited_by: { object: 'user', id: '6794760a-1f15-45cd-9c65-0dfe42f5135a' },
  cover: null,
  icon: null,
  parent: { type: 'data_source_id', data_source_id: DATA_SOURCE, database_id: DATABASE },
  in_trash: false,
  is_locked: false,
  properties: {
    Name: { id: 'title', type: 'title', title: [{ type: 'text', text: { content: `Task ${n}`, link: null }, plain_text: `Task ${n}`, href: null }] },
    Status: { id: 'Z%3ClH', type: 'status', status: { id: 'a1', name: status, color: 'default' } },
  },
  url: `https://www.notion.so/Task-${n}`,
  public_url: null,
});

let rows = Array.from({ length: 230 }, (_, i) => notionPage(i + 1, minute(i)));
/** Answers queued for the next query requests, before the regular one. */
let queryAnswers: Array<() => Response> = [];

const notionError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ object: 'error', status, code, message, request_id: 'c2f5e2a0-0000-4000-8000-000000000001' }, { status, headers });

/** Cursors are opaque to clients: here the index of the next row, wrapped so it does not look like one. */
const cursorFor = (index: number) => `cur-${index.toString(36)}-${DATA_SOURCE.slice(0, 8)}`;
const indexOf = (cursor: string) => parseInt(cursor.split('-')[1]!, 36);

function query(body: { start_cursor?: string; page_size?: number; filter?: { last_edited_time?: { on_or_after?: string } } }) {
  const after = body.filter?.last_edited_time?.on_or_after;
  const matching = rows.filter((row) => !after || Date.parse(row.last_edited_time) >= Date.parse(after)).sort((a, b) => a.last_edited_time.localeCompare(b.last_edited_time));
  const start = body.start_cursor ? indexOf(body.start_cursor) : 0;
  const size = body.page_size ?? 100;
  const end = start + size;
  const more = end < matching.length;
  return HttpResponse.json({
    object: 'list',
    results: matching.slice(start, end),
    next_cursor: more ? cursorFor(end) : null,
    has_more: more,
    type: 'page_or_data_source',
    page_or_data_source: {},
    request_id: 'c2f5e2a0-0000-4000-8000-000000000002',
  });
}

const authorised = (request: Request) => request.headers.get('authorization') === `Bearer ${TOKEN}` && request.headers.get('notion-version') === NOTION_VERSION;

const api = provider([
  http.get(`${BASE}/databases/:id`, ({ request, params }) => {
    if (!authorised(request)) return notionError(401, 'unauthorized', 'API token is invalid.');
    if (params.id !== DATABASE) return notionError(404, 'object_not_found', `Could not find database with ID: ${String(params.id)}.`);
    return HttpResponse.json({ object: 'database', id: DATABASE, title: [], data_sources: [{ id: DATA_SOURCE, name: 'Launch tasks' }], in_trash: false });
  }),
  http.post(`${BASE}/data_sources/${DATA_SOURCE}/query`, async ({ request }) => {
    if (!authorised(request)) return notionError(401, 'unauthorized', 'API token is invalid.');
    const queued = queryAnswers.shift();
    if (queued) return queued();
    return query((await request.json()) as Parameters<typeof query>[0]);
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queryAnswers = [];
  rows = Array.from({ length: 230 }, (_, i) => notionPage(i + 1, minute(i)));
});
afterAll(() => api.disable());

const queries = () => api.requests.filter((request) => request.url.pathname === QUERY_PATH);
const bodyOf = (index: number) => JSON.parse(queries()[index]!.body) as Record<string, unknown>;
const runner = (checkpoint?: PagesCheckpoint) =>
  syncRunner(notion, 'pages', { config: { databaseId: `https://www.notion.so/acme/Launch-tasks-${DATABASE.replace(/-/g, '')}?v=1` }, credentials: { token: TOKEN }, checkpoint });

describe('Notion pages sync', () => {
  it('reads every page of the database, oldest edit first, 100 per request, with Notion-Version on every request', async () => {
    const sync = runner();
    await sync.run();
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
      `GET /v1/databases/${DATABASE}`,
      `POST ${QUERY_PATH}`,
      `POST ${QUERY_PATH}`,
      `POST ${QUERY_PATH}`,
    ]);
    expect(api.requests.every((r) => r.headers.get('notion-version') === NOTION_VERSION && r.headers.get('authorization') === `Bearer ${TOKEN}`)).toBe(true);
    const sorts = [{ timestamp: 'last_edited_time', direction: 'ascending' }];
    expect(bodyOf(0)).toEqual({ sorts, page_size: 100 });
    expect(bodyOf(1)).toEqual({ sorts, page_size: 100, start_cursor: cursorFor(100) });
    expect(bodyOf(2)).toEqual({ sorts, page_size: 100, start_cursor: cursorFor(200) });
    expect(sync.state.batches.map((batch) => batch.length)).toEqual([100, 100, 30]);
    expect(new Set(sync.state.records.map((r) => (r as { id: string }).id)).size).toBe(230);
    expect(sync.state.checkpoints.map((c) => (c as PagesCheckpoint).cursor)).toEqual([cursorFor(100), cursorFor(200), null]);
    expect(sync.state.checkpoint).toEqual({ dataSourceId: DATA_SOURCE, since: null, cursor: null, newest: minute(229) });
    expect(sync.state.progress.at(-1)).toEqual({ processed: 230, step: 'pages' });
    expect(sync.sync.incremental).toBe(true);
    sync.close();
  });

  it('asks the next run only for pages edited on or after the newest edit it saw', async () => {
    const sync = runner({ dataSourceId: DATA_SOURCE, since: null, cursor: null, newest: minute(229) });
    rows = [...rows.map((row) => (row.id === pageId(7) ? notionPage(7, minute(240), 'Done') : row)), notionPage(231, minute(241))];
    await sync.run();
    expect(queries()).toHaveLength(1);
    expect(bodyOf(0)).toEqual({
      filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: minute(229) } },
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
      page_size: 100,
    });
    // The page edited in the checkpoint's own minute is read again (Notion's times are whole minutes).
    expect(sync.state.batches).toEqual([[pageId(230), pageId(7), pageId(231)]]);
    expect(sync.state.checkpoint).toEqual({ dataSourceId: DATA_SOURCE, since: minute(229), cursor: null, newest: minute(241) });
    sync.close();
  });

  it("waits out a 429 for Notion's Retry-After and sends the same query again", async () => {
    queryAnswers = [() => notionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', { 'retry-after': '2' })];
    const sync = runner();
    await sync.run();
    expect(sync.sleeps).toEqual([2000]);
    expect(queries()).toHaveLength(4);
    expect(bodyOf(0)).toEqual(bodyOf(1));
    expect(sync.state.records).toHaveLength(230);
    sync.close();
  });

  it('resumes a window at the cursor after a failed page, keeping the window start', async () => {
    const since = minute(9);
    const sync = runner({ dataSourceId: DATA_SOURCE, since: null, cursor: null, newest: since });
    // The second page fails with Notion's service_unavailable on every retry the client makes.
    queryAnswers = [() => query({ page_size: 100, filter: { last_edited_time: { on_or_after: since } } }), ...Array.from({ length: 8 }, () => () => notionError(503, 'service_unavailable', 'Notion is unavailable, please try again later.'))];
    const failed = await sync.run().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ProviderError);
    expect((failed as ProviderError).status).toBe(503);
    expect((failed as ProviderError).message).toBe('Notion answered 503 service_unavailable: Notion is unavailable, please try again later.');
    expect(sync.state.checkpoint).toEqual({ dataSourceId: DATA_SOURCE, since, cursor: cursorFor(100), newest: minute(108) });

    queryAnswers = [];
    api.reset();
    await sync.run();
    // The retry does not resolve the database again and asks for the same window from the saved cursor.
    expect(api.requests.map((r) => r.url.pathname)).toEqual([QUERY_PATH, QUERY_PATH]);
    expect(bodyOf(0)).toMatchObject({ filter: { timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } }, start_cursor: cursorFor(100) });
    expect(new Set(sync.state.records.map((r) => (r as { id: string }).id)).size).toBe(221);
    expect(sync.state.checkpoint).toEqual({ dataSourceId: DATA_SOURCE, since, cursor: null, newest: minute(229) });
    sync.close();
  });

  it('fails at once, naming the setting, when no database is configured', async () => {
    const sync = syncRunner(notion, 'pages', { credentials: { token: TOKEN } });
    const error = await sync.run().catch((caught: unknown) => caught);
    expect(String(error)).toContain("set databaseId (or dataSourceId) in the Notion integration's configuration");
    expect(api.requests).toHaveLength(0);
    sync.close();
  });
});
