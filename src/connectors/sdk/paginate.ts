// One paginator for every connector, sync and runtime-defined connector: the four shapes provider APIs use
// (a cursor in the body, a Link header, an offset, a page number), walked page by page as an async iterator
// so a sync can checkpoint after each page and stop on its AbortSignal.
import { ProviderError, type ProviderHttp, type ProviderRequest, type ProviderResponse } from './provider-http.ts';

export type PaginationRule =
  | {
      /** The next cursor is read from the answer's body and sent back as a query parameter (or JSON body field for POSTs). */
      kind: 'cursor';
      /** Dotted path to the items array in the body, e.g. `results` or `data.items`; omit for a bare array. */
      itemsPath?: string;
      /** Dotted path of the next cursor in the body, e.g. `next_cursor` or `paging.cursors.after`. */
      cursorPath: string;
      /** Where the cursor goes on the next request. */
      cursorParam: string;
      /** Sent in the JSON body instead of the query (Notion's POST /query). */
      cursorIn?: 'query' | 'body';
      /** Optional boolean that says whether more pages follow (`has_more`); otherwise a missing cursor ends. */
      hasMorePath?: string;
    }
  | {
      /** RFC 8288 `Link: <…>; rel="next"` (GitHub, WooCommerce, Shopify) or a next URL in the body (Graph API `paging.next`). */
      kind: 'link';
      itemsPath?: string;
      /** Read the next URL from this body path instead of the Link header. */
      nextUrlPath?: string;
    }
  | {
      kind: 'offset';
      itemsPath?: string;
      offsetParam: string;
      limitParam: string;
      pageSize: number;
      /** Starting offset (default 0). */
      start?: number;
      /** Sent in the JSON body instead of the query (GA4's POST runReport takes `offset` and `limit` there). */
      offsetIn?: 'query' | 'body';
      /** Dotted path of the total number of items (GA4 `rowCount`): no further page is asked for once it is reached. */
      totalPath?: string;
      /** The provider leaves the list out of an empty answer (GA4 omits `rows`): read that as no items, not as a broken answer. */
      itemsOptional?: boolean;
    }
  | {
      kind: 'page';
      itemsPath?: string;
      pageParam: string;
      pageSizeParam?: string;
      pageSize: number;
      /** First page number (default 1). */
      start?: number;
      /** Header with the total number of pages (WordPress `x-wp-totalpages`); otherwise a short page ends. */
      totalPagesHeader?: string;
    };

export interface Page<T> {
  items: T[];
  response: ProviderResponse<unknown>;
  /** What to pass as `resumeFrom` to continue after this page; null after the last page. */
  next: string | null;
}

export interface PaginateOptions {
  /** Resume from a `next` value saved earlier (a cursor, URL, offset or page number as text). */
  resumeFrom?: string | null;
  /** Stop after this many pages (a bound for actions; syncs usually omit it). */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Reads `a.b.c` out of a parsed JSON body. */
export function readPath(body: unknown, path: string | undefined): unknown {
  if (!path) return body;
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function itemsOf<T>(body: unknown, rule: PaginationRule, request: ProviderRequest): T[] {
  const path = rule.itemsPath;
  const items = readPath(body, path);
  if (items === undefined && rule.kind === 'offset' && rule.itemsOptional && body !== null && typeof body === 'object') return [];
  if (!Array.isArray(items)) {
    throw new ProviderError({
      code: 'invalid_response',
      body,
      message: `The answer to ${request.method ?? 'GET'} ${request.path} has no list at ${path ?? 'the top level'}`,
    });
  }
  return items as T[];
}

/** The `rel="next"` target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return null;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1]!;
  }
  return null;
}

function headerNumber(headers: ProviderResponse<unknown>['headers'], name: string): number | null {
  const raw = headers[name.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : null;
}

/** Walks a paginated list; each iteration is one provider call. */
export async function* paginate<T = unknown>(http: ProviderHttp, request: ProviderRequest, rule: PaginationRule, options: PaginateOptions = {}): AsyncGenerator<Page<T>> {
  let state: string | null = options.resumeFrom ?? null;
  let pages = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const pageRequest = requestFor(request, rule, state);
    const response = await http.request(pageRequest);
    const items = itemsOf<T>(response.data, rule, request);
    const next = nextState(rule, response, items.length, state);
    // A cursor that does not move would have this loop ask for the same page forever.
    if (next !== null && next === state) {
      throw new ProviderError({ code: 'invalid_response', body: response.data, message: `The provider answered ${request.path} with the same next page twice (${next}); stopped following pages` });
    }
    pages += 1;
    yield { items, response, next };
    if (next === null || (options.maxPages !== undefined && pages >= options.maxPages)) return;
    state = next;
  }
}

function requestFor(request: ProviderRequest, rule: PaginationRule, state: string | null): ProviderRequest {
  const query = { ...request.query };
  switch (rule.kind) {
    case 'cursor':
      if (state === null) return request;
      if (rule.cursorIn === 'body') return { ...request, json: { ...(request.json as object | undefined), [rule.cursorParam]: state } };
      return { ...request, query: { ...query, [rule.cursorParam]: state } };
    case 'link':
      // The next URL is absolute and already carries every parameter.
      return state === null ? request : { ...request, path: state, query: undefined };
    case 'offset': {
      const window = { [rule.offsetParam]: Number(state ?? rule.start ?? 0), [rule.limitParam]: rule.pageSize };
      if (rule.offsetIn === 'body') return { ...request, json: { ...(request.json as object | undefined), ...window } };
      return { ...request, query: { ...query, ...window } };
    }
    case 'page':
      return {
        ...request,
        query: { ...query, [rule.pageParam]: state ?? rule.start ?? 1, ...(rule.pageSizeParam ? { [rule.pageSizeParam]: rule.pageSize } : {}) },
      };
  }
}

function nextState(rule: PaginationRule, response: ProviderResponse<unknown>, count: number, state: string | null): string | null {
  switch (rule.kind) {
    case 'cursor': {
      if (rule.hasMorePath && readPath(response.data, rule.hasMorePath) !== true) return null;
      const cursor = readPath(response.data, rule.cursorPath);
      return typeof cursor === 'string' && cursor !== '' ? cursor : typeof cursor === 'number' ? String(cursor) : null;
    }
    case 'link': {
      const next = rule.nextUrlPath ? readPath(response.data, rule.nextUrlPath) : nextLink(response.headers['link']);
      return typeof next === 'string' && next !== '' ? next : null;
    }
    case 'offset': {
      if (count < rule.pageSize) return null;
      const next = Number(state ?? rule.start ?? 0) + count;
      const total = rule.totalPath ? readPath(response.data, rule.totalPath) : undefined;
      if (typeof total === 'number' && next >= total) return null;
      return String(next);
    }
    case 'page': {
      const current = Number(state ?? rule.start ?? 1);
      const totalPages = rule.totalPagesHeader ? headerNumber(response.headers, rule.totalPagesHeader) : null;
      const more = totalPages !== null ? current < totalPages : count >= rule.pageSize;
      return more ? String(current + 1) : null;
    }
  }
}
