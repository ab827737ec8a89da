// Spotify Web API: the signed-in listener's profile, their playlists and catalogue search, over an OAuth 2.0
// authorization-code grant with PKCE (the hub runs the flow; calls carry `Authorization: Bearer <token>`).
// Docs used:
//   https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow   (authorize + token URLs, PKCE)
//   https://developer.spotify.com/documentation/web-api/concepts/scopes           (scope names)
//   https://developer.spotify.com/documentation/web-api/reference/get-current-users-profile
//   https://developer.spotify.com/documentation/web-api/reference/get-a-list-of-current-users-playlists
//   https://developer.spotify.com/documentation/web-api/reference/search
//   https://developer.spotify.com/documentation/web-api/guides/rate-limits          (rolling 30 s window, 429)
//   https://developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide (dev-mode changes)
import { z } from 'zod';
import { defineAction, defineConnector, rejectedBy } from '../../sdk/define.ts';
import { ProviderError, type ProviderHttp } from '../../sdk/provider-http.ts';
import { followNextPages, pagingOf, type Paging } from './paging.ts';
import { playlistsSync, playlistTracksSync } from './syncs.ts';

const API_ORIGIN = 'https://api.spotify.com';

// Spotify has no per-integration settings: everything comes from the OAuth grant.
const config = z.object({});
type Config = z.infer<typeof config>;

const image = z.looseObject({ url: z.string(), height: z.number().nullable().optional(), width: z.number().nullable().optional() });

// `country`, `email` and `product` only come with the user-read-private / user-read-email scopes, and the
// reference marks them deprecated, so none of them is required.
const user = z.looseObject({
  id: z.string(),
  display_name: z.string().nullable().optional(),
  email: z.string().optional(),
  country: z.string().optional(),
  product: z.string().optional(),
  href: z.string(),
  uri: z.string(),
  external_urls: z.looseObject({ spotify: z.string().optional() }).optional(),
  followers: z.looseObject({ total: z.number() }).optional(),
  images: z.array(image).optional(),
});
type User = z.infer<typeof user>;

const playlist = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  public: z.boolean().nullable().optional(),
  collaborative: z.boolean().optional(),
  owner: z.looseObject({ id: z.string().optional(), display_name: z.string().nullable().optional() }).optional(),
  tracks: z.looseObject({ href: z.string().optional(), total: z.number() }).nullable().optional(),
  images: z.array(image).nullable().optional(),
  snapshot_id: z.string().optional(),
  href: z.string(),
  uri: z.string(),
});
type Playlist = z.infer<typeof playlist>;
const playlistPage = pagingOf(playlist);

// Search results hold several object kinds; only what every kind shares is required. Spotify can put
// null entries in `items` (removed playlists), so they are allowed rather than failing the whole answer.
const searchItem = z.looseObject({ id: z.string(), name: z.string(), type: z.string(), uri: z.string() });
const searchPage = pagingOf(searchItem.nullable());
const SEARCH_TYPES = ['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook'] as const;

const listPlaylistsInput = z.object({
  limit: z.number().int().min(1).max(50).default(20).describe('Playlists per page (Spotify allows 1-50).'),
  offset: z.number().int().min(0).max(100_000).default(0).describe('Index of the first playlist to return.'),
  followPages: z.boolean().default(false).describe('Keep reading `next` pages until none is left or maxPages is reached.'),
  maxPages: z.number().int().min(1).max(100).default(10).describe('Upper bound on pages read when followPages is on (the first included).'),
});
const listPlaylistsOutput = z.object({
  items: z.array(playlist),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Set when more pages remain: pass it back through a later call's offset, or raise maxPages. */
  next: z.string().nullable(),
  pagesFetched: z.number().int(),
});

const searchInput = z.object({
  q: z.string().trim().min(1).max(500).describe('Search query; field filters such as `artist:` and `year:` are allowed.'),
  type: z
    .array(z.enum(SEARCH_TYPES))
    .min(1)
    .transform((types) => [...new Set(types)])
    .describe('Kinds of object to search across.'),
  limit: z.number().int().min(1).max(50).optional().describe('Results per type (Spotify allows 1-50; default 20).'),
  offset: z.number().int().min(0).max(1000).optional(),
  market: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. GB')
    .optional()
    .describe("Only content available in this market; the user's own country wins when the token carries one."),
  includeExternal: z.literal('audio').optional().describe('Include externally hosted audio content.'),
});
const searchOutput = z.looseObject({
  albums: searchPage.optional(),
  artists: searchPage.optional(),
  playlists: searchPage.optional(),
  tracks: searchPage.optional(),
  shows: searchPage.optional(),
  episodes: searchPage.optional(),
  audiobooks: searchPage.optional(),
});

