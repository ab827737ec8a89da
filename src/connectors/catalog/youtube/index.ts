// YouTube Data API v3 with an API key: a channel's statistics and its uploaded videos with their statistics
// (public data needs no sign-in), and seed 000's syncs: the videos as records and the channel's subscriber,
// view and video counts as daily KPI points. youtube-oauth is the same with a Google sign-in.
// Docs used:
//   https://developers.google.com/youtube/v3/getting-started                       (API keys as ?key=, parts, quota units)
//   https://developers.google.com/youtube/v3/docs/errors                           (error reasons; errors.ts)
//   channel.ts for the channel, playlist and video endpoints.
import { z } from 'zod';
import { defineConnector } from '../../sdk/define.ts';
import { channelActions, channelId, channelSyncs, checkChannel, YOUTUBE_LOGO, type ChannelSelector } from './channel.ts';
import { errors, TITLE } from './errors.ts';

const config = z.object({ channelId: channelId.describe('The channel id, UC… (24 characters).') });
type Config = z.output<typeof config>;

const selectorOf = (c: Config): ChannelSelector => ({ id: c.channelId });

export default defineConnector<Config>({
  id: 'youtube',
  title: TITLE,
  category: 'video',
  description: "Read a YouTube channel's statistics and its uploaded videos with views, likes and comments, and sync them (API key).",
  logo: YOUTUBE_LOGO,
  docsUrl: 'https://developers.google.com/youtube/v3',
  baseUrl: 'https://www.googleapis.com/youtube/v3',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'A Google Cloud API key with the YouTube Data API v3 enabled (APIs & Services → Credentials).',
        placement: 'query',
        name: 'key',
        pattern: { regex: /^AIza[0-9A-Za-z_-]{35}$/, message: 'a Google API key starts with AIza and has 39 characters' },
      },
    },
  },
  config,
  // No rateLimit: YouTube meters units per day (10,000 by default) rather than calls per second; a list
  // call costs one unit. quotaExceeded answers become 429 with the time to the daily reset.
  checkConnection: (ctx) => checkChannel(ctx, selectorOf(ctx.config), errors, 'config.channelId'),
  actions: channelActions(selectorOf),
  syncs: channelSyncs(selectorOf),
});
