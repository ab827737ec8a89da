// Contract tests for the Supabase connector against fixtures shaped like the Data API (PostgREST) documentation.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import supabase from './index.ts';

const PROJECT = 'https://abcdefghijklmnop.supabase.co';
const REST = `${PROJECT}/rest/v1`;
const SECRET = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
const LEGACY = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl';
const pages = [{ id: 1, url: 'https://shop.example/a', status: 'done' }, { id: 2, url: 'https://shop.example/b', status: 'done' }, { id: 3, url: 'https://shop.example/c', status: 'done' }];
const validKey = (request: Request) => [SECRET, LEGACY].includes(request.headers.get('apikey') ?? '');

const api = provider([
  http.get(`${REST}/`, ({ request }) =>
    validKey(request)
      ? HttpResponse.json({ swagger: '2.0', info: { title: 'standard public schema', version: '14.1' }, paths: { '/': {}, '/scrape_pages': {}, '/products': {}, '/rpc/match_chunks': {} } })
      : HttpResponse.json({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }, { status: 401 }),
  ),
  http.get(`${REST}/scrape_pages`, ({ request }) => {
    const q = new URL(request.url).searchParams;
    const offset = Number(q.get('offset'));
    return HttpResponse.json(pages.slice(offset, offset + Number(q.get('limit'))));
  }),
  http.get(`${REST}/missing`, () =>
    HttpResponse.json({ code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'public.products'", message: "Could not find the table 'public.missing' in the schema cache" }, { status: 404 }),
  ),
  http.post(`${REST}/products`, async ({ request }) => HttpResponse.json(((await request.clone().json()) as unknown[]).map((r, i) => ({ id: 10 + i, ...(r as object) })), { status: 201 })),
  http.patch(`${REST}/products`, async ({ request }) => HttpResponse.json([{ id: 10, sku: 'A-1', ...((await request.clone().json()) as object) }])),
  http.post(`${REST}/rpc/match_chunks`, () => HttpResponse.json([{ id: 7, similarity: 0.91 }])),
]);
beforeAll(() => api.enable());
afterEach(() => api.reset());
afterAll(() => api.disable());

const runner = (apiKey = SECRET, config: unknown = { projectUrl: `${PROJECT}/` }) => connectorRunner(supabase, { credentials: { apiKey }, config });
const line = (r: RecordedRequest) => `${r.method} ${r.url.href} apikey=${r.headers.get('apikey') === SECRET ? 'secret' : r.headers.get('apikey') === LEGACY ? 'legacy' : '-'} auth=${r.headers.get('authorization') ? 'bearer' : '-'}`;

describe('Supabase connector', () => {
  it('takes an https project URL only', () => {
    expect(supabase.config.safeParse({ projectUrl: 'http://abcdefghijklmnop.supabase.co' }).success).toBe(false);
  });

  it('checks the key on the Data API root, sending a secret key in apikey only and a legacy JWT in both headers', async () => {
    const run = runner();
    expect(await run.check()).toEqual({ ok: true, account: { id: 'abcdefghijklmnop', name: 'abcdefghijklmnop.supabase.co', details: { schema: 'public', tables: 2 } } });
    const legacy = runner(LEGACY);
    await legacy.check();
    expect(api.requests.map(line)).toEqual([`GET ${REST}/ apikey=secret auth=-`, `GET ${REST}/ apikey=legacy auth=bearer`]);
    expect(api.requests[1]!.headers.get('authorization')).toBe(`Bearer ${LEGACY}`);
    expect(api.requests[0]!.headers.get('accept-profile')).toBe('public');
    await run.close();
    await legacy.close();
  });

  it('reports a refused key with the gateway’s message and hint', async () => {
    const run = runner('sb_secret_revoked');
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by Supabase: 401 Invalid API key Hint: Double check your Supabase `anon` or `service_role` API key.',
    });
    await run.close();
  });

  it('selectRows sends PostgREST filters, order and limit/offset, and pages through the shared paginator', async () => {
    const run = runner();
    const outcome = await run.run('selectRows', { table: 'scrape_pages', select: 'id,url,status', filters: { status: 'eq.done' }, order: 'id.asc', limit: 2, followPages: true });
    expect(outcome).toEqual({ ok: true, output: { rows: pages, nextOffset: null } });
    expect(api.requests.map(line)).toEqual([
      `GET ${REST}/scrape_pages?select=id%2Curl%2Cstatus&status=eq.done&order=id.asc&offset=0&limit=2 apikey=secret auth=-`,
      `GET ${REST}/scrape_pages?select=id%2Curl%2Cstatus&status=eq.done&order=id.asc&offset=2&limit=2 apikey=secret auth=-`,
    ]);
    await run.close();
  });

  it('relays PostgREST’s error code, message and hint, and refuses unsafe names and filters before calling', async () => {
    const run = runner();
    expect(await run.run('selectRows', { table: 'missing' })).toMatchObject({
      ok: false,
      status: 404,
      message: "Supabase answered 404 Could not find the table 'public.missing' in the schema cache (PGRST205) Hint: Perhaps you meant the table 'public.products'",
    });
    api.reset();
    expect(await run.run('selectRows', { table: '../auth/v1/admin' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await run.run('selectRows', { table: 'products', filters: { sku: 'A-1' } })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await run.run('updateRows', { table: 'products', filters: {}, values: { price: 1 } })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('insertRows POSTs with return=representation, and upserts with merge-duplicates on the given columns', async () => {
    const run = runner();
    expect(await run.run('insertRows', { table: 'products', rows: [{ sku: 'A-1', price: 9.5 }] })).toEqual({ ok: true, output: [{ id: 10, sku: 'A-1', price: 9.5 }] });
    await run.run('insertRows', { table: 'products', rows: [{ sku: 'A-1', price: 8 }], upsert: true, onConflict: ['sku'] });
    expect(api.requests.map(line)).toEqual([`POST ${REST}/products apikey=secret auth=-`, `POST ${REST}/products?on_conflict=sku apikey=secret auth=-`]);
    expect(api.requests.map((r) => [r.headers.get('prefer'), r.headers.get('content-profile'), JSON.parse(r.body)])).toEqual([
      ['return=representation', 'public', [{ sku: 'A-1', price: 9.5 }]],
      ['return=representation,resolution=merge-duplicates', 'public', [{ sku: 'A-1', price: 8 }]],
    ]);
    await run.close();
  });

  it('updateRows PATCHes the matching rows; callFunction POSTs the arguments to /rpc', async () => {
    const run = runner(SECRET, { projectUrl: PROJECT, schema: 'shop' });
    expect(await run.run('updateRows', { table: 'products', filters: { sku: 'eq.A-1' }, values: { price: 7 } })).toEqual({ ok: true, output: [{ id: 10, sku: 'A-1', price: 7 }] });
    expect(await run.run('callFunction', { function: 'match_chunks', args: { query: 'red shoes', k: 1 } })).toEqual({ ok: true, output: [{ id: 7, similarity: 0.91 }] });
    expect(api.requests.map(line)).toEqual([`PATCH ${REST}/products?sku=eq.A-1 apikey=secret auth=-`, `POST ${REST}/rpc/match_chunks apikey=secret auth=-`]);
    expect(api.requests[0]!.headers.get('content-profile')).toBe('shop');
    expect(JSON.parse(api.requests[1]!.body)).toEqual({ query: 'red shoes', k: 1 });
    await run.close();
  });
});
