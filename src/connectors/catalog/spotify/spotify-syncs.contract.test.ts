// Contract tests for the Spotify syncs against fixtures shaped like the Web API reference: playlists read with
// offset/limit and then Spotify's `next` URLs, each playlist's items read the same way (entries in the
// February 2026 `item` shape and the older `track` one), a 429 waited out for its Retry-After, a run that failed
// mid-playlist resumed at the saved `next` URL without re-reading finished playlists, and a foreign `next` link
// refused before the token goes there.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provider, syncRunner } from '../../../../test/support/connectors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import spotify from './index.ts';

const TOKEN = 'BQDt-sync-access-token';
const API = 'https://api.spotify.com/v1';

const playlist = (n: number) => ({
  collaborative: false,
  description: `Mix number ${n}`,
  external_urls: { spotify: `https://open.spotify.com/playlist/pl${n}` },
  href: `${API}/playlists/pl${n}`,
  id: `pl${n}`,
  images: [],
  name: `Mix ${n}`,
  owner: { id: 'ada.lovelace', display_name: 'Ada Lovelace', type: 'user', uri: 'spotify:user:ada.lovelace' },
  public: true,
  snapshot_id: `snap${n}`,
  items: { href: `${API}/playlists/pl${n}/items`, total: n === 1 ? 3 : 120 },
  tracks: null,
  type: 'playlist',
  uri: `spotify:playlist:pl${n}`,
});

const track = (n: number) => ({
  album: { id: `al${n % 7}`, name: `Album ${n % 7}`, type: 'album', uri: `spotify:album:al${n % 7}` },
  artists: [{ id: 'ar1', name: 'The Engines', type: 'artist', uri: 'spotify:artist:ar1' }],
  duration_ms: 180_000 + n,
  explicit: false,
  id: `tr${n}`,
  name: `Song ${n}`,
  type: 'track',
  uri: `spotify:track:tr${n}`,
  is_local: false,
});
const addedAt = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 3_600_000).toISOString().replace('.000', '');
/** Playlist 1 answers in the older shape (`track`) with one unavailable entry; playlist 2 in the current one (`item`). */
const entries: Record<string, unknown[]> = {
  pl1: [
    { added_at: addedAt(1), added_by: { id: 'ada.lovelace', type: 'user' }, is_local: false, track: track(1) },
    { added_at: addedAt(2), added_by: { id: 'ada.lovelace', type: 'user' }, is_local: false, track: null },
    { added_at: addedAt(3), added_by: { id: 'ada.lovelace', type: 'user' }, is_local: false, track: track(3) },
  ],
  pl2: Array.from({ length: 120 }, (_, i) => ({ added_at: addedAt(100 + i), added_by: { id: 'grace', type: 'user' }, is_local: false, item: track(100 + i) })),
};

/** A paging object the way Spotify builds it: `next` is the full URL of the following window. */
function paging(base: string, url: URL, all: unknown[]) {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const link = (at: number) => `${base}?offset=${at}&limit=${limit}`;
  return HttpResponse.json({
    href: link(offset),
    items: all.slice(offset, offset + limit),
    limit,
    next: offset + limit < all.length ? link(offset + limit) : null,
    offset,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    total: all.length,
  });
}
const spotifyError = (status: number, message: string, headers: Record<string, string> = {}) => HttpResponse.json({ error: { status, message } }, { status, headers });

let playlists = Array.from({ length: 60 }, (_, i) => playlist(i + 1));
/** Answers queued for the next requests to a path, before the regular one. */
let queued: Record<string, Array<() => Response>> = {};
let foreignNext = false;

