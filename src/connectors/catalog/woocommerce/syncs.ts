// WooCommerce syncs (seed 002): customers (a full read each run: the customers collection documents no
// modification filter, so deletions are found by what a complete run no longer sees) and orders (incremental:
// `modified_after` the newest `date_modified_gmt` of the last run, in GMT, read in id order page by page).
// Docs: woocommerce.github.io/woocommerce-rest-api-docs #list-all-customers, #list-all-orders, #pagination.
import { z } from 'zod';
import { defineSync } from '../../sdk/sync.ts';

// Pages of 100, WordPress's cap for per_page.
const PAGE_SIZE = 100;

export const wooCustomer = z.looseObject({
  id: z.number().int(),
  email: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  date_modified_gmt: z.string().nullable().optional(),
});
export const wooOrder = z.looseObject({
  id: z.number().int(),
  status: z.string(),
  total: z.string().optional(),
  currency: z.string().optional(),
  customer_id: z.number().int().optional(),
  date_modified_gmt: z.string().nullable().optional(),
});
type Customer = z.infer<typeof wooCustomer>;
type Order = z.infer<typeof wooOrder>;

/** Where a customers run is: the next page to read. */
interface CustomersCheckpoint {
  page: number | null;
}

/** Where an orders run is: the window it reads (since), the next page of it, and the newest change seen so far. */
interface OrdersCheckpoint {
  since: string | null;
  page: number | null;
  newest: string | null;
}

const pages = (start: number) => ({ kind: 'page' as const, pageParam: 'page', pageSizeParam: 'per_page', pageSize: PAGE_SIZE, start, totalPagesHeader: 'x-wp-totalpages' });

function headerTotal(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['x-wp-total'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

export const customersSync = defineSync<any, Customer>({
  name: 'customers',
  title: 'Customers',
  description: 'Every customer of the store (GET /customers, role all), read in full; customers gone from the store are marked deleted.',
  model: 'Customer',
  schema: wooCustomer,
  idOf: (customer) => String(customer.id),
  frequency: 'every 6h',
  incremental: false,
  async run(ctx) {
    const saved = await ctx.checkpoint.get<CustomersCheckpoint>();
    const start = saved?.page ?? 1;
    let processed = (start - 1) * PAGE_SIZE;
    for await (const page of ctx.paginate<Customer>(
      { path: 'customers', query: { role: 'all', orderby: 'id', order: 'asc' } },
      pages(start),
      { resumeFrom: saved?.page ? String(saved.page) : null },
    )) {
      await ctx.records.upsert(page.items);
      await ctx.checkpoint.save({ page: page.next === null ? null : Number(page.next) } satisfies CustomersCheckpoint);
      processed += page.items.length;
      await ctx.progress(processed, headerTotal(page.response.headers), 'customers');
    }
  },
});

export const ordersSync = defineSync<any, Order>({
  name: 'orders',
  title: 'Orders',
  description: 'Orders changed since the last run (GET /orders?modified_after=…&dates_are_gmt=true), every status; the first run reads them all.',
  model: 'Order',
  schema: wooOrder,
  idOf: (order) => String(order.id),
  frequency: 'every 1h',
  incremental: true,
  async run(ctx) {
    const saved = await ctx.checkpoint.get<OrdersCheckpoint>();
    // A run that stopped mid-window resumes its window at its page; otherwise a new window opens at the newest change seen.
    const since = saved?.page ? saved.since : (saved?.newest ?? null);
    const start = saved?.page ?? 1;
    let newest = saved?.page ? saved.newest : (saved?.newest ?? null);
    let processed = (start - 1) * PAGE_SIZE;
    for await (const page of ctx.paginate<Order>(
      {
        path: 'orders',
        query: { status: 'any', orderby: 'id', order: 'asc', dates_are_gmt: since ? true : undefined, modified_after: since ?? undefined },
      },
      pages(start),
      { resumeFrom: saved?.page ? String(saved.page) : null },
    )) {
      await ctx.records.upsert(page.items);
      for (const order of page.items) {
        const modified = order.date_modified_gmt ?? null;
        if (modified && (!newest || modified > newest)) newest = modified;
      }
      const next = page.next === null ? null : Number(page.next);
      await ctx.checkpoint.save({ since, page: next, newest } satisfies OrdersCheckpoint);
      processed += page.items.length;
      await ctx.progress(processed, headerTotal(page.response.headers), 'orders');
    }
  },
});
