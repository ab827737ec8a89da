// Contract tests for the WooCommerce connector against fixtures shaped like the wc/v3 REST API reference.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { credentialSchema } from '../../sdk/credentials.ts';
import { toJsonSchema } from '../../sdk/json-schema.ts';
import woocommerce from './index.ts';

const STORE = 'https://shop.example.test';
const KEY = 'ck_4f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6';
const SECRET = 'cs_0a9b8c7d6e5f40312213a4b5c6d7e8f9a0b1c2d3';
const BASIC = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

const wooError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ code, message, data: { status } }, { status, headers });

const systemStatus = {
  environment: {
    home_url: 'https://shop.example.test',
    site_url: 'https://shop.example.test',
    wc_version: '9.8.5',
    log_directory: '/var/www/html/wp-content/uploads/wc-logs/',
    log_directory_writable: true,
    wp_version: '6.8.1',
    wp_multisite: false,
    language: 'en_GB',
    php_version: '8.3.6',
    default_timezone: 'UTC',
  },
  database: { wc_database_version: '9.8.5', database_prefix: 'wp_' },
  active_plugins: [{ plugin: 'woocommerce/woocommerce.php', name: 'WooCommerce', version: '9.8.5' }],
  theme: { name: 'Storefront', version: '4.6.1' },
  settings: { api_enabled: true, force_ssl: true, currency: 'GBP', currency_symbol: '&pound;', number_of_decimals: 2 },
  security: { secure_connection: true, hide_errors: true },
  pages: [],
};

function product(id: number) {
  return {
    id,
    name: `Linen shirt ${id}`,
    slug: `linen-shirt-${id}`,
    permalink: `https://shop.example.test/product/linen-shirt-${id}/`,
    date_created: '2024-04-02T10:00:00',
    date_created_gmt: '2024-04-02T09:00:00',
    date_modified: '2024-05-03T11:15:00',
    date_modified_gmt: '2024-05-03T10:15:00',
    type: 'simple',
    status: 'publish',
    sku: `LS-${id}`,
    price: '39.00',
    regular_price: '45.00',
    sale_price: '39.00',
    stock_status: 'instock',
    categories: [{ id: 9, name: 'Shirts', slug: 'shirts' }],
    _links: { self: [{ href: `https://shop.example.test/wp-json/wc/v3/products/${id}` }], collection: [{ href: 'https://shop.example.test/wp-json/wc/v3/products' }] },
  };
}

const customers = [
  {
    id: 26,
    date_created: '2024-03-21T16:11:14',
    date_created_gmt: '2024-03-21T16:11:14',
    date_modified: '2024-03-21T16:11:16',
    date_modified_gmt: '2024-03-21T16:11:16',
    email: 'joao.silva@example.test',
    first_name: 'João',
    last_name: 'Silva',
    role: 'customer',
    username: 'joao.silva',
    billing: { first_name: 'João', last_name: 'Silva', city: 'Rio de Janeiro', country: 'BR', email: 'joao.silva@example.test' },
    shipping: { first_name: 'João', last_name: 'Silva', city: 'Rio de Janeiro', country: 'BR' },
    is_paying_customer: true,
    avatar_url: 'https://secure.gravatar.com/avatar/be7b5feb?s=96',
    meta_data: [],
  },
];

const orders = [
  {
    id: 727,
    parent_id: 0,
    number: '727',
    status: 'processing',
    currency: 'GBP',
    date_created: '2024-05-02T08:40:00',
    date_modified: '2024-05-02T09:05:00',
    date_modified_gmt: '2024-05-02T08:05:00',
    total: '84.00',
    customer_id: 26,
    billing: { first_name: 'João', last_name: 'Silva', email: 'joao.silva@example.test' },
    line_items: [{ id: 315, name: 'Linen shirt 1', product_id: 1, quantity: 2, total: '78.00' }],
  },
];

