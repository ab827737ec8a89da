// Synthesia: AI avatar videos from a script. Creates a video, follows its rendering, lists the account's
// videos, and finds the avatars the account uses.
//
// Written from Synthesia's public API reference (API v2):
//   https://docs.synthesia.io/reference/introduction             (the key goes as-is in the Authorization header;
//                                                                 API access from the Creator plan up)
//   https://api.synthesia.io/api/openapi/swagger.json             (the OpenAPI document: paths, CreateVideoRequest,
//                                                                 VideoResponse, VideoListResponse, Error = { error,
//                                                                 context }, 403 "Wrong API key", 404 unknown video)
//   https://docs.synthesia.io/reference/create-video-1            (POST /v2/videos: test, title, visibility,
//                                                                 callbackId, input[] of scriptText + avatar +
//                                                                 background + avatarSettings, at most 6 scenes)
//   https://docs.synthesia.io/reference/videos                    (status in_progress / complete / error / rejected;
//                                                                 download and duration once complete)
//   (the same OpenAPI document)                                   (GET /v2/videos: limit ≤ 100, offset, nextOffset)
//   https://docs.synthesia.io/reference/paginating                (rate limits: create and retrieve 60 req/min; a 429
//                                                                 carries RateLimit-Limit and RateLimit-Reset seconds)
//   https://docs.synthesia.io/reference/avatars                   (stock and custom avatar ids: a documentation page,
//                                                                 not an endpoint)
//
// The API has no identity endpoint and no avatar catalogue endpoint (the OpenAPI document lists neither), so
// checkConnection reads one video of GET /v2/videos, and listAvatars collects the avatars of the account's own
// videos (custom avatars included), with the stock list left to the documentation page.
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { paginate } from '../../sdk/paginate.ts';
import { firstText, providerErrors, readAnswer } from '../../sdk/provider-errors.ts';

const TITLE = 'Synthesia';
const errors = providerErrors({
  title: TITLE,
  // `{ "error": "Forbidden", "context": "Wrong API key" }`: both halves say something.
  detail(body) {
    if (!body || typeof body !== 'object') return undefined;
    const { error, context } = body as Record<string, unknown>;
    const parts = [firstText(error), firstText(context)].filter(Boolean);
    return parts.length > 0 ? parts.join(': ') : undefined;
  },
  credentialField: 'credentials.apiKey',
});

const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

/** Synthesia's page size ceiling for GET /v2/videos. */
const MAX_PAGE = 100;
// Video ids are UUIDs; anything else must not reach the URL path.
const videoId = z.uuid('expected a video id such as 5fd6a8bd-4c1b-4b49-a7a8-8f0c2b4fe2d1 (from createVideo or listVideos)');

const videoAnswer = z.looseObject({
  id: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  // Not an enum: a state Synthesia adds later (the OpenAPI document already has `deleted` and `approved`) is passed on.
  status: z.string(),
  visibility: z.string().nullable().optional(),
  download: z.string().nullable().optional(),
  duration: z.union([z.string(), z.number()]).nullable().optional(),
  callbackId: z.string().nullable().optional(),
  createdAt: z.number().nullable().optional(),
  lastUpdatedAt: z.number().nullable().optional(),
  input: z.array(z.looseObject({ avatar: z.string().nullable().optional() })).nullable().optional(),
});
const videoListAnswer = z.looseObject({ videos: z.array(videoAnswer), nextOffset: z.number().nullable().optional() });

const videoOutput = z.object({
  id: z.string(),
  title: z.string().nullable(),
  status: z.string().describe('in_progress, complete, error or rejected'),
  visibility: z.string().nullable(),
  downloadUrl: z.string().nullable().describe('Time-limited link to the MP4, once complete'),
  duration: z.string().nullable(),
  callbackId: z.string().nullable(),
  createdAt: z.number().nullable().describe('Unix seconds'),
  lastUpdatedAt: z.number().nullable(),
});
type VideoOutput = z.infer<typeof videoOutput>;

function toVideo(video: z.infer<typeof videoAnswer>): VideoOutput {
  return {
    id: video.id,
    title: video.title ?? null,
    status: video.status,
    visibility: video.visibility ?? null,
    downloadUrl: video.download ?? null,
    duration: video.duration === undefined || video.duration === null ? null : String(video.duration),
    callbackId: video.callbackId ?? null,
    createdAt: video.createdAt ?? null,
    lastUpdatedAt: video.lastUpdatedAt ?? null,
  };
}

// ---- listVideos -------------------------------------------------------------------------------------------