/** Validates an answer we read fields from; a different shape is the provider's fault, reported as such. */
function expectShape<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', message: `Spotify answered ${what} in an unexpected shape`, body });
  return parsed.data;
}

/** Spotify's regular error object is `{ error: { status, message } }`. */
function spotifyMessage(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  // The accounts service (token endpoint) answers `{ error, error_description }` instead.
  if (typeof error === 'string') return (body as { error_description?: string }).error_description ?? error;
  return undefined;
}

async function currentUser(http: ProviderHttp): Promise<User> {
  return expectShape(user, (await http.get('me')).data, 'GET /me');
}

export default defineConnector<Config>({
  id: 'spotify',
  title: 'Spotify',
  category: 'social',
  description: "Read a Spotify listener's profile and playlists and search Spotify's catalogue.",
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="12" fill="#1db954"/><path d="M15.9 8.6c-.6-1.4-2-2.2-3.9-2.2-2.2 0-3.8 1.2-3.8 2.9 0 3.8 7.9 2.2 7.9 6 0 1.8-1.7 3-4.1 3-2 0-3.5-.9-4.1-2.4" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://developer.spotify.com/documentation/web-api',
  baseUrl: `${API_ORIGIN}/v1`,
  auth: {
    kind: 'oauth2',
    authorizationUrl: 'https://accounts.spotify.com/authorize',
    tokenUrl: 'https://accounts.spotify.com/api/token',
    // Spotify documents no token revocation endpoint: a user revokes access from their account page.
    scopes: ['user-read-private', 'user-read-email', 'playlist-read-private', 'playlist-read-collaborative'],
    scopeSeparator: ' ',
    pkce: true,
  },
  config,
  // No rateLimit: Spotify counts calls per app in a rolling 30-second window but publishes no number; its
  // 429s carry Retry-After, which the outbound client honours.
  async checkConnection(ctx) {
    try {
      const me = await currentUser(ctx.http);
      const details: Record<string, string> = {};
      if (me.product) details.product = me.product;
      if (me.country) details.country = me.country;
      if (me.email) details.email = me.email;
      return { ok: true, account: { id: me.id, name: me.display_name || me.id, details } };
    } catch (error) {
      // 401: expired or revoked token (after the runtime's one refresh); 403: e.g. a user not added to an
      // app in development mode. Either way the grant is what is wrong, not the hub.
      if (error instanceof ProviderError && (error.status === 401 || error.status === 403)) {
        return rejectedBy('Spotify', error.status, spotifyMessage(error.body) ?? error.message);
      }
      throw error;
    }
  },
  actions: [
    defineAction<Config, object, User>({
      name: 'getCurrentUser',
      title: 'Get current user',
      description: "The signed-in user's profile (GET /v1/me).",
      input: z.object({}),
      output: user,
      run: (ctx) => currentUser(ctx.http),
    }),
    defineAction<Config, z.output<typeof listPlaylistsInput>, z.infer<typeof listPlaylistsOutput>>({
      name: 'listPlaylists',
      title: 'List my playlists',
      description: "Playlists the signed-in user owns or follows (GET /v1/me/playlists), optionally following `next` pages.",
      input: listPlaylistsInput,
      output: listPlaylistsOutput,
      async run(ctx, input) {
        const parse = (body: unknown): Paging<Playlist> => expectShape(playlistPage, body, 'GET /me/playlists');
        const first = parse((await ctx.http.get('me/playlists', { query: { limit: input.limit, offset: input.offset } })).data);
        const pages = input.followPages
          ? await followNextPages({ http: ctx.http, first, maxPages: input.maxPages, origin: API_ORIGIN, parse })
          : { items: first.items, next: first.next, pagesFetched: 1 };
        return { ...pages, total: first.total, limit: first.limit, offset: first.offset };
      },
    }),
    defineAction<Config, z.output<typeof searchInput>, z.infer<typeof searchOutput>>({
      name: 'search',
      title: 'Search the catalogue',
      description: 'Albums, artists, playlists, tracks, shows, episodes or audiobooks matching a query (GET /v1/search).',
      input: searchInput,
      output: searchOutput,
      async run(ctx, input) {
        const answer = await ctx.http.get('search', {
          query: {
            q: input.q,
            // The API takes the kinds as one comma-separated value.
            type: input.type.join(','),
            limit: input.limit,
            offset: input.offset,
            market: input.market,
            include_external: input.includeExternal,
          },
        });
        return answer.data as z.infer<typeof searchOutput>;
      },
    }),
  ],
  syncs: [playlistsSync, playlistTracksSync],
});