const routeIndex = {
  namespace: 'wc/v3',
  routes: {
    '/wc/v3': { namespace: 'wc/v3', methods: ['GET'], endpoints: [{ methods: ['GET'], args: { namespace: { required: false, default: 'wc/v3' }, context: { required: false, default: 'view' } } }] },
    '/wc/v3/products': {
      namespace: 'wc/v3',
      methods: ['GET', 'POST'],
      endpoints: [
        { methods: ['GET'], args: { context: {}, page: {}, per_page: {}, modified_after: {} } },
        { methods: ['POST'], args: { name: {}, type: {} } },
      ],
    },
    '/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)': {
      namespace: 'wc/v3',
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      endpoints: [
        { methods: ['GET'], args: { product_id: {}, id: {}, context: {} } },
        { methods: ['POST', 'PUT', 'PATCH'], args: { product_id: {}, id: {} } },
        { methods: ['DELETE'], args: { product_id: {}, id: {}, force: {} } },
      ],
    },
    '/wc/v3/orders': { namespace: 'wc/v3', methods: ['GET', 'POST'], endpoints: [{ methods: ['GET'], args: { status: {} } }, { methods: ['POST'], args: [] }] },
    // Added by an extension: what a fixed catalogue could not know about.
    '/wc/v3/subscriptions': { namespace: 'wc/v3', methods: ['GET', 'POST'], endpoints: [{ methods: ['GET'], args: { status: {} } }] },
  },
  _links: { up: [{ href: 'https://shop.example.test/wp-json/' }] },
};

const authorised = (request: Request) => {
  const url = new URL(request.url);
  return request.headers.get('authorization') === BASIC || (url.searchParams.get('consumer_key') === KEY && url.searchParams.get('consumer_secret') === SECRET);
};

/** Serves `all` in pages the way WordPress does, with X-WP-Total and X-WP-TotalPages. */
function paged(request: Request, all: unknown[]) {
  const url = new URL(request.url);
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('per_page') ?? 10);
  return HttpResponse.json(all.slice((page - 1) * perPage, page * perPage), {
    headers: { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(Math.ceil(all.length / perPage)) },
  });
}

