// What both YouTube connectors share (API key: youtube, OAuth: youtube-oauth): the channel, its uploads and
// their statistics as actions and syncs, for whichever channel a connector's settings select.
// Docs used:
//   https://developers.google.com/youtube/v3/docs/channels/list                    (id or mine=true, part=snippet,statistics,contentDetails; hiddenSubscriberCount)
//   https://developers.google.com/youtube/v3/guides/implementation/videos          (a channel's uploads = contentDetails.relatedPlaylists.uploads)
//   https://developers.google.com/youtube/v3/docs/playlistItems/list               (maxResults ≤ 50, pageToken / nextPageToken)
//   https://developers.google.com/youtube/v3/docs/videos/list                      (id = up to 50 comma-separated ids; statistics)
import { z } from 'zod';
import { defineAction, type ActionDefinition, type CheckResult, type ConnectorContext } from '../../sdk/define.ts';
import type { PaginationRule } from '../../sdk/paginate.ts';
import { ProviderError, type ProviderHttp } from '../../sdk/provider-http.ts';
import { defineSync, type SyncDefinition } from '../../sdk/sync.ts';
import { isoDay } from '../../sdk/sync-window.ts';
import { errors, TITLE, type YouTubeErrors } from './errors.ts';

export const YOUTUBE_LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="1.5" y="5" width="21" height="14" rx="4" fill="#ff0000"/><path d="M10 9v6l5.2-3z" fill="#fff"/></svg>';

export const channelId = z
  .string()
  .trim()
  .regex(/^UC[A-Za-z0-9_-]{22}$/, 'channelId must be a channel id: UC followed by 22 characters (YouTube Studio → Settings → Channel → Advanced settings)');

/** Which channel a connector reads: one by id (any key can read public channels) or the signed-in user's own. */
export type ChannelSelector = { id: string } | { mine: true };

// YouTube sends counts as strings ("1234"); hidden subscriber counts are left out.
const count = z.union([z.string(), z.number()]).transform(Number);
const thumbnails = z.record(z.string(), z.looseObject({ url: z.string() }));
const channel = z.looseObject({
  id: z.string(),
  snippet: z.looseObject({ title: z.string(), description: z.string().optional(), customUrl: z.string().optional(), publishedAt: z.string().optional(), thumbnails: thumbnails.optional() }),
  statistics: z.looseObject({ viewCount: count.optional(), subscriberCount: count.optional(), hiddenSubscriberCount: z.boolean().optional(), videoCount: count.optional() }).optional(),
  contentDetails: z.looseObject({ relatedPlaylists: z.looseObject({ uploads: z.string().optional() }) }).optional(),
});
type Channel = z.infer<typeof channel>;
const video = z.looseObject({
  id: z.string(),
  snippet: z.looseObject({ title: z.string(), description: z.string().optional(), publishedAt: z.string(), channelId: z.string().optional(), thumbnails: thumbnails.optional(), tags: z.array(z.string()).optional() }),
  contentDetails: z.looseObject({ duration: z.string().optional() }).optional(),
  statistics: z.looseObject({ viewCount: count.optional(), likeCount: count.optional(), commentCount: count.optional() }).optional(),
});
type Video = z.infer<typeof video>;
const playlistItem = z.looseObject({ contentDetails: z.looseObject({ videoId: z.string() }) });
const listOf = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item).default([]), nextPageToken: z.string().optional(), pageInfo: z.looseObject({ totalResults: z.number().optional() }).optional() });

const CHANNEL_PARTS = 'snippet,statistics,contentDetails';
const VIDEO_PARTS = 'snippet,contentDetails,statistics';
const UPLOADS_PAGING: PaginationRule = { kind: 'cursor', itemsPath: 'items', cursorPath: 'nextPageToken', cursorParam: 'pageToken' };

function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

class ChannelNotFound extends Error {}

async function readChannel(http: ProviderHttp, selector: ChannelSelector): Promise<Channel> {
  const query = 'id' in selector ? { part: CHANNEL_PARTS, id: selector.id } : { part: CHANNEL_PARTS, mine: true };
  const answer = await errors.call(() => http.get('channels', { query }));
  const found = expectShape(listOf(channel), answer.data, 'channels.list').items[0];
  if (!found) throw new ChannelNotFound('id' in selector ? `${TITLE} has no channel ${selector.id}` : 'The signed-in Google account has no YouTube channel');
  return found;
}

/** The channel's uploads playlist: every public upload, newest first. */
function uploadsOf(found: Channel): string {
  const uploads = found.contentDetails?.relatedPlaylists.uploads;
  if (!uploads) throw new ProviderError({ code: 'invalid_response', message: `${TITLE} answered channels.list without the uploads playlist of ${found.id}` });
  return uploads;
}

