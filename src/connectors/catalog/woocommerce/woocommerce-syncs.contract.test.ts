// Contract tests for the WooCommerce syncs against fixtures shaped like the wc/v3 reference: customers read in
// full page by page (X-WP-TotalPages), orders incrementally with modified_after in GMT, resuming mid-window
// from the checkpoint after a 503, and a 401 left to the engine as the store's own words.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provider, syncRunner } from '../../../../test/support/connectors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import woocommerce from './index.ts';

const STORE = 'https://sync.example.test';
const KEY = 'ck_4f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6';
const SECRET = 'cs_0a9b8c7d6e5f40312213a4b5c6d7e8f9a0b1c2d3';
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

const customer = (id: number) => ({
  id,
  date_created_gmt: '2024-03-21T16:11:14',
  date_modified_gmt: `2024-03-2${id % 10}T16:11:16`,
  email: `customer${id}@example.test`,
  first_name: 'Ana',
  last_name: `Nº${id}`,
  role: 'customer',
  username: `customer${id}`,
  billing: { city: 'Porto', country: 'PT' },
  is_paying_customer: id % 2 === 0,
});
const order = (id: number, modified: string) => ({ id, number: String(id), status: 'processing', currency: 'EUR', total: '12.50', customer_id: 1, date_modified_gmt: modified, line_items: [] });

const customers = Array.from({ length: 230 }, (_, i) => customer(i + 1));
let orders = [order(701, '2024-05-01T08:00:00'), order(702, '2024-05-02T08:00:00'), order(703, '2024-05-03T08:00:00')];
let failOrdersPage: number | null = null;

function paged(request: Request, all: unknown[]) {
  const url = new URL(request.url);
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('per_page') ?? 10);
  return HttpResponse.json(all.slice((page - 1) * perPage, page * perPage), {
    headers: { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(Math.max(1, Math.ceil(all.length / perPage))) },
  });
}
const refused = () => HttpResponse.json({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } }, { status: 401 });

const api = provider([
  http.get(`${STORE}/wp-json/wc/v3/customers`, ({ request }) => (request.headers.get('authorization') === BASIC ? paged(request, customers) : refused())),
  http.get(`${STORE}/wp-json/wc/v3/orders`, ({ request }) => {
    if (request.headers.get('authorization') !== BASIC) return refused();
    const url = new URL(request.url);
    if (failOrdersPage !== null && Number(url.searchParams.get('page')) === failOrdersPage) {
      return HttpResponse.json({ code: 'internal_server_error', message: 'Upstream busy', data: { status: 503 } }, { status: 503 });
    }
    const after = url.searchParams.get('modified_after');
    const matching = orders.filter((o) => !after || o.date_modified_gmt > after).sort((a, b) => a.id - b.id);
    return paged(request, matching);
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  failOrdersPage = null;
});
afterAll(() => api.disable());

const query = (index: number) => Object.fromEntries(api.requests[index]!.url.searchParams);

describe('WooCommerce syncs', () => {
  it('reads every customer page by page, 100 at a time, with a checkpoint after each page', async () => {
    const sync = syncRunner(woocommerce, 'customers', { config: { storeUrl: STORE }, credentials: { consumerKey: KEY, consumerSecret: SECRET } });
    await sync.run();
    expect(api.requests.map((r) => `${r.url.pathname}?${r.url.searchParams}`)).toEqual([
      '/wp-json/wc/v3/customers?role=all&orderby=id&order=asc&page=1&per_page=100',
      '/wp-json/wc/v3/customers?role=all&orderby=id&order=asc&page=2&per_page=100',
      '/wp-json/wc/v3/customers?role=all&orderby=id&order=asc&page=3&per_page=100',
    ]);
    expect(api.requests.every((r) => r.headers.get('authorization') === BASIC)).toBe(true);
    expect(sync.state.batches.map((batch) => batch.length)).toEqual([100, 100, 30]);
    expect(sync.state.records).toHaveLength(230);
    expect(sync.state.checkpoints).toEqual([{ page: 2 }, { page: 3 }, { page: null }]);
    expect(sync.state.progress.at(-1)).toEqual({ processed: 230, total: 230, step: 'customers' });
    expect(sync.sync.incremental).toBe(false);
    sync.close();
  });

  it('reads orders changed since the newest change of the last run, in GMT', async () => {
    orders = [order(701, '2024-05-01T08:00:00'), order(702, '2024-05-02T08:00:00'), order(703, '2024-05-03T08:00:00')];
    const sync = syncRunner(woocommerce, 'orders', { config: { storeUrl: STORE }, credentials: { consumerKey: KEY, consumerSecret: SECRET } });
    await sync.run();
    expect(query(0)).toEqual({ status: 'any', orderby: 'id', order: 'asc', page: '1', per_page: '100' });
    expect(sync.state.records.map((o) => (o as { id: number }).id)).toEqual([701, 702, 703]);
    expect(sync.state.checkpoint).toEqual({ since: null, page: null, newest: '2024-05-03T08:00:00' });

    // The next run asks only for what changed after that.
    orders = [...orders.filter((o) => o.id !== 702), { ...order(702, '2024-05-04T09:30:00'), status: 'completed' }, order(704, '2024-05-04T10:00:00')];
    api.reset();
    await sync.run();
    expect(query(0)).toEqual({ status: 'any', orderby: 'id', order: 'asc', dates_are_gmt: 'true', modified_after: '2024-05-03T08:00:00', page: '1', per_page: '100' });
    expect(sync.state.batches.at(-1)).toEqual(['702', '704']);
    expect(sync.state.checkpoint).toEqual({ since: '2024-05-03T08:00:00', page: null, newest: '2024-05-04T10:00:00' });
    sync.close();
  });

  it('resumes a window at the page that failed, keeping the window start', async () => {
    orders = Array.from({ length: 250 }, (_, i) => order(1000 + i, `2024-06-01T00:${String(i % 60).padStart(2, '0')}:00`));
    failOrdersPage = 2;
    const sync = syncRunner(woocommerce, 'orders', { config: { storeUrl: STORE }, credentials: { consumerKey: KEY, consumerSecret: SECRET }, checkpoint: { since: null, page: null, newest: '2024-05-31T00:00:00' } });
    const failed = await sync.run().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ProviderError);
    expect((failed as ProviderError).status).toBe(503);
    expect((failed as ProviderError).message).toContain('Upstream busy');
    expect(sync.state.checkpoint).toEqual({ since: '2024-05-31T00:00:00', page: 2, newest: '2024-06-01T00:59:00' });

    failOrdersPage = null;
    api.reset();
    await sync.run();
    // The retry starts at page 2 of the same window.
    expect(query(0)).toMatchObject({ modified_after: '2024-05-31T00:00:00', page: '2' });
    expect(api.requests).toHaveLength(2);
    expect(new Set(sync.state.records.map((o) => (o as { id: number }).id)).size).toBe(250);
    expect(sync.state.checkpoint).toEqual({ since: '2024-05-31T00:00:00', page: null, newest: '2024-06-01T00:59:00' });
    sync.close();
  });

  it("fails with the store's own words when the key is refused", async () => {
    const sync = syncRunner(woocommerce, 'customers', { config: { storeUrl: STORE }, credentials: { consumerKey: KEY, consumerSecret: 'cs_wrong' } });
    const error = await sync.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(401);
    expect((error as ProviderError).message).toContain('Sorry, you cannot list resources.');
    expect(sync.state.records).toEqual([]);
    sync.close();
  });
});
