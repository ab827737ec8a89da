// Contract tests for the Spotify connector against fixtures shaped like the Web API reference examples.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, type RecordedRequest } from '../../../../test/support/connectors.ts';
import { toJsonSchema } from '../../sdk/json-schema.ts';
import spotify from './index.ts';

const TOKEN = 'BQDt-valid-access-token';

const me = {
  country: 'GB',
  display_name: 'Ada Lovelace',
  email: 'ada@example.org',
  explicit_content: { filter_enabled: false, filter_locked: false },
  external_urls: { spotify: 'https://open.spotify.com/user/ada.lovelace' },
  followers: { href: null, total: 12 },
  href: 'https://api.spotify.com/v1/users/ada.lovelace',
  id: 'ada.lovelace',
  images: [{ url: 'https://i.scdn.co/image/ab6775700000ee85aa11', height: 300, width: 300 }],
  product: 'premium',
  type: 'user',
  uri: 'spotify:user:ada.lovelace',
};

function playlist(n: number) {
  return {
    collaborative: false,
    description: `Mix number ${n}`,
    external_urls: { spotify: `https://open.spotify.com/playlist/pl${n}` },
    href: `https://api.spotify.com/v1/playlists/pl${n}`,
    id: `pl${n}`,
    images: [],
    name: `Mix ${n}`,
    owner: { id: 'ada.lovelace', display_name: 'Ada Lovelace', type: 'user', uri: 'spotify:user:ada.lovelace' },
    public: n % 2 === 0,
    snapshot_id: `snap${n}`,
    tracks: { href: `https://api.spotify.com/v1/playlists/pl${n}/tracks`, total: 10 + n },
    type: 'playlist',
    uri: `spotify:playlist:pl${n}`,
  };
}

/** Three playlists served two per page, with `next` links the way Spotify builds them. */
function playlistsPage(url: URL) {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const all = [playlist(1), playlist(2), playlist(3)];
  const link = (at: number) => `https://api.spotify.com/v1/me/playlists?offset=${at}&limit=${limit}`;
  return {
    href: link(offset),
    items: all.slice(offset, offset + limit),
    limit,
    next: offset + limit < all.length ? link(offset + limit) : null,
    offset,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    total: all.length,
  };
}

const spotifyError = (status: number, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ error: { status, message } }, { status, headers });

const bearer = (request: Request, token = TOKEN) => request.headers.get('authorization') === `Bearer ${token}`;

