// Spotify's paging object (`{ href, items, limit, next, offset, previous, total }`) and a walker that
// follows its `next` links for a bounded number of pages.
// Docs: https://developer.spotify.com/documentation/web-api/reference/get-a-list-of-current-users-playlists
import { z } from 'zod';
import { ProviderError, type ProviderHttp } from '../../sdk/provider-http.ts';

export function pagingOf<Item extends z.ZodType>(item: Item) {
  return z.looseObject({
    href: z.string(),
    items: z.array(item),
    limit: z.number().int(),
    next: z.string().nullable(),
    offset: z.number().int(),
    previous: z.string().nullable().optional(),
    total: z.number().int(),
  });
}

export interface Paging<Item> {
  items: Item[];
  limit: number;
  next: string | null;
  offset: number;
  total: number;
}

/**
 * Follows `next` from `first` until it is null or `maxPages` pages (the first included) have been read.
 * The answer's `next` stays set when pages remain, so a caller can resume from it.
 */
export async function followNextPages<Item>(options: {
  http: ProviderHttp;
  first: Paging<Item>;
  maxPages: number;
  /** Only links on this origin are followed: the bearer token goes wherever `next` points. */
  origin: string;
  parse: (body: unknown) => Paging<Item>;
}): Promise<{ items: Item[]; next: string | null; pagesFetched: number }> {
  const items = [...options.first.items];
  let next = options.first.next;
  let pagesFetched = 1;
  while (next && pagesFetched < options.maxPages) {
    if (new URL(next).origin !== options.origin) {
      throw new ProviderError({ code: 'invalid_response', message: `Spotify returned a next-page link outside ${options.origin}; it was not followed` });
    }
    const page = options.parse((await options.http.get(next)).data);
    items.push(...page.items);
    next = page.next;
    pagesFetched += 1;
  }
  return { items, next, pagesFetched };
}
