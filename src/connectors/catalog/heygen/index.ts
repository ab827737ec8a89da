// HeyGen: AI avatar videos from a script. Lists avatars and voices, starts a render, and polls its status.
// The endpoints below are the documented v1/v2 ones (docs.heygen.com); HeyGen also publishes a newer v3
// (developers.heygen.com) with a different request shape, not used here.
// Docs used:
//   https://docs.heygen.com/reference/generate-video          (v2 guide: list avatars + voices, POST /v2/video/generate,
//                                                              dimension, text under 5,000 characters, poll status)
//   https://docs.heygen.com/reference/list-avatars-v2         GET /v2/avatars → { error: null, data }; the OpenAPI
//                                                              security scheme is an `x-api-key` header
//   https://docs.heygen.com/reference/get-current-user-information   GET /v1/user/me → { code: 100, data }
//   https://docs.heygen.com/reference/get-remaining-quota-v2  GET /v2/user/remaining_quota → { error: null, data }
//   https://docs.heygen.com/reference/video-status            GET /v1/video_status.get → { code: 100, data, message }
//   https://docs.heygen.com/reference/errors                  numeric `code` + `message` (40009 invalid credentials)
//   https://docs.heygen.com/reference/limits                  video quotas and concurrency, no request rate
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { heygenErrorDetail, unwrapV1, unwrapV2 } from './envelope.ts';

const config = z.object({});
type Config = z.infer<typeof config>;

const currentUser = z.looseObject({
  username: z.string(),
  email: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
});
const remainingQuota = z.looseObject({ remaining_quota: z.number() });

const avatar = z.looseObject({
  avatar_id: z.string(),
  avatar_name: z.string(),
  gender: z.string().nullable().optional(),
  preview_image_url: z.string().nullable().optional(),
  preview_video_url: z.string().nullable().optional(),
  premium: z.boolean().optional(),
});
const talkingPhoto = z.looseObject({
  talking_photo_id: z.string(),
  talking_photo_name: z.string(),
  preview_image_url: z.string().nullable().optional(),
});
const avatarList = z.looseObject({ avatars: z.array(avatar), talking_photos: z.array(talkingPhoto).optional() });

const voice = z.looseObject({
  voice_id: z.string(),
  name: z.string(),
  language: z.string(),
  gender: z.string().nullable().optional(),
  preview_audio: z.string().nullable().optional(),
  support_pause: z.boolean().optional(),
  emotion_support: z.boolean().optional(),
});
const voiceList = z.looseObject({ voices: z.array(voice) });

const listInput = z.object({
  // The outbound cache has no "replace this entry": a refresh reads HeyGen now, and a later cached read
  // may still see the older copy until its hour is up.
  refresh: z.boolean().default(false).describe('Read the list from HeyGen now instead of the hour-long cache (e.g. right after adding an avatar).'),
});

const generateVideoInput = z.object({
  avatarId: z.string().trim().min(1).describe('An avatar_id from listAvatars.'),
  voiceId: z.string().trim().min(1).describe('A voice_id from listVoices.'),
  // The v2 guide caps text input below 5,000 characters per scene.
  inputText: z.string().trim().min(1).max(4999).describe('What the avatar says.'),
  dimension: z
    .object({ width: z.number().int().min(64).max(4096), height: z.number().int().min(64).max(4096) })
    .default({ width: 1280, height: 720 })
    .describe('Output size in pixels; the free API plan renders up to 720p.'),
  avatarStyle: z.enum(['normal', 'closeUp', 'circle']).default('normal'),
  speed: z.number().min(0.5).max(1.5).optional().describe('Voice speed, 1 is normal.'),
  title: z.string().max(200).optional(),
  test: z.boolean().optional().describe('Test mode: watermarked and free of credits.'),
  caption: z.boolean().optional().describe('Also produce captions.'),
  callbackId: z.string().max(200).optional().describe('Echoed back by video status and webhooks.'),
});
const generateVideoOutput = z.object({ video_id: z.string() });

const videoStatus = z.looseObject({
  id: z.string(),
  // pending, waiting, processing, completed or failed; not an enum, so a new state is passed on, not rejected.
  status: z.string(),
  video_url: z.string().nullable().optional(),
  thumbnail_url: z.string().nullable().optional(),
  duration: z.number().nullable().optional(),
  // Set when status is failed: `{ code, message, detail }`.
  error: z.looseObject({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional(), detail: z.string().optional() }).nullable().optional(),
});

