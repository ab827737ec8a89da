// YouTube Data API v3 with a Google sign-in (OAuth 2.0, offline access): the same statistics, videos and syncs
// as the API-key connector (../youtube), for the signed-in user's own channel unless a channel id is given.
// Docs used (besides those in ../youtube/channel.ts):
//   https://developers.google.com/youtube/v3/guides/authentication                 (OAuth 2.0 for the Data API)
//   https://developers.google.com/youtube/v3/guides/auth/server-side-web-apps      (scope youtube.readonly, access_type=offline)
//   https://developers.google.com/youtube/v3/docs/channels/list#mine               (mine=true: the authorised user's channel)
import { z } from 'zod';
import { defineConnector } from '../../sdk/define.ts';
import { GOOGLE_AUTHORIZATION_URL, GOOGLE_REVOCATION_URL, GOOGLE_TOKEN_URL } from '../../sdk/google.ts';
import { channelActions, channelId, channelSyncs, checkChannel, YOUTUBE_LOGO, type ChannelSelector } from '../youtube/channel.ts';
import { youtubeErrors } from '../youtube/errors.ts';

const config = z.object({
  channelId: channelId.optional().describe("A channel id (UC…); leave empty for the signed-in user's own channel."),
});
type Config = z.output<typeof config>;

const selectorOf = (c: Config): ChannelSelector => (c.channelId ? { id: c.channelId } : { mine: true });
// The token is no form field: a refusal points at none.
const checkErrors = youtubeErrors('');

export default defineConnector<Config>({
  id: 'youtube-oauth',
  title: 'YouTube (Google sign-in)',
  category: 'video',
  description: "Read your YouTube channel's statistics and uploaded videos with views, likes and comments, and sync them, signing in with Google.",
  logo: YOUTUBE_LOGO,
  docsUrl: 'https://developers.google.com/youtube/v3/guides/authentication',
  baseUrl: 'https://www.googleapis.com/youtube/v3',
  auth: {
    kind: 'oauth2',
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    tokenUrl: GOOGLE_TOKEN_URL,
    revocationUrl: GOOGLE_REVOCATION_URL,
    scopes: ['https://www.googleapis.com/auth/youtube.readonly'],
    scopeSeparator: ' ',
    pkce: true,
    // offline: a refresh token; consent: Google only hands one out on a consent screen.
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  },
  config,
  checkConnection: (ctx) => checkChannel(ctx, selectorOf(ctx.config), checkErrors, 'config.channelId'),
  actions: channelActions(selectorOf),
  syncs: channelSyncs(selectorOf),
});
