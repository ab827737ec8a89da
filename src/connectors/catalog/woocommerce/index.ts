// WooCommerce: a store's products, customers and orders over its REST API (wc/v3), with the consumer key
// and secret sent as HTTP Basic over HTTPS, and discovery of the routes the store exposes.
// Docs used (woocommerce.github.io/woocommerce-rest-api-docs, sources in woocommerce/woocommerce-rest-api-docs):
//   #authentication   Basic auth over HTTPS with key:secret; query-string key/secret for servers that drop
//                     the Authorization header; plain HTTP needs OAuth 1.0a signatures (not supported here)
//   #pagination       page / per_page / offset, X-WP-Total and X-WP-TotalPages, Link header
//   #errors           { code, message, data: { status } }, e.g. woocommerce_rest_cannot_view, rest_no_route
//   #index            GET /wp-json/wc/v3 lists every route with its methods and arguments, no auth needed
//   #system-status    GET /wp-json/wc/v3/system_status: environment.home_url, WooCommerce and WordPress versions
//   #list-all-products, #list-all-customers, #list-all-orders   the list parameters (modified_after, status …)
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy, type CheckResult, type ConnectorContext } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { collectionOutput, pagingInput, readCollection } from './collections.ts';
import { apiIndex, discoveredRoute, listRoutes } from './routes.ts';
import { customersSync, ordersSync } from './syncs.ts';

const DOCS = 'https://woocommerce.github.io/woocommerce-rest-api-docs/';

/** Why a store URL cannot be used, in words naming the field; undefined when it can. */
function storeUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'storeUrl must be the full address of the store, e.g. https://shop.example.com';
  const url = new URL(value);
  if (url.protocol === 'http:') {
    return 'storeUrl must use https://: WooCommerce takes the consumer key and secret as plain HTTP Basic credentials, which anyone on the path could read over http';
  }
  if (url.protocol !== 'https:') return 'storeUrl must be an https:// address';
  if (url.username || url.password) return 'storeUrl must not contain a username or password; put the keys in the credential fields';
  if (url.search || url.hash) return 'storeUrl must not contain a query string or fragment';
  return undefined;
}

/** Origin plus the WordPress install path, with no trailing slash and no pasted `/wp-json/...` suffix. */
function normaliseStoreUrl(value: string): string {
  const url = new URL(value);
  const path = url.pathname.replace(/\/wp-json(\/.*)?$/, '').replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

const config = z.object({
  storeUrl: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = storeUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseStoreUrl)
    .describe('The store address, e.g. https://shop.example.com (https only).'),
  queryStringAuth: z
    .boolean()
    .default(false)
    .describe('Send the key and secret as query parameters instead of a Basic header, for servers that drop the Authorization header ("Consumer key is missing").'),
});
type Config = z.infer<typeof config>;

const restPrefix = (c: Config) => `${c.storeUrl}/wp-json/wc/v3`;

// --- Answers we read fields from -------------------------------------------------------------------
const systemStatus = z.looseObject({
  environment: z.looseObject({
    home_url: z.string(),
    site_url: z.string().optional(),
    // The reference table says wc_version, its example says version: accept either.
    wc_version: z.string().optional(),
    version: z.string().optional(),
    wp_version: z.string().optional(),
  }),
  settings: z.looseObject({ currency: z.string().optional() }).optional(),
});
const siteIndex = z.looseObject({ name: z.string().optional(), url: z.string().optional(), home: z.string().optional() });

// --- Resources (only what we rely on is required; everything else passes through) ------------------------
const product = z.looseObject({ id: z.number().int(), name: z.string(), status: z.string().optional(), date_modified_gmt: z.string().nullable().optional() });
const customer = z.looseObject({ id: z.number().int(), email: z.string(), date_modified_gmt: z.string().nullable().optional() });
const order = z.looseObject({ id: z.number().int(), status: z.string(), date_modified_gmt: z.string().nullable().optional() });

/** 2024-02-30 is refused; Date.parse would roll it over to March rather than fail. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** WordPress's date-time format, seconds included; a bare date means its midnight. */
const restDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T08:30:00Z')
  .refine(isCalendarDate, 'not a real date')
  .transform((value) => (value.length === 10 ? `${value}T00:00:00` : value));

const modifiedWindow = {
  modifiedAfter: restDate.optional().describe('Only items modified after this moment (modified_after).'),
  modifiedBefore: restDate.optional().describe('Only items modified before this moment (modified_before).'),
  datesAreGmt: z.boolean().optional().describe("Compare the dates with GMT modification times instead of the store's local ones."),
};