const api = provider([
  http.get(`${API}/me/playlists`, ({ request }) => {
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return spotifyError(401, 'Invalid access token');
    const next = queued['/v1/me/playlists']?.shift();
    if (next) return next();
    const url = new URL(request.url);
    if (foreignNext) return HttpResponse.json({ href: url.href, items: playlists.slice(0, 50), limit: 50, next: 'https://collector.example/v1/me/playlists?offset=50&limit=50', offset: 0, previous: null, total: 60 });
    return paging(`${API}/me/playlists`, url, playlists);
  }),
  http.get(`${API}/playlists/:id/items`, ({ request, params }) => {
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return spotifyError(401, 'Invalid access token');
    const url = new URL(request.url);
    const next = queued[url.pathname]?.shift();
    if (next) return next();
    return paging(`${API}/playlists/${String(params.id)}/items`, url, entries[String(params.id)] ?? []);
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  queued = {};
  foreignNext = false;
  playlists = Array.from({ length: 60 }, (_, i) => playlist(i + 1));
});
afterAll(() => api.disable());

const asked = () => api.requests.map((r) => `${r.url.pathname}${r.url.search}`);

describe('Spotify playlists sync', () => {
  it('reads the playlists with offset/limit 50, then follows next URLs, saving each next as the checkpoint', async () => {
    const sync = syncRunner(spotify, 'playlists', { credentials: { accessToken: TOKEN } });
    await sync.run();
    expect(asked()).toEqual(['/v1/me/playlists?limit=50&offset=0', '/v1/me/playlists?offset=50&limit=50']);
    expect(api.requests.every((r) => r.headers.get('authorization') === `Bearer ${TOKEN}`)).toBe(true);
    expect(sync.state.batches.map((batch) => batch.length)).toEqual([50, 10]);
    expect(sync.state.checkpoints).toEqual([{ next: `${API}/me/playlists?offset=50&limit=50` }, { next: null }]);
    expect(sync.state.progress.at(-1)).toEqual({ processed: 60, total: 60, step: 'playlists' });
    expect(sync.sync.incremental).toBe(false);
    sync.close();
  });

  it("waits out a 429 for Spotify's Retry-After and asks for the same page again", async () => {
    queued['/v1/me/playlists'] = [() => spotifyError(429, 'API rate limit exceeded', { 'retry-after': '3' })];
    const sync = syncRunner(spotify, 'playlists', { credentials: { accessToken: TOKEN } });
    await sync.run();
    expect(sync.sleeps).toEqual([3000]);
    expect(asked()).toEqual(['/v1/me/playlists?limit=50&offset=0', '/v1/me/playlists?limit=50&offset=0', '/v1/me/playlists?offset=50&limit=50']);
    expect(sync.state.records).toHaveLength(60);
    sync.close();
  });

  it('resumes from the saved next URL', async () => {
    const sync = syncRunner(spotify, 'playlists', { credentials: { accessToken: TOKEN }, checkpoint: { next: `${API}/me/playlists?offset=50&limit=50` } });
    await sync.run();
    expect(asked()).toEqual(['/v1/me/playlists?offset=50&limit=50']);
    expect(sync.state.records.map((p) => (p as { id: string }).id)).toEqual(playlists.slice(50).map((p) => p.id));
    sync.close();
  });

  it('does not follow a next link off api.spotify.com', async () => {
    foreignNext = true;
    const sync = syncRunner(spotify, 'playlists', { credentials: { accessToken: TOKEN } });
    const error = await sync.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toContain('outside https://api.spotify.com');
    expect(api.requests.map((r) => r.url.host)).toEqual(['api.spotify.com']);
    sync.close();
  });
});

describe('Spotify playlist tracks sync', () => {
  it("reads every playlist's items page by page, in either entry shape, skipping unavailable tracks", async () => {
    playlists = [playlist(1), playlist(2)];
    const sync = syncRunner(spotify, 'playlistTracks', { credentials: { accessToken: TOKEN } });
    await sync.run();
    expect(asked()).toEqual([
      '/v1/me/playlists?limit=50&offset=0',
      '/v1/playlists/pl1/items?limit=50&offset=0',
      '/v1/playlists/pl2/items?limit=50&offset=0',
      '/v1/playlists/pl2/items?offset=50&limit=50',
      '/v1/playlists/pl2/items?offset=100&limit=50',
    ]);
    expect(sync.state.batches.map((batch) => batch.length)).toEqual([2, 50, 50, 20]);
    expect(sync.state.batches[0]).toEqual([`pl1:spotify:track:tr1:${addedAt(1)}`, `pl1:spotify:track:tr3:${addedAt(3)}`]);
    expect(sync.state.records[0]).toEqual({
      id: `pl1:spotify:track:tr1:${addedAt(1)}`,
      playlistId: 'pl1',
      addedAt: addedAt(1),
      addedBy: 'ada.lovelace',
      isLocal: false,
      item: track(1),
    });
    expect(sync.state.checkpoints.at(1)).toEqual({ done: ['pl1'], current: { playlistId: 'pl2', next: `${API}/playlists/pl2/items?offset=50&limit=50` } });
    expect(sync.state.checkpoint).toEqual({ done: ['pl1', 'pl2'], current: null });
    expect(sync.state.progress.at(-1)).toEqual({ processed: 122, step: 'playlist 2 of 2' });
    sync.close();
  });

  it('resumes a failed run inside the playlist it stopped in, without reading finished playlists again', async () => {
    playlists = [playlist(1), playlist(2)];
    // The second page of playlist 2 keeps failing with 503 through the client's own retries.
    queued['/v1/playlists/pl2/items'] = [
      () => paging(`${API}/playlists/pl2/items`, new URL(`${API}/playlists/pl2/items?limit=50&offset=0`), entries.pl2!),
      ...Array.from({ length: 8 }, () => () => spotifyError(503, 'Service unavailable')),
    ];
    const sync = syncRunner(spotify, 'playlistTracks', { credentials: { accessToken: TOKEN } });
    const failed = await sync.run().catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(ProviderError);
    expect((failed as ProviderError).status).toBe(503);
    expect(sync.state.checkpoint).toEqual({ done: ['pl1'], current: { playlistId: 'pl2', next: `${API}/playlists/pl2/items?offset=50&limit=50` } });

    queued = {};
    api.reset();
    await sync.run();
    expect(asked()).toEqual(['/v1/me/playlists?limit=50&offset=0', '/v1/playlists/pl2/items?offset=50&limit=50', '/v1/playlists/pl2/items?offset=100&limit=50']);
    expect(new Set(sync.state.records.map((r) => (r as { id: string }).id)).size).toBe(122);
    expect(sync.state.checkpoint).toEqual({ done: ['pl1', 'pl2'], current: null });
    sync.close();
  });
});
