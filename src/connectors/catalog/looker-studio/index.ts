// Looker Studio: what its public API offers, and only that: search a user's reports and data sources, and read
// or change who may view or edit them. The API reads no report data and creates nothing, and Google lets an app
// use it only for Google Workspace or Cloud Identity users whose administrator has authorised the app.
// Docs used:
//   https://developers.google.com/looker-studio/integrate/api             (what the API is for; enable it, an OAuth
//        client, admin authorisation through domain-wide delegation; Workspace / Cloud Identity only)
//   https://developers.google.com/looker-studio/integrate/api/reference   (https://datastudio.googleapis.com/v1:
//        GET /assets:search, GET|PATCH /assets/{name}/permissions, POST …/permissions:addMembers,
//        POST …/permissions:revokeAllPermissions)
//   https://developers.google.com/looker-studio/integrate/api/reference/assets/search  (assetTypes (one of REPORT,
//        DATA_SOURCE), title, owner, includeTrashed, orderBy, pageSize, pageToken → { assets, nextPageToken })
//   https://developers.google.com/looker-studio/integrate/api/reference/permissions/get (scopes datastudio /
//        datastudio.readonly; Permissions { permissions: { ROLE: { members } }, etag })
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { GOOGLE_AUTHORIZATION_URL, GOOGLE_REVOCATION_URL, GOOGLE_TOKEN_URL, googleCall, googleUserCheck } from '../../sdk/google.ts';
import { paginate } from '../../sdk/paginate.ts';
import { ProviderError, type ProviderHttp, type ProviderRequest } from '../../sdk/provider-http.ts';

const TITLE = 'Looker Studio';
const config = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

const asset = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  assetType: z.string().optional(),
  owner: z.string().optional(),
  trashed: z.boolean().optional(),
  updateTime: z.string().optional(),
  lastViewByMeTime: z.string().optional(),
});
const permissions = z.looseObject({ etag: z.string().optional(), permissions: z.record(z.string(), z.looseObject({ members: z.array(z.string()).default([]) })).default({}) });

/** Asset names are ids (report or data source id from its URL); a URL is accepted and reduced to its id. */
const assetName = z
  .string()
  .trim()
  .min(1)
  .transform((value, ctx) => {
    const id = /lookerstudio\.google\.com\/(?:u\/\d+\/)?(?:reporting|datasources)\/([A-Za-z0-9_-]+)/.exec(value)?.[1] ?? value;
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(id)) {
      ctx.addIssue({ code: 'custom', message: 'expected a report or data source id, or its lookerstudio.google.com link' });
      return z.NEVER;
    }
    return id;
  })
  .describe('The asset id, or the report / data source link');
/** user:, group:, domain: or serviceAccount: followed by the address, as the Permissions resource writes members. */
const member = z.string().regex(/^(user|group|serviceAccount):[^@\s]+@[^@\s]+$|^domain:[a-z0-9.-]+\.[a-z]{2,}$/i, 'a member like user:ada@example.org, group:team@example.org or domain:example.org');

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

const searchInput = z.object({
  assetType: z.enum(['REPORT', 'DATA_SOURCE']).default('REPORT'),
  title: z.string().trim().min(1).max(500).optional().describe('Only assets whose title contains this'),
  owner: z.email().optional().describe('Only assets owned by this address'),
  includeTrashed: z.boolean().optional(),
  pageSize: z.number().int().min(1).max(1000).default(100),
  pageToken: z.string().min(1).optional().describe('nextPageToken from a previous answer'),
  followPages: z.boolean().default(false),
  maxPages: z.number().int().min(1).max(50).default(10),
});
const searchOutput = z.object({ assets: z.array(asset), nextPageToken: z.string().nullable() });
const permissionsInput = z.object({ assetName });
const addInput = z.object({
  assetName,
  role: z.enum(['VIEWER', 'EDITOR']).describe('The role the members get'),
  members: z.array(member).min(1).max(100),
});
const revokeInput = z.object({ assetName, members: z.array(member).min(1).max(100).describe('Members who lose every role on the asset') });

/** Google leaves an empty repeated field out of JSON: a search with no match answers `{}`, read here as no assets. */
function withAssetsList(http: ProviderHttp): ProviderHttp {
  const request = async <T>(r: ProviderRequest) => {
    const answer = await http.request<T>(r);
    const data = answer.data as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) && !('assets' in data) ? { ...answer, data: { ...data, assets: [] } as T } : answer;
  };
  return { request, get: (path, options = {}) => request({ ...options, path, method: 'GET' }), post: (path, json, options = {}) => request({ ...options, path, method: 'POST', json }) };
}

