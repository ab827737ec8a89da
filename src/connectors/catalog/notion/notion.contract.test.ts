// Contract test for the Notion connector: exact requests (path, query, Notion-Version, body), cursor
// pagination across pages, and Notion's documented error bodies, against fixtures shaped like its reference.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import notion, { NOTION_VERSION } from './index.ts';

const TOKEN = 'ntn_4417230977aKfP2vXyQ8mLrT0sBcD3eFgH5jK7nP9wZ1';
const BASE = 'https://api.notion.com/v1';
const BOT = '6794760a-1f15-45cd-9c65-0dfe42f5135a';
const WORKSPACE = '0b1f6c2e-8a4d-4e39-9a77-31c5d2e8f410';
const DATABASE = '2f26ee68-df30-4251-aad4-8ddc420cba3d';
const MULTI_DATABASE = '5c3e9a10-77b2-4c1e-8f0d-2a4b6c8d0e1f';
const DATA_SOURCE = 'c174b72c-d782-432f-8dc0-b647e1c96df6';
const PAGE_A = '59833787-2cf9-4fdf-8782-e53db20768a5';
const PAGE_B = '1429989f-e8ac-4eff-bc8f-57f56486db54';
const PAGE_C = 'a1d8501e-1ac1-43e9-a6bd-ea9fe6c8822b';
const MISSING = '00000000-0000-4000-8000-000000000404';
const BLOCK_CURSOR = '7d50a184-5bbe-4d90-8f29-6bec57ed817b';