/** "Ada Lovelace", else the email, else the username: the most recognisable name HeyGen gives us. */
function displayName(user: z.infer<typeof currentUser>): string {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return full || user.email || user.username;
}

export default defineConnector<Config>({
  id: 'heygen',
  title: 'HeyGen',
  category: 'video',
  description: 'Generate AI avatar videos from a script with HeyGen and follow their rendering.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#4c3aed"/><path d="M7.5 6.5v11M16.5 6.5v11M7.5 12h9" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://docs.heygen.com/reference/generate-video',
  baseUrl: 'https://api.heygen.com',
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key', description: 'From HeyGen: Settings → API.', placement: 'header', name: 'X-Api-Key' },
    },
  },
  config,
  // No rateLimit: HeyGen documents video quotas and concurrent renders per plan, not a request rate.
  cacheTtlMs: 60 * 60 * 1000,
  async checkConnection(ctx) {
    try {
      // /v1/user/me names the account; the quota proves the key may use the video API and is worth showing.
      const user = unwrapV1(await ctx.http.get('v1/user/me'), currentUser, 'GET /v1/user/me');
      const quota = unwrapV2(await ctx.http.get('v2/user/remaining_quota'), remainingQuota, 'GET /v2/user/remaining_quota');
      return {
        ok: true,
        account: {
          id: user.username,
          name: displayName(user),
          details: {
            email: user.email ?? null,
            remainingQuota: quota.remaining_quota,
            // HeyGen: "To convert quota to credits, divide the number of quota by 60."
            remainingCredits: Math.floor((quota.remaining_quota / 60) * 100) / 100,
          },
        },
      };
    } catch (error) {
      if (error instanceof ProviderError && (error.status === 401 || error.status === 403)) {
        return rejectedBy('HeyGen', error.status, heygenErrorDetail(error.body) ?? error.message, 'credentials.apiKey');
      }
      throw error;
    }
  },
  actions: [
    defineAction<Config, z.output<typeof listInput>, z.infer<typeof avatarList>>({
      name: 'listAvatars',
      title: 'List avatars',
      description: "Public and the account's own avatars and talking photos (GET /v2/avatars).",
      input: listInput,
      output: avatarList,
      async run(ctx, input) {
        return unwrapV2(await ctx.http.get('v2/avatars', { cache: !input.refresh }), avatarList, 'GET /v2/avatars');
      },
    }),
    defineAction<Config, z.output<typeof listInput>, z.infer<typeof voiceList>>({
      name: 'listVoices',
      title: 'List voices',
      description: 'Voices usable in videos, with language and gender (GET /v2/voices).',
      input: listInput,
      output: voiceList,
      async run(ctx, input) {
        return unwrapV2(await ctx.http.get('v2/voices', { cache: !input.refresh }), voiceList, 'GET /v2/voices');
      },
    }),
    defineAction<Config, z.output<typeof generateVideoInput>, z.infer<typeof generateVideoOutput>>({
      name: 'generateVideo',
      title: 'Generate an avatar video',
      description: 'Starts rendering one scene of an avatar speaking the text (POST /v2/video/generate); returns the video_id to poll.',
      input: generateVideoInput,
      output: generateVideoOutput,
      async run(ctx, input) {
        const answer = await ctx.http.post('v2/video/generate', {
          video_inputs: [
            {
              character: { type: 'avatar', avatar_id: input.avatarId, avatar_style: input.avatarStyle },
              voice: { type: 'text', input_text: input.inputText, voice_id: input.voiceId, ...(input.speed !== undefined ? { speed: input.speed } : {}) },
            },
          ],
          dimension: input.dimension,
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.test !== undefined ? { test: input.test } : {}),
          ...(input.caption !== undefined ? { caption: input.caption } : {}),
          ...(input.callbackId !== undefined ? { callback_id: input.callbackId } : {}),
        });
        // Not retried (POST's default): a repeated render would spend credits twice.
        return unwrapV2(answer, generateVideoOutput, 'POST /v2/video/generate');
      },
    }),
    defineAction<Config, { videoId: string }, z.infer<typeof videoStatus>>({
      name: 'getVideoStatus',
      title: 'Get video status',
      description: 'Status of a render; when completed, the video_url (valid 7 days, refreshed on every call) (GET /v1/video_status.get).',
      input: z.object({ videoId: z.string().trim().min(1).max(200) }),
      output: videoStatus,
      async run(ctx, input) {
        return unwrapV1(await ctx.http.get('v1/video_status.get', { query: { video_id: input.videoId } }), videoStatus, 'GET /v1/video_status.get');
      },
    }),
  ],
});