const listVideosInput = z.object({
  limit: z.number().int().min(1).max(MAX_PAGE).default(20).describe('Videos per page (Synthesia: at most 100)'),
  offset: z.number().int().min(0).default(0).describe('nextOffset from a previous answer'),
});
const listVideosOutput = z.object({ videos: z.array(videoOutput), nextOffset: z.number().nullable() });

const listVideos = defineAction<Config, z.output<typeof listVideosInput>, z.infer<typeof listVideosOutput>>({
  name: 'listVideos',
  title: 'List videos',
  description: 'One page of the videos made through the API or Synthesia STUDIO, newest first, with their status (GET /v2/videos).',
  input: listVideosInput,
  output: listVideosOutput,
  async run(ctx: Ctx, input) {
    const answer = await errors.call(() => ctx.http.get('v2/videos', { query: { limit: input.limit, offset: input.offset } }));
    const page = readAnswer(TITLE, videoListAnswer, answer.data, 'the video list');
    // A short page is the last one, whatever nextOffset says.
    const more = page.videos.length >= input.limit;
    return { videos: page.videos.map(toVideo), nextOffset: more ? (page.nextOffset ?? input.offset + page.videos.length) : null };
  },
});

// ---- listAvatars ------------------------------------------------------------------------------------------

const listAvatarsInput = z.object({
  maxVideos: z.number().int().min(1).max(5_000).default(500).describe('How many of the newest videos to look through'),
});
const listAvatarsOutput = z.object({
  avatars: z.array(z.object({ avatarId: z.string(), videoCount: z.number().int(), lastUsedAt: z.number().nullable() })),
  videosScanned: z.number().int(),
  complete: z.boolean().describe('False when maxVideos stopped the scan before the last video'),
  stockAvatarsUrl: z.string(),
});

const listAvatars = defineAction<Config, z.output<typeof listAvatarsInput>, z.infer<typeof listAvatarsOutput>>({
  name: 'listAvatars',
  title: 'List avatars in use',
  description:
    'The avatar ids used by the account’s videos (custom ones included), most used first. Synthesia’s API has no avatar catalogue: stock avatar ids are on its documentation page (stockAvatarsUrl).',
  input: listAvatarsInput,
  output: listAvatarsOutput,
  async run(ctx: Ctx, input) {
    const seen = new Map<string, { videoCount: number; lastUsedAt: number | null }>();
    let scanned = 0;
    let complete = false;
    await errors.call(async () => {
      const pages = paginate<unknown>(ctx.http, { path: 'v2/videos' }, { kind: 'offset', itemsPath: 'videos', offsetParam: 'offset', limitParam: 'limit', pageSize: MAX_PAGE }, { signal: ctx.signal });
      for await (const page of pages) {
        for (const raw of page.items) {
          const video = readAnswer(TITLE, videoAnswer, raw, 'a video of the list');
          scanned += 1;
          for (const scene of video.input ?? []) {
            if (!scene.avatar) continue;
            const entry = seen.get(scene.avatar) ?? { videoCount: 0, lastUsedAt: null };
            entry.videoCount += 1;
            if (video.createdAt != null && (entry.lastUsedAt === null || video.createdAt > entry.lastUsedAt)) entry.lastUsedAt = video.createdAt;
            seen.set(scene.avatar, entry);
          }
          if (scanned >= input.maxVideos) break;
        }
        if (page.next === null) complete = true;
        if (scanned >= input.maxVideos) break;
      }
    });
    const avatars = [...seen.entries()]
      .map(([avatarId, entry]) => ({ avatarId, ...entry }))
      .sort((a, b) => b.videoCount - a.videoCount || (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0) || a.avatarId.localeCompare(b.avatarId));
    return { avatars, videosScanned: scanned, complete, stockAvatarsUrl: 'https://docs.synthesia.io/reference/avatars' };
  },
});

// ---- createVideo ------------------------------------------------------------------------------------------