// ---- fixtures (shaped like the reference's examples, API version 2026-03-11) ----
const me = {
  object: 'user',
  id: BOT,
  name: 'Switchboard',
  avatar_url: null,
  type: 'bot',
  bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Acme Product', workspace_id: WORKSPACE, workspace_limits: { max_file_upload_size_in_bytes: 5368709120 } },
  request_id: '9f1c3b8e-0d6a-4b53-a5a1-52c0f3e1d2a7',
};
const database = (id: string, dataSources: Array<{ id: string; name: string }>) => ({
  object: 'database',
  id,
  title: [{ type: 'text', text: { content: 'Launch tasks', link: null }, plain_text: 'Launch tasks', href: null }],
  parent: { type: 'page_id', page_id: PAGE_B },
  is_inline: false,
  in_trash: false,
  is_locked: false,
  created_time: '2026-01-12T09:30:00.000Z',
  last_edited_time: '2026-03-20T16:05:00.000Z',
  data_sources: dataSources,
  icon: null,
  cover: null,
  url: `https://www.notion.so/${id.replace(/-/g, '')}`,
  public_url: null,
});
const page = (id: string, title: string, status: string) => ({
  object: 'page',
  id,
  created_time: '2026-03-01T10:00:00.000Z',
  last_edited_time: '2026-03-19T08:12:00.000Z',
  created_by: { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' },
  last_edited_by: { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' },
  cover: null,
  icon: { type: 'emoji', emoji: '🚀' },
  parent: { type: 'data_source_id', data_source_id: DATA_SOURCE, database_id: DATABASE },
  in_trash: false,
  is_locked: false,
  properties: {
    Name: {
      id: 'title',
      type: 'title',
      title: [{ type: 'text', text: { content: title, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: title, href: null }],
    },
    Status: { id: 'Zq%3Ad', type: 'status', status: { id: '8c1f3e2a-1111-4b5c-9d0e-2f3a4b5c6d7e', name: status, color: 'blue' } },
    Due: { id: 'dUe%40', type: 'date', date: { start: '2026-04-02', end: null, time_zone: null } },
  },
  url: `https://www.notion.so/${title.replace(/ /g, '-')}-${id.replace(/-/g, '')}`,
  public_url: null,
});
const queryPage1 = {
  object: 'list',
  results: [page(PAGE_A, 'Write launch post', 'In progress'), page(PAGE_B, 'Record demo video', 'Not started')],
  next_cursor: PAGE_C,
  has_more: true,
  type: 'page_or_data_source',
  page_or_data_source: {},
  request_id: '1b9d4a7c-3e5f-4a2b-8c6d-0e1f2a3b4c5d',
};
const queryPage2 = { ...queryPage1, results: [page(PAGE_C, 'Email beta users', 'Done')], next_cursor: null, has_more: false };
const block = (id: string, type: string, content: Record<string, unknown>) => ({
  object: 'block',
  id,
  parent: { type: 'page_id', page_id: PAGE_A },
  created_time: '2026-03-01T10:02:00.000Z',
  last_edited_time: '2026-03-01T10:05:00.000Z',
  created_by: { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' },
  last_edited_by: { object: 'user', id: 'ee5f0f84-409a-440f-983a-a5315961c6e4' },
  has_children: false,
  in_trash: false,
  type,
  [type]: content,
});
const text = (content: string) => ({ rich_text: [{ type: 'text', text: { content, link: null }, plain_text: content, href: null }], color: 'default' });
const childrenPage1 = {
  object: 'list',
  results: [
    block('c02fc1d3-db8b-45c5-a222-27595b15aea7', 'heading_2', { ...text('Plan'), is_toggleable: false }),
    block('acc7eb06-05cd-4603-a384-5e1e4f1f4e72', 'paragraph', text('Ship the post on Tuesday.')),
  ],
  next_cursor: BLOCK_CURSOR,
  has_more: true,
  type: 'block',
  block: {},
  request_id: '2c8e5b6d-4f7a-4b3c-9d0e-1f2a3b4c5d6e',
};
const childrenPage2 = { ...childrenPage1, results: [block(BLOCK_CURSOR, 'to_do', { ...text('Proofread'), checked: false })], next_cursor: null, has_more: false };
const notionError = (status: number, code: string, message: string) => ({ object: 'error', status, code, message, request_id: '3d7f6c5b-4a3b-4c2d-8e1f-0a9b8c7d6e5f' });
const unauthorized = notionError(401, 'unauthorized', 'API token is invalid.');
const pageNotFound = notionError(404, 'object_not_found', `Could not find page with ID: ${MISSING}. Make sure the relevant pages and databases are shared with your integration.`);
const rateLimited = notionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.');

// One-off answers queued per route, in front of the route's normal answer.
const queued = new Map<string, Array<() => Response>>();
function queue(route: string, ...answers: Array<() => Response>) {
  queued.set(route, [...(queued.get(route) ?? []), ...answers]);
}
async function answer(route: string, request: Request, normal: () => Response | Promise<Response>) {
  if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return HttpResponse.json(unauthorized, { status: 401 });
  if (!request.headers.get('notion-version')) return HttpResponse.json(notionError(400, 'missing_version', 'Notion-Version header should be defined'), { status: 400 });
  const next = queued.get(route)?.shift();
  return next ? next() : normal();
}

const api = provider([
  http.get(`${BASE}/users/me`, ({ request }) => answer('me', request, () => HttpResponse.json(me))),
  http.get(`${BASE}/databases/:id`, ({ request, params }) =>
    answer('database', request, () => {
      if (params.id === DATABASE) return HttpResponse.json(database(DATABASE, [{ id: DATA_SOURCE, name: 'Tasks' }]));
      if (params.id === MULTI_DATABASE)
        return HttpResponse.json(
          database(MULTI_DATABASE, [
            { id: DATA_SOURCE, name: 'Tasks' },
            { id: 'f0e1d2c3-b4a5-4968-8776-655443322110', name: 'Bugs' },
          ]),
        );
      return HttpResponse.json(notionError(404, 'object_not_found', `Could not find database with ID: ${String(params.id)}.`), { status: 404 });
    }),
  ),
  http.post(`${BASE}/data_sources/${DATA_SOURCE}/query`, ({ request }) =>
    answer('query', request, async () => {
      const body = (await request.clone().json()) as { start_cursor?: string };
      return HttpResponse.json(body.start_cursor === PAGE_C ? queryPage2 : queryPage1);
    }),
  ),
  http.get(`${BASE}/pages/:id`, ({ request, params }) =>
    answer('page', request, () => (params.id === PAGE_A ? HttpResponse.json(page(PAGE_A, 'Write launch post', 'In progress')) : HttpResponse.json(pageNotFound, { status: 404 }))),
  ),
  http.get(`${BASE}/blocks/${PAGE_A}/children`, ({ request }) =>
    answer('children', request, () => HttpResponse.json(new URL(request.url).searchParams.get('start_cursor') === BLOCK_CURSOR ? childrenPage2 : childrenPage1)),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued.clear();
});
afterAll(() => api.disable());

const runnerWith = (token = TOKEN) => connectorRunner(notion, { credentials: { token } });

function expectNotionHeaders(index: number) {
  const sent = api.requests[index];
  expect(sent?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  expect(sent?.headers.get('notion-version')).toBe('2026-03-11');
}

describe('Notion connector: connection check', () => {
  it('GETs /v1/users/me with the token and Notion-Version, and names the bot and its workspace', async () => {
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: true,
      account: { id: BOT, name: 'Switchboard', details: { workspace: 'Acme Product', workspaceId: WORKSPACE, owner: 'workspace' } },
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.url.href).toBe('https://api.notion.com/v1/users/me');
    expectNotionHeaders(0);
    expect(NOTION_VERSION).toBe('2026-03-11');
    await runner.close();
  });

  it('reports a rejected token with Notion’s status, code and message', async () => {
    const runner = runnerWith('ntn_revoked000000000000000000000000000000000000');
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.token',
      message: 'The credential was rejected by Notion: 401 unauthorized: API token is invalid.',
    });
    await runner.close();
  });

  it('calls a rate-limited check unavailable and says when to try again', async () => {
    queue('me', ...Array.from({ length: 3 }, () => () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '45' } })));
    const runner = runnerWith();
    expect(await runner.check()).toEqual({
      ok: false,
      reason: 'unavailable',
      message: 'Notion answered 429 rate_limited: You have been rate limited. Please try again in a few minutes. Try again in 45 s.',
    });
    // 45 s is more than the outbound client waits within one call: no retry, the wait is reported.
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });
});

