// The shared paginator against a fixture API through the real outbound client: each rule's requests,
// where it stops, resuming from a saved position, and the answers it refuses.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorRunner, provider } from '../../../test/support/connectors.ts';
import { defineAction, defineConnector } from './define.ts';
import { nextLink, paginate, type PaginateOptions, type PaginationRule } from './paginate.ts';
import type { ProviderRequest } from './provider-http.ts';

const BASE = 'https://api.example.test';
const ITEMS = Array.from({ length: 7 }, (_, index) => ({ id: index + 1 }));

/** A connector whose one action walks a list with the paginator and returns what each page held. */
function walker(request: ProviderRequest, rule: PaginationRule, options: PaginateOptions = {}) {
  const connector = defineConnector({
    id: 'paginate-test',
    title: 'Paginate test',
    category: 'custom',
    description: 'Fixture connector for the paginator.',
    logo: '<svg/>',
    docsUrl: 'https://example.test/docs',
    baseUrl: BASE,
    auth: { kind: 'none' },
    config: z.object({}),
    checkConnection: async () => ({ ok: true, account: { id: 'x', name: 'x' } }),
    actions: [
      defineAction({
        name: 'walk',
        title: 'Walk',
        description: 'Collects every page.',
        input: z.object({}),
        output: z.object({ pages: z.array(z.array(z.number())), nexts: z.array(z.string().nullable()) }),
        run: async (ctx) => {
          const pages: number[][] = [];
          const nexts: Array<string | null> = [];
          for await (const page of paginate<{ id: number }>(ctx.http, request, rule, options)) {
            pages.push(page.items.map((item) => item.id));
            nexts.push(page.next);
          }
          return { pages, nexts };
        },
      }),
    ],
  });
  const runner = connectorRunner(connector);
  return {
    close: runner.close,
    /** The pages walked, or the message of the provider error that stopped the walk. */
    run: async () => {
      const outcome = await runner.run('walk', {});
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.output as { pages: number[][]; nexts: Array<string | null> };
    },
  };
}

const slice = (start: number, size: number) => ITEMS.slice(start, start + size);

const api = provider([
  // Cursor in the query: the cursor is the id to start after.
  http.get(`${BASE}/cursor`, ({ request }) => {
    const after = Number(new URL(request.url).searchParams.get('starting_after') ?? 0);
    const items = slice(after, 3);
    const last = items.at(-1)?.id;
    return HttpResponse.json({ data: { items }, has_more: after + 3 < ITEMS.length, next: last === undefined ? null : String(last) });
  }),
  // Cursor in a JSON body (Notion's POST /query).
  http.post(`${BASE}/query`, async ({ request }) => {
    const body = (await request.json()) as { start_cursor?: string; filter: string };
    const after = Number(body.start_cursor ?? 0);
    return HttpResponse.json({ results: slice(after, 4), next_cursor: after + 4 < ITEMS.length ? String(after + 4) : null, filter: body.filter });
  }),
  http.get(`${BASE}/linked`, ({ request }) => {
    const page = Number(new URL(request.url).searchParams.get('p') ?? 1);
    const headers = page < 3 ? { link: `<${BASE}/first?p=1>; rel="first", <${BASE}/linked?p=${page + 1}&tag=x>; rel="next"` } : undefined;
    return HttpResponse.json(slice((page - 1) * 3, 3), { headers });
  }),
  http.get(`${BASE}/offset`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    return HttpResponse.json({ rows: slice(Number(query.get('offset')), Number(query.get('limit'))) });
  }),
  // GA4 runReport's shape: offset and limit in the POST body, `rowCount` the total, `rows` left out when empty.
  http.post(`${BASE}/report`, async ({ request }) => {
    const body = (await request.json()) as { offset: number; limit: number; metrics: string[] };
    const rows = slice(body.offset, body.limit);
    return HttpResponse.json({ ...(rows.length > 0 ? { rows } : {}), rowCount: body.metrics[0] === 'none' ? undefined : ITEMS.length });
  }),
  http.get(`${BASE}/paged`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const page = Number(query.get('page'));
    const size = Number(query.get('per_page'));
    return HttpResponse.json(slice((page - 1) * size, size), { headers: { 'x-wp-totalpages': String(Math.ceil(ITEMS.length / size)) } });
  }),
  http.get(`${BASE}/stuck`, () => HttpResponse.json({ items: [{ id: 1 }], next: 'same' })),
  http.get(`${BASE}/not-a-list`, () => HttpResponse.json({ items: { id: 1 } })),
]);

beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