const permissionsPath = (name: string) => `assets/${encodeURIComponent(name)}/permissions`;

export default defineConnector<Config>({
  id: 'looker-studio',
  title: TITLE,
  category: 'analytics',
  description:
    'Search Looker Studio reports and data sources and manage who can view or edit them. That is all Looker Studio’s public API offers: it reads no report data, and works only for Google Workspace or Cloud Identity users whose admin has authorised the app.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#4285f4"/><circle cx="9" cy="14" r="4.5" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M12.3 10.7L17 6M15 6h2v2" fill="none" stroke="#fbbc04" stroke-width="1.8" stroke-linecap="round"/></svg>',
  docsUrl: 'https://developers.google.com/looker-studio/integrate/api',
  baseUrl: 'https://datastudio.googleapis.com/v1',
  auth: {
    kind: 'oauth2',
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    tokenUrl: GOOGLE_TOKEN_URL,
    revocationUrl: GOOGLE_REVOCATION_URL,
    scopes: ['https://www.googleapis.com/auth/datastudio', 'openid', 'email'],
    pkce: true,
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
  },
  config,
  // No rateLimit: the API reference documents none.
  checkConnection: (ctx) => googleUserCheck(ctx.http, TITLE),
  actions: [
    defineAction<Config, z.output<typeof searchInput>, z.infer<typeof searchOutput>>({
      name: 'searchAssets',
      title: 'Search reports and data sources',
      description: 'The signed-in user’s reports or data sources, by title or owner (GET /assets:search).',
      input: searchInput,
      output: searchOutput,
      async run(ctx: Ctx, input) {
        const assets: z.infer<typeof asset>[] = [];
        let next: string | null = null;
        await googleCall(TITLE, async () => {
          for await (const page of paginate<unknown>(
            withAssetsList(ctx.http),
            {
              // `./` keeps `assets:` from reading as a URL scheme.
              path: './assets:search',
              query: { assetTypes: input.assetType, title: input.title, owner: input.owner, includeTrashed: input.includeTrashed, pageSize: input.pageSize },
            },
            { kind: 'cursor', itemsPath: 'assets', cursorPath: 'nextPageToken', cursorParam: 'pageToken' },
            { resumeFrom: input.pageToken ?? null, maxPages: input.followPages ? input.maxPages : 1, signal: ctx.signal },
          )) {
            assets.push(...read(z.array(asset), page.items, 'the search'));
            next = page.next;
          }
        });
        return { assets, nextPageToken: next };
      },
    }),
    defineAction<Config, z.output<typeof permissionsInput>, z.infer<typeof permissions>>({
      name: 'getPermissions',
      title: 'Get permissions',
      description: 'Who holds which role (OWNER, EDITOR, VIEWER) on a report or data source.',
      input: permissionsInput,
      output: permissions,
      async run(ctx: Ctx, input) {
        return read(permissions, (await googleCall(TITLE, () => ctx.http.get(permissionsPath(input.assetName)))).data, 'the permissions');
      },
    }),
    defineAction<Config, z.output<typeof addInput>, z.infer<typeof permissions>>({
      name: 'addMembers',
      title: 'Share with members',
      description: 'Gives users, groups, a domain or service accounts the viewer or editor role (POST …/permissions:addMembers).',
      input: addInput,
      output: permissions,
      async run(ctx: Ctx, input) {
        // Granting the same role again changes nothing: safe to retry.
        const answer = await googleCall(TITLE, () => ctx.http.post(`${permissionsPath(input.assetName)}:addMembers`, { role: input.role, members: input.members }, { retry: {} }));
        return read(permissions, answer.data, 'the permissions');
      },
    }),
    defineAction<Config, z.output<typeof revokeInput>, z.infer<typeof permissions>>({
      name: 'revokeAllPermissions',
      title: 'Remove members',
      description: 'Takes every role on the asset away from the given members (POST …/permissions:revokeAllPermissions).',
      input: revokeInput,
      output: permissions,
      async run(ctx: Ctx, input) {
        const answer = await googleCall(TITLE, () => ctx.http.post(`${permissionsPath(input.assetName)}:revokeAllPermissions`, { members: input.members }, { retry: {} }));
        return read(permissions, answer.data, 'the permissions');
      },
    }),
  ],
});