describe('Notion connector: queryDatabase', () => {
  it('resolves a database link to its data source and POSTs the filter, sorts and page size to its query', async () => {
    const runner = runnerWith();
    const filter = { property: 'Status', status: { does_not_equal: 'Done' } };
    const sorts = [{ property: 'Due', direction: 'ascending' }];
    const outcome = await runner.run('queryDatabase', {
      databaseId: `https://www.notion.so/acme/${DATABASE.replace(/-/g, '')}?v=0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b&pvs=4`,
      filter,
      sorts,
      pageSize: 2,
      filterProperties: ['title', 'Zq%3Ad'],
    });
    expect(outcome).toMatchObject({
      ok: true,
      output: { dataSourceId: DATA_SOURCE, nextCursor: PAGE_C, hasMore: true, results: [{ object: 'page', id: PAGE_A }, { object: 'page', id: PAGE_B }] },
    });
    // Notion objects pass through whole.
    expect(outcome.ok && (outcome.output as { results: unknown[] }).results[0]).toEqual(queryPage1.results[0]);

    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`GET /v1/databases/${DATABASE}`, `POST /v1/data_sources/${DATA_SOURCE}/query`]);
    expectNotionHeaders(0);
    expectNotionHeaders(1);
    const query = api.requests[1]!;
    expect(query.url.searchParams.getAll('filter_properties')).toEqual(['title', 'Zq%3Ad']);
    expect(query.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(query.body)).toEqual({ filter, sorts, page_size: 2 });
    await runner.close();
  });

  it('follows next_cursor across two pages when asked, resolving the database only once', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('queryDatabase', { databaseId: DATABASE, followPages: true });
    expect(outcome).toMatchObject({ ok: true, output: { dataSourceId: DATA_SOURCE, nextCursor: null, hasMore: false } });
    expect(outcome.ok && (outcome.output as { results: Array<{ id: string }> }).results.map((r) => r.id)).toEqual([PAGE_A, PAGE_B, PAGE_C]);
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /v1/databases/${DATABASE}`,
      `POST /v1/data_sources/${DATA_SOURCE}/query`,
      `POST /v1/data_sources/${DATA_SOURCE}/query`,
    ]);
    expect(JSON.parse(api.requests[1]!.body)).toEqual({ page_size: 100 });
    expect(JSON.parse(api.requests[2]!.body)).toEqual({ start_cursor: PAGE_C, page_size: 100 });

    // A second query within the cache window reuses the resolved data source.
    await runner.run('queryDatabase', { databaseId: DATABASE });
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
    await runner.close();
  });

  it('stops following at maxResults and hands back the cursor to continue from', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('queryDatabase', { dataSourceId: DATA_SOURCE, followPages: true, maxResults: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { nextCursor: PAGE_C, hasMore: true } });
    // Asked for exactly what the limit allows, so the cursor skips nothing; no database lookup with a data source id.
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`POST /v1/data_sources/${DATA_SOURCE}/query`]);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ page_size: 2 });
    await runner.close();
  });

  it('continues from a start cursor', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('queryDatabase', { dataSourceId: DATA_SOURCE, startCursor: PAGE_C });
    expect(outcome).toMatchObject({ ok: true, output: { nextCursor: null, hasMore: false, results: [{ id: PAGE_C }] } });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ start_cursor: PAGE_C });
    await runner.close();
  });

  it('asks which data source to query when a database has several', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('queryDatabase', { databaseId: MULTI_DATABASE });
    expect(outcome).toMatchObject({ ok: false, kind: 'provider_error' });
    expect(outcome.ok === false && outcome.message).toBe(
      `Notion database ${MULTI_DATABASE} has 2 data sources (Tasks: ${DATA_SOURCE}, Bugs: f0e1d2c3-b4a5-4968-8776-655443322110); choose one with dataSourceId.`,
    );
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('retries a 429 on the query after Notion’s Retry-After', async () => {
    queue('query', () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '1' } }));
    const runner = runnerWith();
    expect(await runner.run('queryDatabase', { dataSourceId: DATA_SOURCE })).toMatchObject({ ok: true, output: { hasMore: true } });
    expect(runner.sleeps).toEqual([1000]);
    expect(api.requests).toHaveLength(2);
    await runner.close();
  });

  it('refuses input without a database or data source, or with something that is not an id', async () => {
    const runner = runnerWith();
    expect(await runner.run('queryDatabase', {})).toMatchObject({ ok: false, kind: 'invalid_input', issues: [{ path: ['databaseId'], message: 'give databaseId or dataSourceId' }] });
    expect(await runner.run('queryDatabase', { databaseId: '../../users' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await runner.run('queryDatabase', { dataSourceId: DATA_SOURCE, pageSize: 101 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await runner.close();
  });
});

describe('Notion connector: getPage and getBlockChildren', () => {
  it('getPage GETs the page by its undashed id and returns the page object', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getPage', { pageId: PAGE_A.replace(/-/g, '').toUpperCase() });
    expect(outcome).toEqual({ ok: true, output: page(PAGE_A, 'Write launch post', 'In progress') });
    expect(api.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(api.requests[0]?.url.href).toBe(`https://api.notion.com/v1/pages/${PAGE_A}`);
    expectNotionHeaders(0);
    await runner.close();
  });

  it('getPage relays a missing page as Notion’s object_not_found with its message', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getPage', { pageId: MISSING });
    expect(outcome).toEqual({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: `Notion answered 404 object_not_found: Could not find page with ID: ${MISSING}. Make sure the relevant pages and databases are shared with your integration.`,
      providerBody: pageNotFound,
    });
    await runner.close();
  });

  it('getPage waits out a short Retry-After and reports a long one instead of waiting', async () => {
    queue('page', () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '1' } }));
    const runner = runnerWith();
    expect(await runner.run('getPage', { pageId: PAGE_A })).toMatchObject({ ok: true });
    expect(runner.sleeps).toEqual([1000]);

    queue('page', () => HttpResponse.json(rateLimited, { status: 429, headers: { 'retry-after': '120' } }));
    expect(await runner.run('getPage', { pageId: PAGE_A })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 120_000,
      message: 'Notion answered 429 rate_limited: You have been rate limited. Please try again in a few minutes.',
    });
    expect(api.requests).toHaveLength(3);
    await runner.close();
  });

  it('getBlockChildren pages through the children with start_cursor and page_size', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getBlockChildren', {
      blockId: `https://www.notion.so/acme/Write-launch-post-${PAGE_A.replace(/-/g, '')}`,
      pageSize: 50,
      followPages: true,
    });
    expect(outcome).toMatchObject({ ok: true, output: { nextCursor: null, hasMore: false } });
    expect(outcome.ok && (outcome.output as { results: Array<{ type: string }> }).results.map((r) => r.type)).toEqual(['heading_2', 'paragraph', 'to_do']);
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
      `GET /v1/blocks/${PAGE_A}/children?page_size=50`,
      `GET /v1/blocks/${PAGE_A}/children?start_cursor=${BLOCK_CURSOR}&page_size=50`,
    ]);
    expectNotionHeaders(1);
    await runner.close();
  });

  it('getBlockChildren returns one page and its cursor when not following', async () => {
    const runner = runnerWith();
    const outcome = await runner.run('getBlockChildren', { blockId: PAGE_A });
    expect(outcome).toMatchObject({ ok: true, output: { nextCursor: BLOCK_CURSOR, hasMore: true } });
    expect(api.requests[0]?.url.search).toBe('');
    await runner.close();
  });

  it('takes a block id from a block link’s fragment', async () => {
    const runner = runnerWith();
    await runner.run('getBlockChildren', { blockId: `https://www.notion.so/acme/Plan-${PAGE_B.replace(/-/g, '')}#${PAGE_A.replace(/-/g, '')}` });
    expect(api.requests[0]?.url.pathname).toBe(`/v1/blocks/${PAGE_A}/children`);
    await runner.close();
  });
});

describe('Notion connector: every request carries Notion-Version', () => {
  it('adds the version to requests that have none (the proxy) and keeps one the caller chose', () => {
    const url = new URL('https://api.notion.com/v1/search');
    const bare: Record<string, string> = {};
    notion.authenticate!({ headers: bare, url }, {}, { token: TOKEN });
    expect(bare).toEqual({ authorization: `Bearer ${TOKEN}`, 'notion-version': '2026-03-11' });
    const chosen: Record<string, string> = { 'notion-version': '2022-06-28' };
    notion.authenticate!({ headers: chosen, url }, {}, { token: TOKEN });
    expect(chosen['notion-version']).toBe('2022-06-28');
  });
});
