// Contract tests for the YouTube connector against fixtures shaped like the Data API v3 reference: the key in
// the query, channels → uploads playlist → videos.list batches, pageToken pagination, YouTube's error bodies
// (keyInvalid → a refused key, quotaExceeded → 429 until the daily reset) and both syncs' output.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider, syncRunner } from '../../../../test/support/connectors.ts';
import { isoDay } from '../../sdk/sync-window.ts';
import { untilQuotaReset } from './errors.ts';
import youtube from './index.ts';

const KEY = 'AIzaSyA1234567890abcdefghijklmnopqrstuv';
const CHANNEL = 'UC_x5XG1OV2P6uZZ5FSM9Ttw';
const UPLOADS = 'UU_x5XG1OV2P6uZZ5FSM9Ttw';
const BASE = 'https://www.googleapis.com/youtube/v3';

const channel = {
  kind: 'youtube#channel',
  etag: 'e1',
  id: CHANNEL,
  snippet: { title: 'Google for Developers', description: 'Dev videos', customUrl: '@googledevelopers', publishedAt: '2007-08-23T00:34:43Z' },
  statistics: { viewCount: '250000000', subscriberCount: '2400000', hiddenSubscriberCount: false, videoCount: '5800' },
  contentDetails: { relatedPlaylists: { likes: '', uploads: UPLOADS } },
};
const VIDEO_IDS = ['vid00000001', 'vid00000002', 'vid00000003'];
const video = (id: string, n: number) => ({
  kind: 'youtube#video',
  id,
  snippet: { title: `Video ${n}`, description: `About ${n}`, publishedAt: `2026-0${n}-01T10:00:00Z`, channelId: CHANNEL, thumbnails: { default: { url: `https://i.ytimg.com/vi/${id}/default.jpg` }, high: { url: `https://i.ytimg.com/vi/${id}/hqdefault.jpg` } }, tags: ['dev'] },
  contentDetails: { duration: `PT${n}M10S` },
  statistics: { viewCount: String(1000 * n), likeCount: String(10 * n), favoriteCount: '0', commentCount: String(n) },
});

/** The same video as the connector answers it: counts as numbers. */
const parsedVideo = (id: string, n: number) => ({ ...video(id, n), statistics: { viewCount: 1000 * n, likeCount: 10 * n, favoriteCount: '0', commentCount: n } });

const youtubeError = (code: number, reason: string, message: string) =>
  HttpResponse.json({ error: { code, message, errors: [{ message, domain: reason === 'keyInvalid' ? 'global' : 'youtube.quota', reason }], status: code === 400 ? 'INVALID_ARGUMENT' : 'PERMISSION_DENIED' } }, { status: code });

let quotaGone = false;
let hidden = false;
const api = provider([
  http.get(`${BASE}/channels`, ({ request }) => {
    const url = new URL(request.url);
    if (url.searchParams.get('key') !== KEY) return youtubeError(400, 'keyInvalid', 'API key not valid. Please pass a valid API key.');
    if (quotaGone) return youtubeError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.');
    if (url.searchParams.get('id') !== CHANNEL) return HttpResponse.json({ kind: 'youtube#channelListResponse', etag: 'x', pageInfo: { totalResults: 0, resultsPerPage: 5 } });
    const statistics = hidden ? { viewCount: '10', hiddenSubscriberCount: true, videoCount: '1' } : channel.statistics;
    return HttpResponse.json({ kind: 'youtube#channelListResponse', pageInfo: { totalResults: 1, resultsPerPage: 5 }, items: [{ ...channel, statistics }] });
  }),
  http.get(`${BASE}/playlistItems`, ({ request }) => {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get('maxResults'));
    const start = url.searchParams.get('pageToken') === 'CAIQAA' ? 2 : 0;
    const ids = VIDEO_IDS.slice(start, start + Math.min(size, 2));
    return HttpResponse.json({
      kind: 'youtube#playlistItemListResponse',
      ...(start + 2 < VIDEO_IDS.length ? { nextPageToken: 'CAIQAA' } : {}),
      pageInfo: { totalResults: VIDEO_IDS.length, resultsPerPage: 2 },
      items: ids.map((videoId) => ({ kind: 'youtube#playlistItem', id: `pl-${videoId}`, contentDetails: { videoId, videoPublishedAt: '2026-01-01T00:00:00Z' } })),
    });
  }),
  http.get(`${BASE}/videos`, ({ request }) => {
    const ids = new URL(request.url).searchParams.get('id')!.split(',');
    // vid00000002 was made private after it was listed: videos.list leaves it out.
    return HttpResponse.json({ kind: 'youtube#videoListResponse', items: ids.filter((id) => id !== 'vid00000002').map((id) => video(id, VIDEO_IDS.indexOf(id) + 1)) });
  }),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  quotaGone = false;
  hidden = false;
});
afterAll(() => api.disable());