let throttledOnce = false;
const api = provider([
  http.get(`${STORE}/wp-json/wc/v3/system_status`, ({ request }) => {
    if (request.headers.get('authorization') === `Basic ${Buffer.from(`${KEY}:cs_wrong`).toString('base64')}`) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer key is missing.');
    }
    return authorised(request) ? HttpResponse.json(systemStatus) : wooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
  }),
  http.get(`${STORE}/wp-json/`, ({ request }) =>
    // WordPress would treat a Basic header here as an application password and refuse it.
    request.headers.get('authorization') ? wooError(401, 'incorrect_password', 'The provided password is an invalid application password.') : HttpResponse.json({ name: 'Example Linen Co.', url: STORE, home: STORE }),
  ),
  http.get('https://closed.example.test/wp-json/wc/v3/system_status', () => HttpResponse.json(systemStatus)),
  http.get('https://closed.example.test/wp-json/', () => wooError(401, 'rest_login_required', 'REST API restricted to authenticated users.')),
  http.get('https://blog.example.test/wp-json/wc/v3/system_status', () => wooError(404, 'rest_no_route', 'No route was found matching the URL and request method.')),
  http.get('https://blog.example.test/wp-json/wc/v3', () => wooError(404, 'rest_no_route', 'No route was found matching the URL and request method.')),
  http.get(`${STORE}/wp-json/wc/v3/products`, ({ request }) => (authorised(request) ? paged(request, [1, 2, 3, 4, 5].map(product)) : wooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'))),
  http.get(`${STORE}/wp-json/wc/v3/customers`, ({ request }) => paged(request, customers)),
  http.get(`${STORE}/wp-json/wc/v3/orders`, ({ request }) => {
    if (new URL(request.url).searchParams.get('search') === 'slow' && !throttledOnce) {
      throttledOnce = true;
      return wooError(429, 'too_many_requests', 'Too many requests.', { 'retry-after': '5' });
    }
    return paged(request, orders);
  }),
  http.get(`${STORE}/wp-json/wc/v3`, ({ request }) => (authorised(request) ? HttpResponse.json(routeIndex) : wooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'))),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  throttledOnce = false;
});
afterAll(() => api.disable());

function runner(config: Record<string, unknown> = {}, credentials: Record<string, string> = { consumerKey: KEY, consumerSecret: SECRET }) {
  return connectorRunner(woocommerce, { config: { storeUrl: STORE, ...config }, credentials });
}

function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return {
    method: request.method,
    url: `${request.url.origin}${request.url.pathname}`,
    query: Object.fromEntries(request.url.searchParams),
    authorization: request.headers.get('authorization'),
    accept: request.headers.get('accept'),
    body: request.body,
  };
}
const get = (path: string, query: Record<string, string> = {}, authorization: string | null = BASIC) => ({
  method: 'GET',
  url: `${STORE}${path}`,
  query,
  authorization,
  accept: 'application/json',
  body: '',
});

describe('WooCommerce connector: settings and credentials', () => {
  it('refuses a plain-http store URL with a message naming the field', () => {
    const parsed = woocommerce.config.safeParse({ storeUrl: 'http://shop.example.test' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['storeUrl'], message: expect.stringMatching(/^storeUrl must use https:\/\//) });
    expect(woocommerce.config.safeParse({ storeUrl: 'http://localhost:8080' }).success).toBe(false);
    expect(woocommerce.config.safeParse({ storeUrl: 'shop.example.test' }).error?.issues[0]?.message).toMatch(/^storeUrl must be the full address/);
  });

  it('normalises the store URL: no trailing slash, no pasted /wp-json suffix, install path kept', () => {
    expect(woocommerce.config.parse({ storeUrl: 'https://Shop.Example.test/wp-json/wc/v3/' })).toEqual({ storeUrl: 'https://shop.example.test', queryStringAuth: false });
    expect(woocommerce.config.parse({ storeUrl: 'https://example.test/shop/' }).storeUrl).toBe('https://example.test/shop');
  });

  it('takes a ck_ key and a cs_ secret, and converts its schemas to JSON Schema', () => {
    expect(credentialSchema(woocommerce.auth).safeParse({ consumerKey: KEY, consumerSecret: SECRET }).success).toBe(true);
    expect(credentialSchema(woocommerce.auth).safeParse({ consumerKey: 'abc', consumerSecret: SECRET }).error?.issues[0]?.message).toBe('A WooCommerce consumer key starts with ck_');
    expect(() => toJsonSchema(woocommerce.config)).not.toThrow();
    for (const action of woocommerce.actions) {
      expect(() => toJsonSchema(action.input)).not.toThrow();
      expect(() => toJsonSchema(action.output)).not.toThrow();
    }
  });
});

describe('WooCommerce connector: connection check', () => {
  it('proves the key on system_status and names the store from the WordPress index (sent without the key)', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: {
        id: 'https://shop.example.test',
        name: 'Example Linen Co.',
        details: { url: 'https://shop.example.test', woocommerceVersion: '9.8.5', wordpressVersion: '6.8.1', currency: 'GBP' },
      },
    });
    expect(api.requests.map(sent)).toEqual([get('/wp-json/wc/v3/system_status'), get('/wp-json/', { _fields: 'name,url,home' }, null)]);
    await run.close();
  });

  it('falls back to the host as the name when the WordPress index is closed', async () => {
    const run = connectorRunner(woocommerce, { config: { storeUrl: 'https://closed.example.test' }, credentials: { consumerKey: KEY, consumerSecret: SECRET } });
    expect(await run.check()).toMatchObject({ ok: true, account: { name: 'shop.example.test' } });
    await run.close();
  });

  it("fails with WooCommerce's message and code when the key is refused", async () => {
    const run = runner({}, { consumerKey: 'ck_unknown', consumerSecret: 'cs_unknown' });
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.consumerKey',
      message: 'The credential was rejected by WooCommerce: 401 Sorry, you cannot list resources. (woocommerce_rest_cannot_view)',
    });
    await run.close();
  });

  it('suggests query-string auth when the store says the key is missing', async () => {
    const run = runner({}, { consumerKey: KEY, consumerSecret: 'cs_wrong' });
    expect(await run.check()).toMatchObject({
      ok: false,
      reason: 'auth',
      message:
        'The credential was rejected by WooCommerce: 401 Consumer key is missing. (woocommerce_rest_authentication_error). This server may drop the Authorization header: turn on queryStringAuth.',
    });
    await run.close();
  });

  it('points at the store URL when the site has no WooCommerce REST API (404 rest_no_route)', async () => {
    const run = connectorRunner(woocommerce, { config: { storeUrl: 'https://blog.example.test' }, credentials: { consumerKey: KEY, consumerSecret: SECRET } });
    expect(await run.check()).toEqual({
      ok: false,
      reason: 'config',
      field: 'config.storeUrl',
      message:
        'No WooCommerce REST API at https://blog.example.test/wp-json/wc/v3 (404 No route was found matching the URL and request method. (rest_no_route)): check the address, that WooCommerce is active and that permalinks are not "Plain".',
    });
    await run.close();
  });

  it('sends the key and secret as query parameters, not a header, when queryStringAuth is on', async () => {
    const run = runner({ queryStringAuth: true });
    expect(await run.check()).toMatchObject({ ok: true });
    expect(sent(api.requests[0])).toEqual(get('/wp-json/wc/v3/system_status', { consumer_key: KEY, consumer_secret: SECRET }, null));
    expect(sent(api.requests[1])).toEqual(get('/wp-json/', { _fields: 'name,url,home' }, null));
    await run.close();
  });
});