const scene = z.object({
  scriptText: z.string().trim().min(1).max(20_000).describe('What the avatar says, in any supported language'),
  avatar: z.string().trim().min(1).max(200).describe('A stock avatar id (e.g. anna_costume1_cameraA) or a custom avatar id'),
  background: z.string().trim().min(1).max(2048).default('off_white').describe('A stock background (off_white, green_screen, …), an asset id or an image URL'),
  avatarSettings: z
    .object({
      voice: z.uuid().optional().describe('A voice id; Synthesia picks its recommended voice for the avatar when omitted'),
      horizontalAlign: z.enum(['left', 'center', 'right']).optional(),
      scale: z.number().positive().max(5).optional(),
      style: z.enum(['rectangular', 'circular', 'voiceOnly']).optional(),
      backgroundColor: z.string().regex(/^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/, 'expected a hex colour such as #F2F7FF').optional().describe('Behind a circular avatar'),
    })
    .optional(),
});
const createVideoInput = z.object({
  scenes: z.array(scene).min(1).max(6).describe('The clips of the video, in order (Synthesia: at most 6)'),
  title: z.string().max(300).optional(),
  description: z.string().max(2000).optional(),
  visibility: z.enum(['private', 'public']).default('private').describe('Public videos get a share page'),
  aspectRatio: z.enum(['16:9', '9:16', '1:1', '4:5', '5:4']).default('16:9'),
  test: z.boolean().default(true).describe('Test videos are free and watermarked; set false to spend quota on a final render'),
  callbackId: z.string().max(500).optional().describe('Your own reference, echoed in the video and its webhooks'),
});

const createVideo = defineAction<Config, z.output<typeof createVideoInput>, VideoOutput>({
  name: 'createVideo',
  title: 'Create a video',
  description: 'Starts rendering an avatar video from one to six scenes (POST /v2/videos); poll getVideo with the id it returns. Test (watermarked, free) by default.',
  input: createVideoInput,
  output: videoOutput,
  async run(ctx: Ctx, input) {
    const body = {
      test: input.test,
      visibility: input.visibility,
      aspectRatio: input.aspectRatio,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.callbackId !== undefined ? { callbackId: input.callbackId } : {}),
      input: input.scenes.map((s) => ({
        scriptText: s.scriptText,
        avatar: s.avatar,
        background: s.background,
        ...(s.avatarSettings && Object.keys(s.avatarSettings).length > 0 ? { avatarSettings: s.avatarSettings } : {}),
      })),
    };
    // Not retried (a POST's default): a repeated render would spend quota twice.
    const answer = await errors.call(() => ctx.http.post('v2/videos', body));
    return toVideo(readAnswer(TITLE, videoAnswer, answer.data, 'the new video'));
  },
});

// ---- getVideo ---------------------------------------------------------------------------------------------

const getVideo = defineAction<Config, { videoId: string }, VideoOutput>({
  name: 'getVideo',
  title: 'Get video status',
  description: 'A video’s status; once complete, a time-limited download URL and its duration (GET /v2/videos/{id}).',
  input: z.object({ videoId }),
  output: videoOutput,
  async run(ctx: Ctx, input) {
    const answer = await errors.call(() => ctx.http.get(`v2/videos/${input.videoId}`));
    return toVideo(readAnswer(TITLE, videoAnswer, answer.data, 'the video'));
  },
});

// ---- connector --------------------------------------------------------------------------------------------

export default defineConnector<Config>({
  id: 'synthesia',
  title: TITLE,
  category: 'video',
  description:
    'Create AI avatar videos from a script with Synthesia and follow their rendering. Synthesia has no identity endpoint: the connection check lists one video with the key.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#0f172a"/><path d="M16 8.2c-.9-1-2.3-1.6-4-1.6-2.2 0-3.8 1.1-3.8 2.7 0 3.6 7.8 1.9 7.8 5.5 0 1.7-1.7 2.8-4 2.8-1.8 0-3.3-.7-4.2-1.8" fill="none" stroke="#38bdf8" stroke-width="2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://docs.synthesia.io/reference/introduction',
  baseUrl: 'https://api.synthesia.io',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: {
        label: 'API key',
        description: 'From Synthesia: your account → Integrations (or Developers → API keys). Keys belong to you, not the workspace.',
        placement: 'header',
        name: 'Authorization',
      },
    },
  },
  config,
  async checkConnection(ctx) {
    try {
      const answer = await ctx.http.get('v2/videos', { query: { limit: 1 } });
      const page = readAnswer(TITLE, videoListAnswer, answer.data, 'the video list');
      const lastFour = (ctx.credentials.apiKey ?? '').slice(-4);
      return {
        ok: true,
        // No identity endpoint: the key's last characters are the only stable name there is.
        account: { id: `key-${lastFour}`, name: `Synthesia key ••••${lastFour}`, details: { hasVideos: page.videos.length > 0 } },
      };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [createVideo, getVideo, listVideos, listAvatars],
  // The documented limit of the create, retrieve and list endpoints (each 60 per minute), kept per integration.
  rateLimit: { perMinute: 60 },
});
