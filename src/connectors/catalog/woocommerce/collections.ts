// Reads WooCommerce collections page by page: `page`/`per_page` in, `X-WP-Total`/`X-WP-TotalPages` out,
// optionally walking on to later pages up to a bound.
// Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#pagination
import { z } from 'zod';
import { ProviderError, type ProviderHttp, type ProviderResponse } from '../../sdk/provider-http.ts';

/** Inputs every list action shares. */
export const pagingInput = {
  page: z.number().int().min(1).default(1).describe('First page to read (1-based).'),
  // WordPress caps per_page at 100 for every REST collection.
  perPage: z.number().int().min(1).max(100).default(10).describe('Items per page, 1-100 (the store default is 10).'),
  fetchAll: z.boolean().default(false).describe('Keep reading pages until the last one or maxPages.'),
  maxPages: z.number().int().min(1).max(100).default(10).describe('Upper bound on pages read when fetchAll is on (the first included).'),
};

export function collectionOutput<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    /** The first page read and the page size used. */
    page: z.number().int(),
    perPage: z.number().int(),
    /** From X-WP-Total / X-WP-TotalPages; null when the store did not send them. */
    total: z.number().int().nullable(),
    totalPages: z.number().int().nullable(),
    pagesFetched: z.number().int(),
    /** True when pages remain after the last one read: call again with page = page + pagesFetched. */
    hasMore: z.boolean(),
  });
}

function headerNumber(headers: ProviderResponse<unknown>['headers'], name: string): number | null {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : null;
}

const page = z.array(z.looseObject({ id: z.number().int() }));

export async function readCollection<Item>(options: {
  http: ProviderHttp;
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  paging: { page: number; perPage: number; fetchAll: boolean; maxPages: number };
  what: string;
}): Promise<{ items: Item[]; page: number; perPage: number; total: number | null; totalPages: number | null; pagesFetched: number; hasMore: boolean }> {
  const { paging } = options;
  const items: Item[] = [];
  let total: number | null = null;
  let totalPages: number | null = null;
  let current = paging.page;
  let pagesFetched = 0;
  for (;;) {
    const answer = await options.http.get(options.path, { query: { ...options.query, page: current, per_page: paging.perPage } });
    const parsed = page.safeParse(answer.data);
    if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: answer.data, message: `WooCommerce answered ${options.what} with something other than a list` });
    items.push(...(parsed.data as Item[]));
    pagesFetched += 1;
    total = headerNumber(answer.headers, 'x-wp-total') ?? total;
    totalPages = headerNumber(answer.headers, 'x-wp-totalpages') ?? totalPages;
    // Without the headers (a proxy may strip them), a full page is the only sign that another may follow.
    const morePages = totalPages !== null ? current < totalPages : parsed.data.length === paging.perPage;
    if (!paging.fetchAll || !morePages || pagesFetched >= paging.maxPages) {
      return { items, page: paging.page, perPage: paging.perPage, total, totalPages, pagesFetched, hasMore: morePages };
    }
    current += 1;
  }
}