describe('WooCommerce connector: collections', () => {
  it('listProducts sends page, per_page and the modification window, and reads the total headers', async () => {
    const run = runner();
    const outcome = await run.run('listProducts', { perPage: 2, modifiedAfter: '2024-05-01T00:00:00Z', datesAreGmt: true, status: 'publish' });
    expect(outcome).toEqual({
      ok: true,
      output: { items: [product(1), product(2)], page: 1, perPage: 2, total: 5, totalPages: 3, pagesFetched: 1, hasMore: true },
    });
    expect(api.requests.map(sent)).toEqual([
      get('/wp-json/wc/v3/products', { modified_after: '2024-05-01T00:00:00Z', dates_are_gmt: 'true', status: 'publish', page: '1', per_page: '2' }),
    ]);
    await run.close();
  });

  it('listProducts with fetchAll follows X-WP-TotalPages to the last page', async () => {
    const run = runner();
    const outcome = await run.run('listProducts', { perPage: 3, fetchAll: true });
    expect(outcome).toMatchObject({ ok: true, output: { items: [1, 2, 3, 4, 5].map(product), total: 5, totalPages: 2, pagesFetched: 2, hasMore: false } });
    expect(api.requests.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      { page: '1', per_page: '3' },
      { page: '2', per_page: '3' },
    ]);
    await run.close();
  });

  it('listProducts with fetchAll stops at maxPages and says more remain', async () => {
    const run = runner();
    const outcome = await run.run('listProducts', { page: 2, perPage: 1, fetchAll: true, maxPages: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { items: [product(2), product(3)], page: 2, pagesFetched: 2, totalPages: 5, hasMore: true } });
    await run.close();
  });

  it('listCustomers sends its filters and paging', async () => {
    const run = runner();
    const outcome = await run.run('listCustomers', { email: 'joao.silva@example.test', role: 'customer' });
    expect(outcome).toEqual({ ok: true, output: { items: customers, page: 1, perPage: 10, total: 1, totalPages: 1, pagesFetched: 1, hasMore: false } });
    expect(api.requests.map(sent)).toEqual([get('/wp-json/wc/v3/customers', { email: 'joao.silva@example.test', role: 'customer', page: '1', per_page: '10' })]);
    await run.close();
  });

  it('listOrders sends statuses as a list and a bare date as its midnight', async () => {
    const run = runner();
    const outcome = await run.run('listOrders', { status: ['processing', 'on-hold'], modifiedAfter: '2024-05-01', perPage: 50 });
    expect(outcome).toMatchObject({ ok: true, output: { items: orders, total: 1 } });
    expect(api.requests.map(sent)).toEqual([
      get('/wp-json/wc/v3/orders', { modified_after: '2024-05-01T00:00:00', status: 'processing,on-hold', page: '1', per_page: '50' }),
    ]);
    await run.close();
  });

  it('refuses a malformed date or an out-of-range page size before calling the store', async () => {
    const run = runner();
    expect(await run.run('listOrders', { modifiedAfter: 'last tuesday' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await run.run('listOrders', { modifiedAfter: '2024-02-30' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await run.run('listProducts', { perPage: 101 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    const run = runner();
    expect(await run.run('listOrders', { search: 'slow' })).toMatchObject({ ok: true });
    expect(run.sleeps).toEqual([5000]);
    expect(api.requests).toHaveLength(2);
    await run.close();
  });

  it("relays a refused key on an action with WooCommerce's message", async () => {
    const run = runner({}, { consumerKey: 'ck_unknown', consumerSecret: 'cs_unknown' });
    expect(await run.run('listProducts', {})).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 401,
      message: 'WooCommerce answered 401: Sorry, you cannot list resources.',
      providerBody: { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } },
    });
    await run.close();
  });
});

describe('WooCommerce connector: route discovery', () => {
  it('reads GET /wp-json/wc/v3 and lists routes with their methods and readable paths', async () => {
    const run = runner();
    const outcome = await run.run('discoverRoutes', {});
    expect(outcome).toEqual({
      ok: true,
      output: {
        namespace: 'wc/v3',
        routes: [
          { route: '/wc/v3', path: '/wc/v3', methods: ['GET'] },
          { route: '/wc/v3/products', path: '/wc/v3/products', methods: ['GET', 'POST'] },
          {
            route: '/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)',
            path: '/wc/v3/products/{product_id}/variations/{id}',
            methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
          },
          { route: '/wc/v3/orders', path: '/wc/v3/orders', methods: ['GET', 'POST'] },
          { route: '/wc/v3/subscriptions', path: '/wc/v3/subscriptions', methods: ['GET', 'POST'] },
        ],
      },
    });
    expect(api.requests.map(sent)).toEqual([get('/wp-json/wc/v3')]);
    await run.close();
  });

  it('filters routes and lists endpoint arguments when asked', async () => {
    const run = runner();
    const outcome = await run.run('discoverRoutes', { contains: 'orders', includeArgs: true });
    expect(outcome).toEqual({
      ok: true,
      output: {
        namespace: 'wc/v3',
        routes: [
          {
            route: '/wc/v3/orders',
            path: '/wc/v3/orders',
            methods: ['GET', 'POST'],
            endpoints: [
              { methods: ['GET'], args: ['status'] },
              { methods: ['POST'], args: [] },
            ],
          },
        ],
      },
    });
    await run.close();
  });

  it('relays 404 rest_no_route from a site without WooCommerce', async () => {
    const run = connectorRunner(woocommerce, { config: { storeUrl: 'https://blog.example.test' }, credentials: { consumerKey: KEY, consumerSecret: SECRET } });
    expect(await run.run('discoverRoutes', {})).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'WooCommerce answered 404: No route was found matching the URL and request method.',
    });
    await run.close();
  });
});
