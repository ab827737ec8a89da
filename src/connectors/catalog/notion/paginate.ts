// Notion's cursor pagination (start_cursor → next_cursor, has_more), followed page by page up to a
// number of results. Kept here because the SDK has no paginator; the shape is Notion's own.
import { ProviderError } from '../../sdk/provider-http.ts';

export interface NotionListPage<T> {
  results: T[];
  next_cursor: string | null;
  has_more: boolean;
}

export interface Collected<T> {
  results: T[];
  /** Where the next call should start; null when the list is exhausted. */
  nextCursor: string | null;
  hasMore: boolean;
}

/** Notion's ceiling for page_size. */
export const MAX_PAGE_SIZE = 100;

export async function collectPages<T>(options: {
  fetchPage: (cursor: string | undefined, pageSize: number | undefined) => Promise<NotionListPage<T>>;
  startCursor?: string;
  /** Per request; Notion's default (100) when omitted and not following. */
  pageSize?: number;
  /** Follow next_cursor until the list ends or `limit` results are in hand. */
  follow: boolean;
  limit: number;
}): Promise<Collected<T>> {
  const results: T[] = [];
  let cursor = options.startCursor;
  for (;;) {
    // When following, the last request asks for no more than the limit still allows, so the cursor handed
    // back points exactly after the last result returned and nothing is silently skipped.
    const pageSize = options.follow ? Math.min(options.pageSize ?? MAX_PAGE_SIZE, options.limit - results.length) : options.pageSize;
    const page = await options.fetchPage(cursor, pageSize);
    results.push(...page.results);
    const next = page.has_more ? page.next_cursor : null;
    if (!options.follow || next === null || results.length >= options.limit) return { results, nextCursor: next, hasMore: page.has_more };
    // A cursor that does not move would have this loop ask for the same page forever.
    if (next === cursor) throw new ProviderError({ code: 'invalid_response', message: `Notion answered the same next_cursor twice (${next}); stopped following pages` });
    cursor = next;
  }
}
