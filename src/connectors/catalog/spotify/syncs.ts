// Spotify syncs (seed 000): the listener's playlists, and the items (tracks and episodes) of each of them. Both
// are full reads (Spotify has no "changed since" filter on these lists): records a complete run no longer sees
// are marked deleted. Lists are walked with the shared paginator: the first request sets offset and limit (50,
// the documented maximum), then each answer's `next` URL is followed; a `next` outside api.spotify.com is not
// (the bearer token would go with it). Checkpoints keep the `next` URL, so a retry resumes at the page that
// failed; the tracks sync also keeps which playlists it has finished.
// Docs: developer.spotify.com/documentation/web-api/reference/get-a-list-of-current-users-playlists,
// /reference/get-playlists-items (GET /playlists/{id}/items; /tracks is its deprecated name),
// /tutorials/february-2026-migration-guide (`tracks` → `items` in playlists, `track` → `item` in entries),
// /concepts/api-calls (paging object), /concepts/rate-limits (429 with Retry-After).
import { z } from 'zod';
import { ProviderError, type ProviderRequest } from '../../sdk/provider-http.ts';
import { defineSync, type SyncContext } from '../../sdk/sync.ts';
import type { PaginationRule } from '../../sdk/paginate.ts';

export const API_ORIGIN = 'https://api.spotify.com';
/** Spotify's maximum `limit` for both lists. */
const PAGE_SIZE = 50;
const NEXT_URLS: PaginationRule = { kind: 'link', itemsPath: 'items', nextUrlPath: 'next' };

const image = z.looseObject({ url: z.string() });
export const spotifyPlaylist = z.looseObject({
  id: z.string(),
  name: z.string(),
  snapshot_id: z.string().optional(),
  owner: z.looseObject({ id: z.string().optional() }).optional(),
  images: z.array(image).nullable().optional(),
  uri: z.string(),
});
type Playlist = z.infer<typeof spotifyPlaylist>;

/** One entry of a playlist, as stored: which playlist, when and by whom it was added, and the track or episode. */
export const spotifyPlaylistItem = z.object({
  id: z.string(),
  playlistId: z.string(),
  addedAt: z.string().nullable(),
  addedBy: z.string().nullable(),
  isLocal: z.boolean(),
  item: z.looseObject({ type: z.string(), uri: z.string(), name: z.string() }),
});
type PlaylistItem = z.infer<typeof spotifyPlaylistItem>;

// An entry as Spotify sends it: `item` since the February 2026 changes, `track` before; either may be null
// when the track is no longer available.
const rawEntry = z.looseObject({
  added_at: z.string().nullable().optional(),
  added_by: z.looseObject({ id: z.string().optional() }).nullable().optional(),
  is_local: z.boolean().optional(),
  item: z.looseObject({ type: z.string(), uri: z.string(), name: z.string() }).nullable().optional(),
  track: z.looseObject({ type: z.string(), uri: z.string(), name: z.string() }).nullable().optional(),
});

function total(body: unknown): number | undefined {
  const value = (body as { total?: unknown } | null)?.total;
  return typeof value === 'number' ? value : undefined;
}

/** Refuses a `next` link off Spotify's API before the paginator follows it with the bearer token. */
function checkNext(next: string | null): void {
  if (next !== null && new URL(next).origin !== API_ORIGIN) {
    throw new ProviderError({ code: 'invalid_response', message: `Spotify returned a next-page link outside ${API_ORIGIN}; it was not followed` });
  }
}

/** Pages of a Spotify list from `resumeFrom` (a saved `next` URL) or from the start. */
async function* pagesOf<T>(ctx: SyncContext, request: ProviderRequest, resumeFrom: string | null) {
  checkNext(resumeFrom);
  for await (const page of ctx.paginate<T>(request, NEXT_URLS, { resumeFrom })) {
    checkNext(page.next);
    yield page;
  }
}

const firstPage = (path: string): ProviderRequest => ({ path, query: { limit: PAGE_SIZE, offset: 0 } });

/**
 * A stable id for an entry: the playlist, the track or episode and when it was added (the same song added twice
 * is two entries). Positions are not part of it: adding a song at the top would otherwise change every entry.
 */
function entryId(playlistId: string, uri: string, addedAt: string | null): string {
  return `${playlistId}:${uri}:${addedAt ?? ''}`;
}

interface PlaylistsCheckpoint {
  next: string | null;
}

export const playlistsSync = defineSync<unknown, Playlist>({
  name: 'playlists',
  title: 'Playlists',
  description: 'Playlists the listener owns or follows (GET /me/playlists), read in full; playlists no longer in the list are marked deleted.',
  model: 'Playlist',
  schema: spotifyPlaylist,
  idOf: (playlist) => playlist.id,
  frequency: 'every 6h',
  incremental: false,
  async run(ctx) {
    const saved = await ctx.checkpoint.get<PlaylistsCheckpoint>();
    let processed = 0;
    for await (const page of pagesOf<Playlist>(ctx, firstPage('me/playlists'), saved?.next ?? null)) {
      await ctx.records.upsert(page.items);
      await ctx.checkpoint.save({ next: page.next } satisfies PlaylistsCheckpoint);
      processed += page.items.length;
      await ctx.progress(processed, total(page.response.data), 'playlists');
    }
  },
});

/** The playlists finished so far, and where the one being read is. */
interface TracksCheckpoint {
  done: string[];
  current: { playlistId: string; next: string | null } | null;
}

export const playlistTracksSync = defineSync<unknown, PlaylistItem>({
  name: 'playlistTracks',
  title: 'Playlist tracks',
  description:
    "The tracks and episodes of each of the listener's playlists (GET /playlists/{id}/items), read in full; entries removed from a playlist are marked deleted. Unavailable tracks (null) are skipped.",
  model: 'PlaylistTrack',
  schema: spotifyPlaylistItem,
  idOf: (entry) => entry.id,
  frequency: 'every 6h',
  incremental: false,
  async run(ctx) {
    const saved = await ctx.checkpoint.get<TracksCheckpoint>();
    const done = new Set(saved?.done ?? []);
    const playlists: Playlist[] = [];
    for await (const page of pagesOf<Playlist>(ctx, firstPage('me/playlists'), null)) playlists.push(...page.items.map((item) => spotifyPlaylist.parse(item)));
    let processed = 0;
    for (const [index, playlist] of playlists.entries()) {
      if (done.has(playlist.id)) continue;
      const resumeFrom = saved?.current?.playlistId === playlist.id ? saved.current.next : null;
      for await (const page of pagesOf<unknown>(ctx, firstPage(`playlists/${encodeURIComponent(playlist.id)}/items`), resumeFrom)) {
        const entries: PlaylistItem[] = [];
        for (const raw of page.items) {
          const entry = rawEntry.parse(raw);
          const item = entry.item ?? entry.track;
          if (!item) continue;
          const addedAt = entry.added_at ?? null;
          entries.push({ id: entryId(playlist.id, item.uri, addedAt), playlistId: playlist.id, addedAt, addedBy: entry.added_by?.id ?? null, isLocal: entry.is_local ?? false, item });
        }
        await ctx.records.upsert(entries);
        if (page.next === null) done.add(playlist.id);
        await ctx.checkpoint.save({ done: [...done], current: page.next === null ? null : { playlistId: playlist.id, next: page.next } } satisfies TracksCheckpoint);
        processed += entries.length;
        await ctx.progress(processed, undefined, `playlist ${index + 1} of ${playlists.length}`);
      }
    }
  },
});
