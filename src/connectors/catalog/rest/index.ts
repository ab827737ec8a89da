// Generic REST: any HTTP API not in the catalogue, with a key in a header or the query, a bearer token,
// or Basic auth; calls go through the same outbound client (SSRF guard, retries, rate budget, log).
import { z } from 'zod';
import { defineAction, defineConnector } from '../../sdk/define.ts';

const config = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).describe('Root of the API, e.g. https://api.example.com/v2'),
  authMode: z.enum(['none', 'header', 'query', 'bearer', 'basic']).default('bearer').describe('Where the credential goes'),
  headerName: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-API-Key').describe('Header name when authMode is header'),
  queryParameter: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('api_key').describe('Query parameter when authMode is query'),
  healthPath: z.string().default('/').describe('A GET path that answers 2xx when the credential works'),
});
type Config = z.infer<typeof config>;

const response = z.object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown() });

export default defineConnector<Config>({
  id: 'rest',
  title: 'Generic REST API',
  category: 'custom',
  description: 'Call any HTTP JSON API with an API key (header or query), a bearer token or Basic auth.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#334155"/><path d="M6 8h12M6 12h8M6 16h10" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>',
  docsUrl: 'https://developer.mozilla.org/en-US/docs/Web/HTTP',
  baseUrl: (c) => c.baseUrl,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key or token', description: 'For header, query and bearer modes.', placement: 'none', optional: true },
      username: { label: 'Username', description: 'For basic mode.', placement: 'none', secret: false, optional: true },
      password: { label: 'Password', description: 'For basic mode.', placement: 'none', optional: true },
      webhookSecret: { label: 'Webhook signing secret', description: 'Optional: verify inbound webhooks signed with HMAC-SHA256 in X-Signature.', placement: 'none', optional: true },
    },
  },
  authenticate({ headers, url }, c, credential) {
    const key = credential.apiKey;
    if (c.authMode === 'header' && key) headers[c.headerName.toLowerCase()] = key;
    else if (c.authMode === 'query' && key) url.searchParams.set(c.queryParameter, key);
    else if (c.authMode === 'bearer' && key) headers.authorization = `Bearer ${key}`;
    else if (c.authMode === 'basic') headers.authorization = `Basic ${Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`).toString('base64')}`;
  },
  config,
  async checkConnection(ctx) {
    const needsKey = ['header', 'query', 'bearer'].includes(ctx.config.authMode);
    if (needsKey && !ctx.credentials.apiKey) {
      return { ok: false, reason: 'config', field: 'credentials.apiKey', message: `authMode ${ctx.config.authMode} needs an API key or token.` };
    }
    if (ctx.config.authMode === 'basic' && !ctx.credentials.username) {
      return { ok: false, reason: 'config', field: 'credentials.username', message: 'authMode basic needs a username.' };
    }
    const answer = await ctx.http.get(ctx.config.healthPath, { responseType: 'text' });
    const base = new URL(ctx.config.baseUrl);
    return { ok: true, account: { id: base.host, name: base.host, details: { status: answer.status } } };
  },
  actions: [
    defineAction<Config, { method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: unknown }, z.infer<typeof response>>({
      name: 'request',
      title: 'Send a request',
      description: 'Sends any request relative to the base URL and returns the status, headers and body.',
      input: z.object({
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
        path: z.string().min(1).refine((p) => !/^[a-z]+:/i.test(p), 'must be a path relative to the base URL'),
        query: z.record(z.string(), z.string()).optional(),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
      }),
      output: response,
      async run(ctx, input) {
        const answer = await ctx.http.request({
          method: input.method,
          path: input.path,
          ...(input.query ? { query: input.query } : {}),
          ...(input.headers ? { headers: input.headers } : {}),
          ...(input.body !== undefined ? { json: input.body } : {}),
        });
        const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
        return { status: answer.status, headers, body: answer.data };
      },
    }),
    defineAction<Config, { path: string; query?: Record<string, string> }, unknown>({
      name: 'getJson',
      title: 'Get JSON',
      description: 'GETs a path relative to the base URL and returns the parsed body.',
      input: z.object({ path: z.string().min(1).refine((p) => !/^[a-z]+:/i.test(p), 'must be a path relative to the base URL'), query: z.record(z.string(), z.string()).optional() }),
      output: z.unknown(),
      async run(ctx, input) {
        return (await ctx.http.get(input.path, input.query ? { query: input.query } : {})).data;
      },
    }),
  ],
  webhooks: {
    verification: { kind: 'hmac-sha256', header: 'x-signature', encoding: 'hex', prefix: 'sha256=', secretField: 'webhookSecret', timestampHeader: 'x-timestamp' },
    eventType: (payload) => (payload && typeof payload === 'object' && typeof (payload as { type?: unknown }).type === 'string' ? (payload as { type: string }).type : 'message'),
  },
});