const listProductsInput = z.object({
  ...pagingInput,
  ...modifiedWindow,
  status: z.enum(['any', 'draft', 'pending', 'private', 'publish']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
});
const ORDER_STATUSES = ['any', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash'] as const;
const listOrdersInput = z.object({
  ...pagingInput,
  ...modifiedWindow,
  status: z.array(z.enum(ORDER_STATUSES)).min(1).optional(),
  customer: z.number().int().min(0).optional().describe('Only orders of this customer id.'),
  search: z.string().trim().min(1).max(200).optional(),
});
// The customers collection documents no date filters (customers are WordPress users), so none is offered.
const listCustomersInput = z.object({
  ...pagingInput,
  email: z.string().trim().min(3).max(254).optional(),
  role: z.enum(['all', 'administrator', 'editor', 'author', 'contributor', 'subscriber', 'customer', 'shop_manager']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
});
const discoverInput = z.object({
  includeArgs: z.boolean().default(false).describe('Also list the argument names each endpoint accepts.'),
  contains: z.string().trim().min(1).max(100).optional().describe('Only routes whose pattern contains this text, e.g. "orders".'),
});
const discoverOutput = z.object({ namespace: z.string(), routes: z.array(discoveredRoute) });

function windowQuery(input: { modifiedAfter?: string | undefined; modifiedBefore?: string | undefined; datesAreGmt?: boolean | undefined }) {
  return { modified_after: input.modifiedAfter, modified_before: input.modifiedBefore, dates_are_gmt: input.datesAreGmt };
}

/** WooCommerce's `{ code, message }` as "Sorry, you cannot list resources. (woocommerce_rest_cannot_view)". */
function wooErrorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  return typeof code === 'string' ? `${message} (${code})` : message;
}

/** The site's name from the WordPress index, which WordPress serves without authentication. */
async function siteName(ctx: ConnectorContext<Config>, fallback: string): Promise<string> {
  try {
    const answer = await ctx.http.get(`${ctx.config.storeUrl}/wp-json/`, { query: { _fields: 'name,url,home' } });
    const parsed = siteIndex.safeParse(answer.data);
    return (parsed.success && parsed.data.name?.trim()) || fallback;
  } catch (error) {
    // Security plugins often close the WordPress index (401/403) or move it (404). The key check has
    // already passed by then; the name is only a label, so the host stands in for it.
    if (error instanceof ProviderError && [401, 403, 404].includes(error.status ?? 0)) return fallback;
    throw error;
  }
}

async function checkStore(ctx: ConnectorContext<Config>): Promise<CheckResult> {
  try {
    // system_status needs an authenticated key (the index does not), and names the install.
    const answer = await ctx.http.get('system_status');
    const parsed = systemStatus.safeParse(answer.data);
    if (!parsed.success) return { ok: false, reason: 'config', field: 'config.storeUrl', message: `${restPrefix(ctx.config)}/system_status did not answer like WooCommerce.` };
    const { environment, settings } = parsed.data;
    const home = URL.canParse(environment.home_url) ? new URL(environment.home_url) : new URL(ctx.config.storeUrl);
    const details: Record<string, string> = { url: environment.home_url };
    const wcVersion = environment.wc_version ?? environment.version;
    if (wcVersion) details.woocommerceVersion = wcVersion;
    if (environment.wp_version) details.wordpressVersion = environment.wp_version;
    if (settings?.currency) details.currency = settings.currency;
    return { ok: true, account: { id: environment.home_url, name: await siteName(ctx, home.host), details } };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const detail = wooErrorDetail(error.body) ?? error.message;
    if (error.status === 401 || error.status === 403) {
      const result = rejectedBy('WooCommerce', error.status, detail, 'credentials.consumerKey');
      if (!result.ok && !ctx.config.queryStringAuth && /missing/i.test(detail)) {
        result.message += '. This server may drop the Authorization header: turn on queryStringAuth.';
      }
      return result;
    }
    if (error.status === 404) {
      return {
        ok: false,
        reason: 'config',
        field: 'config.storeUrl',
        message: `No WooCommerce REST API at ${restPrefix(ctx.config)} (404 ${detail}): check the address, that WooCommerce is active and that permalinks are not "Plain".`,
      };
    }
    throw error;
  }
}

export default defineConnector<Config>({
  id: 'woocommerce',
  title: 'WooCommerce',
  category: 'commerce',
  description: "Read a WooCommerce store's products, customers and orders, and discover the REST routes it exposes.",
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#7f54b3"/><path d="M4.5 8l2.2 8 2.6-6 2.7 6 2.2-8M15.8 12.5a2.4 2.6 0 1 0 4.8 0a2.4 2.6 0 1 0-4.8 0" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  docsUrl: DOCS,
  baseUrl: restPrefix,
  auth: {
    kind: 'apiKey',
    fields: {
      consumerKey: {
        label: 'Consumer key',
        description: 'WooCommerce → Settings → Advanced → REST API → Add key (Read access is enough).',
        placement: 'basic-username',
        pattern: { regex: /^ck_[A-Za-z0-9]+$/, message: 'A WooCommerce consumer key starts with ck_' },
      },
      consumerSecret: {
        label: 'Consumer secret',
        placement: 'basic-password',
        pattern: { regex: /^cs_[A-Za-z0-9]+$/, message: 'A WooCommerce consumer secret starts with cs_' },
      },
    },
  },
  authenticate({ headers, url }, c, credential) {
    // Keys go to the WooCommerce namespace only. WordPress's own routes (the site index) would read a Basic
    // header as an application password, fail it, and refuse an otherwise public request.
    if (!url.href.startsWith(`${c.storeUrl}/wp-json/wc/`)) return;
    const key = credential.consumerKey ?? '';
    const secret = credential.consumerSecret ?? '';
    if (c.queryStringAuth) {
      url.searchParams.set('consumer_key', key);
      url.searchParams.set('consumer_secret', secret);
    } else {
      headers.authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    }
  },
  config,
  // No rateLimit: the wc/v3 REST API documents none (each store's host decides).
  checkConnection: checkStore,
  // Seed 002: customers and orders kept in the records store (src/syncs/ runs them).
  syncs: [customersSync, ordersSync],
  actions: [
    defineAction<Config, z.output<typeof listProductsInput>, z.infer<ReturnType<typeof collectionOutput<typeof product>>>>({
      name: 'listProducts',
      title: 'List products',
      description: 'Products, newest first, optionally only those modified in a window (GET /products).',
      input: listProductsInput,
      output: collectionOutput(product),
      run: (ctx, input) =>
        readCollection({
          http: ctx.http,
          path: 'products',
          query: { ...windowQuery(input), status: input.status, search: input.search },
          paging: input,
          what: 'GET /products',
        }),
    }),
    defineAction<Config, z.output<typeof listCustomersInput>, z.infer<ReturnType<typeof collectionOutput<typeof customer>>>>({
      name: 'listCustomers',
      title: 'List customers',
      description: 'Customers by name, optionally filtered by email or role (GET /customers).',
      input: listCustomersInput,
      output: collectionOutput(customer),
      run: (ctx, input) =>
        readCollection({
          http: ctx.http,
          path: 'customers',
          query: { email: input.email, role: input.role, search: input.search },
          paging: input,
          what: 'GET /customers',
        }),
    }),
    defineAction<Config, z.output<typeof listOrdersInput>, z.infer<ReturnType<typeof collectionOutput<typeof order>>>>({
      name: 'listOrders',
      title: 'List orders',
      description: 'Orders, newest first, optionally by status, customer or modification window (GET /orders).',
      input: listOrdersInput,
      output: collectionOutput(order),
      run: (ctx, input) =>
        readCollection({
          http: ctx.http,
          path: 'orders',
          // WordPress reads a comma-separated value as a list for array arguments.
          query: { ...windowQuery(input), status: input.status?.join(','), customer: input.customer, search: input.search },
          paging: input,
          what: 'GET /orders',
        }),
    }),
    defineAction<Config, z.output<typeof discoverInput>, z.infer<typeof discoverOutput>>({
      name: 'discoverRoutes',
      title: 'Discover API routes',
      description: "Every route this store's wc/v3 API exposes, with its methods (GET /wp-json/wc/v3).",
      input: discoverInput,
      output: discoverOutput,
      async run(ctx, input) {
        // The documented path has no trailing slash; the base URL does, so the index is asked for in full.
        const answer = await ctx.http.get(restPrefix(ctx.config));
        const parsed = apiIndex.safeParse(answer.data);
        if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: answer.data, message: 'WooCommerce answered GET /wp-json/wc/v3 without a route list' });
        return { namespace: parsed.data.namespace, routes: listRoutes(parsed.data, input) };
      },
    }),
  ],
});