/** Full video resources for ids from a playlist page (videos.list takes up to 50 ids, one unit). */
async function videosByIds(http: ProviderHttp, ids: string[]): Promise<Video[]> {
  if (ids.length === 0) return [];
  const answer = await errors.call(() => http.get('videos', { query: { part: VIDEO_PARTS, id: ids.join(','), maxResults: 50 } }));
  const byId = new Map(expectShape(listOf(video), answer.data, 'videos.list').items.map((item) => [item.id, item]));
  // Keep the playlist's order; a video deleted or made private in between is simply absent.
  return ids.map((id) => byId.get(id)).filter((item): item is Video => item !== undefined);
}

const statisticsOutput = z.object({
  channelId: z.string(),
  title: z.string(),
  customUrl: z.string().nullable(),
  subscriberCount: z.number().nullable(),
  hiddenSubscriberCount: z.boolean(),
  viewCount: z.number(),
  videoCount: z.number(),
});
function statisticsOf(found: Channel): z.infer<typeof statisticsOutput> {
  const stats = found.statistics;
  return {
    channelId: found.id,
    title: found.snippet.title,
    customUrl: found.snippet.customUrl ?? null,
    subscriberCount: stats?.hiddenSubscriberCount ? null : (stats?.subscriberCount ?? null),
    hiddenSubscriberCount: stats?.hiddenSubscriberCount ?? false,
    viewCount: stats?.viewCount ?? 0,
    videoCount: stats?.videoCount ?? 0,
  };
}

const listVideosInput = z.object({
  maxResults: z.number().int().min(1).max(50).default(25).describe('Videos per page (YouTube allows 1-50).'),
  pageToken: z.string().min(1).optional().describe('nextPageToken of an earlier answer, to read the following page.'),
});
const listVideosOutput = z.object({ items: z.array(video), nextPageToken: z.string().nullable(), totalResults: z.number().nullable() });

/** One video as stored in the records store. */
const videoRecord = z.object({
  id: z.string(),
  title: z.string(),
  publishedAt: z.string(),
  description: z.string(),
  /** ISO 8601 duration, e.g. PT4M13S. */
  duration: z.string().nullable(),
  viewCount: z.number().nullable(),
  likeCount: z.number().nullable(),
  commentCount: z.number().nullable(),
  thumbnailUrl: z.string().nullable(),
  tags: z.array(z.string()),
});
type VideoRecord = z.infer<typeof videoRecord>;
function recordOf(item: Video): VideoRecord {
  const thumbs = item.snippet.thumbnails;
  return {
    id: item.id,
    title: item.snippet.title,
    publishedAt: item.snippet.publishedAt,
    description: item.snippet.description ?? '',
    duration: item.contentDetails?.duration ?? null,
    viewCount: item.statistics?.viewCount ?? null,
    likeCount: item.statistics?.likeCount ?? null,
    commentCount: item.statistics?.commentCount ?? null,
    thumbnailUrl: (thumbs?.high ?? thumbs?.medium ?? thumbs?.default)?.url ?? null,
    tags: item.snippet.tags ?? [],
  };
}

const channelDay = z.object({ id: z.string(), date: z.string(), subscriberCount: z.number().nullable(), viewCount: z.number(), videoCount: z.number() });

interface VideosCheckpoint {
  uploads: string;
  pageToken: string | null;
}


/** The check of either connector: the selected channel's title and counts. */
export async function checkChannel<Config>(ctx: ConnectorContext<Config>, selector: ChannelSelector, checkErrors: YouTubeErrors, field: string): Promise<CheckResult> {
  try {
    const found = await readChannel(ctx.http, selector);
    const stats = statisticsOf(found);
    const details: Record<string, string | number> = { viewCount: stats.viewCount, videoCount: stats.videoCount };
    if (stats.customUrl) details.customUrl = stats.customUrl;
    if (stats.subscriberCount !== null) details.subscriberCount = stats.subscriberCount;
    return { ok: true, account: { id: found.id, name: found.snippet.title, details } };
  } catch (error) {
    if (error instanceof ChannelNotFound) {
      return { ok: false, reason: 'config', field, message: `${error.message}: ${'id' in selector ? 'check the channel id' : 'sign in with the account that owns the channel, or set channelId'}.` };
    }
    return checkErrors.checkFailure(error);
  }
}