const paths = () => api.requests.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`);

describe('paginate', () => {
  it('follows a cursor from the body into the query until has_more is false', async () => {
    const runner = walker({ path: '/cursor', query: { limit: 3 } }, { kind: 'cursor', itemsPath: 'data.items', cursorPath: 'next', cursorParam: 'starting_after', hasMorePath: 'has_more' });
    const result = await runner.run();
    expect(result).toEqual({ pages: [[1, 2, 3], [4, 5, 6], [7]], nexts: ['3', '6', null] });
    expect(paths()).toEqual(['GET /cursor?limit=3', 'GET /cursor?limit=3&starting_after=3', 'GET /cursor?limit=3&starting_after=6']);
    await runner.close();
  });

  it('sends the cursor in a JSON body, keeping the rest of the body, and resumes from a saved cursor', async () => {
    const runner = walker(
      { method: 'POST', path: '/query', json: { filter: 'open' } },
      { kind: 'cursor', itemsPath: 'results', cursorPath: 'next_cursor', cursorParam: 'start_cursor', cursorIn: 'body' },
      { resumeFrom: '4' },
    );
    expect(await runner.run()).toEqual({ pages: [[5, 6, 7]], nexts: [null] });
    expect(JSON.parse(api.requests[0]!.body)).toEqual({ filter: 'open', start_cursor: '4' });
    await runner.close();
  });

  it('follows rel="next" Link headers to absolute URLs', async () => {
    const runner = walker({ path: '/linked', query: { p: 1 } }, { kind: 'link' });
    expect((await runner.run()).pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(paths()).toEqual(['GET /linked?p=1', 'GET /linked?p=2&tag=x', 'GET /linked?p=3&tag=x']);
    await runner.close();
  });

  it('walks offsets until a short page and stops at maxPages when asked', async () => {
    const rule: PaginationRule = { kind: 'offset', itemsPath: 'rows', offsetParam: 'offset', limitParam: 'limit', pageSize: 3 };
    const all = walker({ path: '/offset' }, rule);
    expect((await all.run()).pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    await all.close();
    api.reset();
    const bounded = walker({ path: '/offset' }, rule, { maxPages: 2 });
    expect(await bounded.run()).toEqual({ pages: [[1, 2, 3], [4, 5, 6]], nexts: ['3', '6'] });
    expect(api.requests).toHaveLength(2);
    await bounded.close();
  });

  it('sends offset and limit in a JSON body and stops at the total without asking for an empty page', async () => {
    const rule: PaginationRule = { kind: 'offset', itemsPath: 'rows', offsetParam: 'offset', limitParam: 'limit', pageSize: 7, offsetIn: 'body', totalPath: 'rowCount', itemsOptional: true };
    const runner = walker({ method: 'POST', path: '/report', json: { metrics: ['sessions'] } }, rule);
    expect(await runner.run()).toEqual({ pages: [[1, 2, 3, 4, 5, 6, 7]], nexts: [null] });
    expect(api.requests.map((request) => JSON.parse(request.body))).toEqual([{ metrics: ['sessions'], offset: 0, limit: 7 }]);
    await runner.close();
  });

  it('reads a left-out list as empty only when the rule allows it', async () => {
    const rule: PaginationRule = { kind: 'offset', itemsPath: 'rows', offsetParam: 'offset', limitParam: 'limit', pageSize: 7, offsetIn: 'body', itemsOptional: true };
    // No total: a full page asks for the next, which comes back without `rows`.
    const lenient = walker({ method: 'POST', path: '/report', json: { metrics: ['none'] } }, rule);
    expect(await lenient.run()).toEqual({ pages: [[1, 2, 3, 4, 5, 6, 7], []], nexts: ['7', null] });
    await lenient.close();
    const strict = walker({ method: 'POST', path: '/report', json: { metrics: ['none'] } }, { ...rule, itemsOptional: false }, { resumeFrom: '7' });
    await expect(strict.run()).rejects.toThrow(/no list at rows/);
    await strict.close();
  });

  it('trusts a total-pages header over the page length', async () => {
    // 7 items in pages of 7: one full page, and the header says it is the only one.
    const runner = walker({ path: '/paged' }, { kind: 'page', pageParam: 'page', pageSizeParam: 'per_page', pageSize: 7, totalPagesHeader: 'X-WP-TotalPages' });
    expect((await runner.run()).pages).toEqual([[1, 2, 3, 4, 5, 6, 7]]);
    expect(api.requests).toHaveLength(1);
    await runner.close();
  });

  it('refuses a cursor that does not move and an answer without a list', async () => {
    const stuck = walker({ path: '/stuck' }, { kind: 'cursor', itemsPath: 'items', cursorPath: 'next', cursorParam: 'after' });
    await expect(stuck.run()).rejects.toThrow(/same next page twice/);
    expect(api.requests).toHaveLength(2);
    await stuck.close();
    const notList = walker({ path: '/not-a-list' }, { kind: 'cursor', itemsPath: 'items', cursorPath: 'next', cursorParam: 'after' });
    await expect(notList.run()).rejects.toThrow(/no list at items/);
    await notList.close();
  });
});

describe('nextLink', () => {
  it('finds rel="next" among several relations and ignores others', () => {
    expect(nextLink('<https://a.test/?page=2>; rel="next", <https://a.test/?page=9>; rel="last"')).toBe('https://a.test/?page=2');
    expect(nextLink('<https://a.test/?page=1>; rel="prev first"')).toBeNull();
    expect(nextLink('<https://a.test/x?a=1,2>; rel="prev next"')).toBe('https://a.test/x?a=1,2');
    expect(nextLink(undefined)).toBeNull();
  });
});
