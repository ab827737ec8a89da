// Contract tests for the YouTube connector with a Google sign-in: the OAuth spec, the bearer token instead of
// a key, channels?mine=true for the signed-in user's channel (or a given id), a refresh after a 401, an
// account without a channel, and the shared actions and syncs reading through the token.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner } from '../../../../test/support/connectors.ts';
import youtubeOauth from './index.ts';

const TOKEN = 'ya29.youtube-token';
const MINE = 'UCmine000000000000000001';
const OTHER = 'UC_x5XG1OV2P6uZZ5FSM9Ttw';
const BASE = 'https://www.googleapis.com/youtube/v3';

const channel = (id: string, title: string) => ({
  kind: 'youtube#channel',
  id,
  snippet: { title, customUrl: '@ada' },
  statistics: { viewCount: '900', subscriberCount: '12', hiddenSubscriberCount: false, videoCount: '2' },
  contentDetails: { relatedPlaylists: { uploads: `UU${id.slice(2)}` } },
});

let noChannel = false;
const api = provider([
  http.get(`${BASE}/channels`, ({ request }) => {
    const auth = request.headers.get('authorization');
    if (auth !== `Bearer ${TOKEN}` && auth !== 'Bearer ya29.fresh') {
      return HttpResponse.json({ error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ reason: 'authError', domain: 'global' }], status: 'UNAUTHENTICATED' } }, { status: 401 });
    }
    const query = new URL(request.url).searchParams;
    if (query.get('mine') === 'true') return HttpResponse.json({ kind: 'youtube#channelListResponse', items: noChannel ? undefined : [channel(MINE, 'Ada makes videos')] });
    return HttpResponse.json({ kind: 'youtube#channelListResponse', items: [channel(query.get('id')!, 'Someone else')] });
  }),
  http.get(`${BASE}/playlistItems`, () => HttpResponse.json({ items: [{ contentDetails: { videoId: 'myvideo0001' } }], pageInfo: { totalResults: 1 } })),
  http.get(`${BASE}/videos`, () =>
    HttpResponse.json({ items: [{ id: 'myvideo0001', snippet: { title: 'Hello', publishedAt: '2026-05-01T00:00:00Z' }, statistics: { viewCount: '42', likeCount: '4', commentCount: '1' } }] }),
  ),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  noChannel = false;
});
afterAll(() => api.disable());

describe('YouTube connector with Google sign-in', () => {
  it("declares Google's OAuth endpoints with the read-only YouTube scope and offline access", () => {
    expect(youtubeOauth.auth).toMatchObject({
      kind: 'oauth2',
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      scopes: ['https://www.googleapis.com/auth/youtube.readonly'],
      extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
    });
  });

  it("checks the signed-in user's own channel with mine=true and the bearer token, no key", async () => {
    const run = connectorRunner(youtubeOauth, { credentials: { accessToken: TOKEN } });
    expect(await run.check()).toEqual({ ok: true, account: { id: MINE, name: 'Ada makes videos', details: { viewCount: 900, videoCount: 2, customUrl: '@ada', subscriberCount: 12 } } });
    const [request] = api.requests;
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ part: 'snippet,statistics,contentDetails', mine: 'true' });
    expect(request!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    await run.close();
  });

  it('reads a given channel id instead when one is set', async () => {
    const run = connectorRunner(youtubeOauth, { credentials: { accessToken: TOKEN }, config: { channelId: OTHER } });
    expect(await run.run('getChannelStatistics', {})).toMatchObject({ ok: true, output: { channelId: OTHER, title: 'Someone else' } });
    expect(api.requests[0]!.url.searchParams.get('id')).toBe(OTHER);
    await run.close();
  });

  it('says so when the Google account has no channel, and refreshes an expired token once', async () => {
    noChannel = true;
    const none = connectorRunner(youtubeOauth, { credentials: { accessToken: TOKEN } });
    expect(await none.check()).toEqual({ ok: false, reason: 'config', field: 'config.channelId', message: 'The signed-in Google account has no YouTube channel: sign in with the account that owns the channel, or set channelId.' });
    await none.close();
    noChannel = false;
    let refreshes = 0;
    const stale = connectorRunner(youtubeOauth, {
      credentialSource: {
        current: async () => ({ accessToken: 'ya29.stale' }),
        refresh: async () => {
          refreshes += 1;
          return { accessToken: 'ya29.fresh' };
        },
      },
    });
    expect(await stale.check()).toMatchObject({ ok: true, account: { id: MINE } });
    expect(refreshes).toBe(1);
    await stale.close();
  });

  it('reports a token refused after refresh as a rejected credential without a form field', async () => {
    const run = connectorRunner(youtubeOauth, { credentials: { accessToken: 'ya29.revoked' } });
    expect(await run.check()).toEqual({ ok: false, reason: 'auth', message: 'The credential was rejected by YouTube: 401 Request had invalid authentication credentials. (authError)' });
    await run.close();
  });

  it('runs the shared videos sync through the token', async () => {
    const sync = syncRunner(youtubeOauth, 'videos', { credentials: { accessToken: TOKEN } });
    await sync.run();
    expect(sync.state.records).toEqual([expect.objectContaining({ id: 'myvideo0001', title: 'Hello', viewCount: 42 })]);
    expect(api.requests.map((request) => request.url.searchParams.get('playlistId'))).toEqual([null, 'UUmine000000000000000001', null]);
    expect(api.requests.every((request) => request.headers.get('authorization') === `Bearer ${TOKEN}` && !request.url.searchParams.has('key'))).toBe(true);
    await sync.close();
  });
});