/** getChannelStatistics and listVideos for the channel `selectorOf` picks from the settings. */
export function channelActions<Config>(selectorOf: (config: Config) => ChannelSelector): ActionDefinition<Config>[] {
  return [
    defineAction<Config, object, z.infer<typeof statisticsOutput>>({
      name: 'getChannelStatistics',
      title: 'Get channel statistics',
      description: "The channel's subscriber, view and video counts (GET channels?part=statistics); subscriberCount is null when the channel hides it.",
      input: z.object({}),
      output: statisticsOutput,
      async run(ctx) {
        try {
          return statisticsOf(await readChannel(ctx.http, selectorOf(ctx.config)));
        } catch (error) {
          if (error instanceof ChannelNotFound) throw new ProviderError({ code: 'http_error', status: 404, message: error.message });
          throw error;
        }
      },
    }),
    defineAction<Config, z.output<typeof listVideosInput>, z.infer<typeof listVideosOutput>>({
      name: 'listVideos',
      title: 'List videos',
      description: "The channel's uploads, newest first, with statistics (the uploads playlist, then videos.list for the page's ids); pass nextPageToken back for more.",
      input: listVideosInput,
      output: listVideosOutput,
      async run(ctx, input) {
        const uploads = uploadsOf(await readChannel(ctx.http, selectorOf(ctx.config)));
        const answer = await errors.call(() => ctx.http.get('playlistItems', { query: { part: 'contentDetails', playlistId: uploads, maxResults: input.maxResults, pageToken: input.pageToken } }));
        const page = expectShape(listOf(playlistItem), answer.data, 'playlistItems.list');
        return {
          items: await videosByIds(ctx.http, page.items.map((item) => item.contentDetails.videoId)),
          nextPageToken: page.nextPageToken ?? null,
          totalResults: page.pageInfo?.totalResults ?? null,
        };
      },
    }),
  
  ];
}

/** The videos sync (records) and the channel statistics sync (KPI points) for the selected channel. */
export function channelSyncs<Config>(selectorOf: (config: Config) => ChannelSelector): SyncDefinition<Config>[] {
  return [
    defineSync<Config, VideoRecord>({
      name: 'videos',
      title: 'Videos with statistics',
      description: "Every upload of the channel with its title, duration, views, likes and comments; videos no longer listed are marked deleted.",
      model: 'Video',
      schema: videoRecord,
      idOf: (record) => record.id,
      frequency: 'every 12h',
      incremental: false,
      async run(ctx) {
        const saved = await ctx.checkpoint.get<VideosCheckpoint | null>();
        const uploads = saved?.uploads ?? uploadsOf(await readChannel(ctx.http, selectorOf(ctx.config)));
        let processed = 0;
        await errors.call(async () => {
          const request = { path: 'playlistItems', query: { part: 'contentDetails', playlistId: uploads, maxResults: 50 } };
          for await (const page of ctx.paginate<unknown>(request, UPLOADS_PAGING, { resumeFrom: saved?.pageToken ?? null })) {
            const ids = expectShape(listOf(playlistItem), page.response.data, 'playlistItems.list').items.map((item) => item.contentDetails.videoId);
            const videos = await videosByIds(ctx.http, ids);
            await ctx.records.upsert(videos.map(recordOf));
            processed += videos.length;
            await ctx.checkpoint.save(page.next ? ({ uploads, pageToken: page.next } satisfies VideosCheckpoint) : null);
            const total = (page.response.data as { pageInfo?: { totalResults?: number } }).pageInfo?.totalResults;
            await ctx.progress(processed, total, 'videos');
          }
        });
      },
    }),
    defineSync<Config, z.infer<typeof channelDay>>({
      name: 'channelStatistics',
      title: 'Channel statistics (KPIs)',
      description: "The channel's subscriber, view and video counts, kept once a day: KPI points subscriber_count, view_count and video_count, and a ChannelDay record per day.",
      model: 'ChannelDay',
      schema: channelDay,
      idOf: (record) => record.id,
      frequency: 'every 6h',
      incremental: true,
      async run(ctx) {
        const stats = statisticsOf(await readChannel(ctx.http, selectorOf(ctx.config)));
        // YouTube only tells the current totals; each run keeps today's, replacing an earlier run's of the same day.
        const date = isoDay(Date.now());
        await ctx.records.upsert([{ id: date, date, subscriberCount: stats.subscriberCount, viewCount: stats.viewCount, videoCount: stats.videoCount }]);
        await ctx.metrics.record([
          ...(stats.subscriberCount !== null ? [{ metric: 'subscriber_count', date, value: stats.subscriberCount, unit: 'count' }] : []),
          { metric: 'view_count', date, value: stats.viewCount, unit: 'count' },
          { metric: 'video_count', date, value: stats.videoCount, unit: 'count' },
        ]);
        await ctx.progress(1, 1, 'channel');
      },
    }),
  ] as SyncDefinition<Config>[];
}