const runner = (key = KEY, channelId = CHANNEL) => connectorRunner(youtube, { credentials: { apiKey: key }, config: { channelId } });
const requested = () => api.requests.map((request) => `${request.url.pathname.replace('/youtube/v3/', '')} ${JSON.stringify(Object.fromEntries(request.url.searchParams))}`);

describe('YouTube connector', () => {
  it('puts the API key in the key query parameter and checks the connection by reading the channel', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: CHANNEL, name: 'Google for Developers', details: { viewCount: 250000000, videoCount: 5800, customUrl: '@googledevelopers', subscriberCount: 2400000 } },
    });
    expect(requested()).toEqual([`channels {"part":"snippet,statistics,contentDetails","id":"${CHANNEL}","key":"${KEY}"}`]);
    await run.close();
  });

  it('reports keyInvalid as a refused key and an unknown channel as a channelId problem', async () => {
    const bad = runner('AIzaSyB00000000000000000000000000000000');
    expect(await bad.check()).toEqual({
      ok: false,
      reason: 'auth',
      field: 'credentials.apiKey',
      message: 'The credential was rejected by YouTube: 400 API key not valid. Please pass a valid API key. (keyInvalid)',
    });
    await bad.close();
    const unknown = runner(KEY, 'UC0000000000000000000000');
    expect(await unknown.check()).toEqual({ ok: false, reason: 'config', field: 'config.channelId', message: 'YouTube has no channel UC0000000000000000000000: check the channel id.' });
    await unknown.close();
  });

  it('refuses a malformed key or channel id before calling YouTube', () => {
    expect(youtube.config.safeParse({ channelId: '@googledevelopers' }).error?.issues[0]?.message).toMatch(/UC followed by 22 characters/);
  });

  it('getChannelStatistics answers the counts, with a hidden subscriber count as null', async () => {
    const run = runner();
    expect(await run.run('getChannelStatistics', {})).toEqual({
      ok: true,
      output: { channelId: CHANNEL, title: 'Google for Developers', customUrl: '@googledevelopers', subscriberCount: 2400000, hiddenSubscriberCount: false, viewCount: 250000000, videoCount: 5800 },
    });
    hidden = true;
    expect(await run.run('getChannelStatistics', {})).toMatchObject({ ok: true, output: { subscriberCount: null, hiddenSubscriberCount: true, viewCount: 10 } });
    await run.close();
  });

  it('listVideos reads the uploads playlist page and the statistics of its videos, and passes the page token on', async () => {
    const run = runner();
    const outcome = await run.run('listVideos', { maxResults: 2 });
    expect(outcome).toEqual({ ok: true, output: { items: [parsedVideo('vid00000001', 1)], nextPageToken: 'CAIQAA', totalResults: 3 } });
    expect(requested()).toEqual([
      `channels {"part":"snippet,statistics,contentDetails","id":"${CHANNEL}","key":"${KEY}"}`,
      `playlistItems {"part":"contentDetails","playlistId":"${UPLOADS}","maxResults":"2","key":"${KEY}"}`,
      `videos {"part":"snippet,contentDetails,statistics","id":"vid00000001,vid00000002","maxResults":"50","key":"${KEY}"}`,
    ]);
    api.reset();
    expect(await run.run('listVideos', { maxResults: 2, pageToken: 'CAIQAA' })).toMatchObject({ ok: true, output: { items: [parsedVideo('vid00000003', 3)], nextPageToken: null } });
    expect(api.requests[1]!.url.searchParams.get('pageToken')).toBe('CAIQAA');
    await run.close();
  });

  it('turns quotaExceeded into a 429 that waits for the daily reset, without retrying in the call', async () => {
    quotaGone = true;
    const run = runner();
    const outcome = await run.run('getChannelStatistics', {});
    expect(outcome).toMatchObject({
      ok: false,
      kind: 'provider_error',
      status: 429,
      message: expect.stringMatching(/^YouTube answered 403 The request cannot be completed because you have exceeded your .*quota.*\(quotaExceeded\)$/),
    });
    const wait = (outcome as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(86_400_000);
    expect(api.requests).toHaveLength(1);
    await run.close();
  });

  it('computes the wait to midnight Pacific time', () => {
    // 2026-05-01 07:00 UTC is 23:00 the day before at UTC-8: one hour to go.
    expect(untilQuotaReset(Date.UTC(2026, 4, 1, 7))).toBe(3_600_000);
  });

  it('syncs videos page by page from the uploads playlist, skipping videos that went private, with checkpoints and progress', async () => {
    const sync = syncRunner(youtube, 'videos', { credentials: { apiKey: KEY }, config: { channelId: CHANNEL } });
    await sync.run();
    expect(requested().map((line) => line.split(' ')[0])).toEqual(['channels', 'playlistItems', 'videos', 'playlistItems', 'videos']);
    expect(api.requests[3]!.url.searchParams.get('pageToken')).toBe('CAIQAA');
    expect(sync.state.records).toEqual([
      { id: 'vid00000001', title: 'Video 1', publishedAt: '2026-01-01T10:00:00Z', description: 'About 1', duration: 'PT1M10S', viewCount: 1000, likeCount: 10, commentCount: 1, thumbnailUrl: 'https://i.ytimg.com/vi/vid00000001/hqdefault.jpg', tags: ['dev'] },
      { id: 'vid00000003', title: 'Video 3', publishedAt: '2026-03-01T10:00:00Z', description: 'About 3', duration: 'PT3M10S', viewCount: 3000, likeCount: 30, commentCount: 3, thumbnailUrl: 'https://i.ytimg.com/vi/vid00000003/hqdefault.jpg', tags: ['dev'] },
    ]);
    expect(sync.state.checkpoints).toEqual([{ uploads: UPLOADS, pageToken: 'CAIQAA' }, null]);
    expect(sync.state.progress).toEqual([
      { processed: 1, total: 3, step: 'videos' },
      { processed: 2, total: 3, step: 'videos' },
    ]);
    await sync.close();
  });

  it('resumes the video sync from its checkpoint without reading the channel again', async () => {
    const sync = syncRunner(youtube, 'videos', { credentials: { apiKey: KEY }, config: { channelId: CHANNEL }, checkpoint: { uploads: UPLOADS, pageToken: 'CAIQAA' } });
    await sync.run();
    expect(requested().map((line) => line.split(' ')[0])).toEqual(['playlistItems', 'videos']);
    expect(sync.state.records.map((record) => (record as { id: string }).id)).toEqual(['vid00000003']);
    await sync.close();
  });

  it("syncs today's channel statistics as KPI points and a ChannelDay record", async () => {
    const sync = syncRunner(youtube, 'channelStatistics', { credentials: { apiKey: KEY }, config: { channelId: CHANNEL } });
    await sync.run();
    const today = isoDay(Date.now());
    expect(sync.state.records).toEqual([{ id: today, date: today, subscriberCount: 2400000, viewCount: 250000000, videoCount: 5800 }]);
    expect(sync.state.metrics).toEqual([
      { metric: 'subscriber_count', date: today, value: 2400000, unit: 'count' },
      { metric: 'view_count', date: today, value: 250000000, unit: 'count' },
      { metric: 'video_count', date: today, value: 5800, unit: 'count' },
    ]);
    await sync.close();
  });

  it('fails the statistics sync with a 429 when the quota is gone', async () => {
    quotaGone = true;
    const sync = syncRunner(youtube, 'channelStatistics', { credentials: { apiKey: KEY }, config: { channelId: CHANNEL } });
    await expect(sync.run()).rejects.toMatchObject({ status: 429 });
    expect(sync.state.metrics).toEqual([]);
    await sync.close();
  });
});