let rateLimitedOnce = false;
const api = provider([
  http.get('https://api.spotify.com/v1/me', ({ request }) => {
    if (bearer(request) || bearer(request, 'fresh-token')) return HttpResponse.json(me);
    return spotifyError(401, 'The access token expired');
  }),
  http.get('https://api.spotify.com/v1/me/playlists', ({ request }) => {
    if (!bearer(request)) return spotifyError(401, 'Invalid access token');
    const url = new URL(request.url);
    if (url.searchParams.get('limit') === '7') return spotifyError(404, 'Service not found');
    if (url.searchParams.get('limit') === '9') return HttpResponse.json({ ...playlistsPage(url), next: 'https://collector.example/v1/me/playlists?offset=9' });
    return HttpResponse.json(playlistsPage(url));
  }),
  http.get('https://api.spotify.com/v1/search', ({ request }) => {
    const q = new URL(request.url).searchParams.get('q');
    if (q === 'busy') return spotifyError(429, 'API rate limit exceeded', { 'retry-after': '120' });
    if (q === 'busy-once' && !rateLimitedOnce) {
      rateLimitedOnce = true;
      return spotifyError(429, 'API rate limit exceeded', { 'retry-after': '2' });
    }
    return HttpResponse.json({
      tracks: {
        href: 'https://api.spotify.com/v1/search?query=doxy&type=track&market=GB&offset=0&limit=2',
        items: [
          { id: '4uLU6hMCjMI75M1A2tKUQC', name: 'Doxy', type: 'track', uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC', duration_ms: 291893, artists: [{ id: '0kbYTNQb4Pb1rPbbaF0pT4', name: 'Miles Davis' }] },
        ],
        limit: 2,
        next: null,
        offset: 0,
        previous: null,
        total: 1,
      },
      playlists: {
        href: 'https://api.spotify.com/v1/search?query=doxy&type=playlist&market=GB&offset=0&limit=2',
        items: [null, { id: '37i9dQZF1DX0', name: 'Doxy & friends', type: 'playlist', uri: 'spotify:playlist:37i9dQZF1DX0' }],
        limit: 2,
        next: 'https://api.spotify.com/v1/search?query=doxy&type=playlist&market=GB&offset=2&limit=2',
        offset: 0,
        previous: null,
        total: 40,
      },
    });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  rateLimitedOnce = false;
});
afterAll(() => api.disable());

function runner(credentials: Record<string, string> = { accessToken: TOKEN }) {
  return connectorRunner(spotify, { credentials });
}

/** The parts of a request the connector controls, for exact comparison. */
function sent(request: RecordedRequest | undefined) {
  if (!request) throw new Error('no request was sent');
  return {
    method: request.method,
    url: `${request.url.origin}${request.url.pathname}`,
    query: Object.fromEntries(request.url.searchParams),
    authorization: request.headers.get('authorization'),
    accept: request.headers.get('accept'),
    contentType: request.headers.get('content-type'),
    body: request.body,
  };
}

describe('Spotify connector', () => {
  it('declares the documented OAuth 2.0 code + PKCE endpoints and converts its schemas to JSON Schema', () => {
    expect(spotify.auth).toMatchObject({
      kind: 'oauth2',
      authorizationUrl: 'https://accounts.spotify.com/authorize',
      tokenUrl: 'https://accounts.spotify.com/api/token',
      pkce: true,
      scopeSeparator: ' ',
    });
    for (const action of spotify.actions) {
      expect(() => toJsonSchema(action.input)).not.toThrow();
      expect(() => toJsonSchema(action.output)).not.toThrow();
    }
  });

  it('checks the connection with GET /v1/me and reports the user id and display name', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: 'ada.lovelace', name: 'Ada Lovelace', details: { product: 'premium', country: 'GB', email: 'ada@example.org' } },
    });
    expect(api.requests.map(sent)).toEqual([
      { method: 'GET', url: 'https://api.spotify.com/v1/me', query: {}, authorization: `Bearer ${TOKEN}`, accept: 'application/json', contentType: null, body: '' },
    ]);
    await run.close();
  });

  it("fails the check with Spotify's own words when the token is expired and nothing can refresh it", async () => {
    const run = runner({ accessToken: 'stale' });
    expect(await run.check()).toEqual({ ok: false, reason: 'auth', message: 'The credential was rejected by Spotify: 401 The access token expired' });
    await run.close();
  });

  it('refreshes once on a 401 and retries with the new token', async () => {
    let refreshes = 0;
    const run = connectorRunner(spotify, {
      credentialSource: {
        current: async () => ({ accessToken: 'stale', refreshToken: 'r-1', expiresAt: '2026-01-01T00:00:00Z', tokenType: 'Bearer' }),
        refresh: async () => {
          refreshes += 1;
          return { accessToken: 'fresh-token', refreshToken: 'r-2', expiresAt: '2026-01-01T01:00:00Z', tokenType: 'Bearer' };
        },
      },
    });
    expect(await run.run('getCurrentUser', {})).toMatchObject({ ok: true, output: { id: 'ada.lovelace' } });
    expect(refreshes).toBe(1);
    expect(api.requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer stale', 'Bearer fresh-token']);
    await run.close();
  });

  it('getCurrentUser returns the profile', async () => {
    const run = runner();
    const outcome = await run.run('getCurrentUser', {});
    expect(outcome).toEqual({ ok: true, output: me });
    expect(sent(api.requests[0])).toMatchObject({ method: 'GET', url: 'https://api.spotify.com/v1/me', query: {} });
    await run.close();
  });

  it('listPlaylists sends limit and offset and returns one page with its next link', async () => {
    const run = runner();
    const outcome = await run.run('listPlaylists', { limit: 2 });
    expect(outcome).toEqual({
      ok: true,
      output: {
        items: [playlist(1), playlist(2)],
        total: 3,
        limit: 2,
        offset: 0,
        next: 'https://api.spotify.com/v1/me/playlists?offset=2&limit=2',
        pagesFetched: 1,
      },
    });
    expect(api.requests.map(sent)).toEqual([
      { method: 'GET', url: 'https://api.spotify.com/v1/me/playlists', query: { limit: '2', offset: '0' }, authorization: `Bearer ${TOKEN}`, accept: 'application/json', contentType: null, body: '' },
    ]);
    await run.close();
  });

  it('listPlaylists follows next across two pages when asked', async () => {
    const run = runner();
    const outcome = await run.run('listPlaylists', { limit: 2, followPages: true });
    expect(outcome).toMatchObject({ ok: true, output: { items: [playlist(1), playlist(2), playlist(3)], total: 3, next: null, pagesFetched: 2 } });
    expect(api.requests.map((request) => request.url.href)).toEqual([
      'https://api.spotify.com/v1/me/playlists?limit=2&offset=0',
      'https://api.spotify.com/v1/me/playlists?offset=2&limit=2',
    ]);
    await run.close();
  });

  it('listPlaylists stops at maxPages and keeps the next link', async () => {
    const run = runner();
    const outcome = await run.run('listPlaylists', { limit: 1, followPages: true, maxPages: 2 });
    expect(outcome).toMatchObject({ ok: true, output: { items: [playlist(1), playlist(2)], next: 'https://api.spotify.com/v1/me/playlists?offset=2&limit=1', pagesFetched: 2 } });
    expect(api.requests).toHaveLength(2);
    await run.close();
  });

  it('does not send the token to a next link on another origin', async () => {
    const run = runner();
    expect(await run.run('listPlaylists', { limit: 9, followPages: true })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      message: 'Spotify returned a next-page link outside https://api.spotify.com; it was not followed',
    });
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('relays a 404 with the message from Spotify\'s error object', async () => {
    const run = runner();
    expect(await run.run('listPlaylists', { limit: 7 })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 404,
      message: 'Spotify answered 404: Service not found',
      providerBody: { error: { status: 404, message: 'Service not found' } },
    });
    await run.close();
  });

  it('search sends q, a comma-separated type list, limit and market, and keeps null items', async () => {
    const run = runner();
    const outcome = await run.run('search', { q: 'doxy', type: ['track', 'playlist', 'track'], limit: 2, market: 'GB' });
    expect(outcome.ok).toBe(true);
    const output = (outcome as { output: { tracks: { items: unknown[] }; playlists: { items: unknown[]; total: number } } }).output;
    expect(output.tracks.items).toHaveLength(1);
    expect(output.playlists.items[0]).toBeNull();
    expect(output.playlists.total).toBe(40);
    expect(api.requests.map(sent)).toEqual([
      {
        method: 'GET',
        url: 'https://api.spotify.com/v1/search',
        query: { q: 'doxy', type: 'track,playlist', limit: '2', market: 'GB' },
        authorization: `Bearer ${TOKEN}`,
        accept: 'application/json',
        contentType: null,
        body: '',
      },
    ]);
    await run.close();
  });

  it('refuses a search without a type or with a malformed market before calling Spotify', async () => {
    const run = runner();
    expect(await run.run('search', { q: 'doxy', type: [] })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await run.run('search', { q: 'doxy', type: ['track'], market: 'gb' })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('waits out a short Retry-After on 429 and succeeds', async () => {
    const run = runner();
    expect(await run.run('search', { q: 'busy-once', type: ['track'] })).toMatchObject({ ok: true });
    expect(run.sleeps).toEqual([2000]);
    expect(api.requests).toHaveLength(2);
    await run.close();
  });

  it('hands a long Retry-After back to the caller instead of waiting', async () => {
    const run = runner();
    expect(await run.run('search', { q: 'busy', type: ['track'] })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      retryAfterMs: 120_000,
      message: 'Spotify answered 429: API rate limit exceeded',
    });
    expect(run.sleeps).toEqual([]);
    expect(api.requests).toHaveLength(1);
    await run.close();
  });
});
