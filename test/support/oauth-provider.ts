// A real OAuth 2.0 server for tests (oauth2-mock-server) on 127.0.0.1, with a tiny protected API, and
// connectors pointing at it. Records what reached the token and revocation endpoints, can delay or fail
// the token endpoint, and tracks which access tokens the API accepts.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Events, OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorDefinition } from '../../src/connectors/sdk/define.ts';

export interface TokenRequest {
  grantType: string;
  refreshToken?: string;
  codeVerifier?: string;
  code?: string;
  /** The client id from HTTP Basic (how the hub authenticates its client). */
  basicClientId?: string;
  basicSecret?: string;
  status: number;
  accessToken?: string;
  issuedRefreshToken?: string;
}

/** What the next token answer should be instead of the server's own (consumed in order). */
export interface ScriptedAnswer {
  /** Answer this error instead of tokens. */
  error?: { status: number; body: Record<string, unknown> };
  expiresIn?: number;
  noRefreshToken?: boolean;
}

export interface LocalOAuthProvider {
  issuer: string;
  service: OAuth2Service;
  tokenRequests: TokenRequest[];
  revocations: { token: string; hint: string | null }[];
  /** Access tokens the API answers 200 to; delete one to make the API refuse it (401). */
  validAccessTokens: Set<string>;
  /** Authorization header of every API call. */
  apiCalls: string[];
  script: ScriptedAnswer[];
  /** Delay before the token endpoint handles a request (a slow provider). */
  tokenDelayMs: number;
  /** Every secret the server handed out or received, for "never leaks" checks. */
  secrets(): string[];
  codeConnector(): ConnectorDefinition;
  clientCredentialsConnector(): ConnectorDefinition;
  close(): Promise<void>;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

export async function startLocalOAuthProvider(): Promise<LocalOAuthProvider> {
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer);
  const provider: LocalOAuthProvider = {
    issuer: '', // set once the server listens
    service,
    tokenRequests: [],
    revocations: [],
    validAccessTokens: new Set(),
    apiCalls: [],
    script: [],
    tokenDelayMs: 0,
    secrets() {
      return this.tokenRequests.flatMap((r) => [r.accessToken, r.issuedRefreshToken, r.refreshToken, r.codeVerifier, r.code, r.basicSecret].filter((v): v is string => Boolean(v)));
    },
    codeConnector: () =>
      defineConnector({
        ...connectorBasics(provider.issuer),
        id: 'local-oauth',
        title: 'Local OAuth',
        auth: {
          kind: 'oauth2',
          authorizationUrl: `${provider.issuer}/authorize`,
          tokenUrl: `${provider.issuer}/token`,
          revocationUrl: `${provider.issuer}/revoke`,
          scopes: ['profile', 'api:read'],
          pkce: true,
          extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
        },
      }),
    clientCredentialsConnector: () =>
      defineConnector({
        ...connectorBasics(provider.issuer),
        id: 'local-machine',
        title: 'Local Machine API',
        auth: { kind: 'oauth2ClientCredentials', tokenUrl: `${provider.issuer}/token`, scopes: ['api:read'] },
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  // Two tokens signed in the same second would otherwise be identical (same claims, deterministic RS256);
  // real providers never hand out the same token twice.
  service.on(Events.BeforeTokenSigning, (token: { payload: Record<string, unknown> }) => {
    token.payload.jti = randomUUID();
  });

  // One listener does the scripting and the recording, so the record shows the answer actually sent.
  service.on(Events.BeforeResponse, (response: { statusCode: number; body: Record<string, unknown> }, request: IncomingMessage & { body: Record<string, string> }) => {
    const scripted = provider.script.shift();
    if (scripted?.error) {
      response.statusCode = scripted.error.status;
      response.body = scripted.error.body;
    }
    if (scripted?.expiresIn !== undefined) response.body.expires_in = scripted.expiresIn;
    if (scripted?.noRefreshToken) delete response.body.refresh_token;
    const basic = basicCredentials(request.headers.authorization);
    const body = request.body;
    const answer = response.statusCode === 200 ? (response.body as { access_token?: string; refresh_token?: string }) : {};
    if (answer.access_token) provider.validAccessTokens.add(answer.access_token);
    provider.tokenRequests.push({
      grantType: body.grant_type!,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.code_verifier ? { codeVerifier: body.code_verifier } : {}),
      ...(body.code ? { code: body.code } : {}),
      ...(basic ? { basicClientId: basic.id, basicSecret: basic.secret } : {}),
      status: response.statusCode,
      ...(answer.access_token ? { accessToken: answer.access_token } : {}),
      ...(answer.refresh_token ? { issuedRefreshToken: answer.refresh_token } : {}),
    });
  });

  // The protected API the test connectors call: who the token belongs to, or 401.
  service.addRoute('GET', '/api/me', (request, response) => {
    const authorization = request.headers.authorization ?? '';
    provider.apiCalls.push(authorization);
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    const ok = token !== undefined && provider.validAccessTokens.has(token);
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { id: 'johndoe', name: 'John Doe' } : { error: 'invalid_token', error_description: 'The access token is not valid' }));
  });

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = request.url?.split('?')[0];
      if (request.method === 'POST' && path === '/token' && provider.tokenDelayMs > 0) {
        await sleep(provider.tokenDelayMs);
        // The client gave up (timeout): answer nobody, and record nothing, so counts stay exact.
        if (request.destroyed) return;
      }
      if (request.method === 'POST' && path === '/revoke') {
        // The mock does not read revocation bodies; read it here (the mock then answers without it).
        const form = new URLSearchParams(await readBody(request));
        provider.revocations.push({ token: form.get('token') ?? '', hint: form.get('token_type_hint') });
      }
      service.requestHandler(request, response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.url = provider.issuer;
  return provider;
}

/** What both test connectors share: the protected API's base URL, a check and one action against /api/me. */
function connectorBasics(issuer: string) {
  return {
    category: 'custom' as const,
    description: 'A local OAuth 2.0 server for tests.',
    logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
    docsUrl: 'https://www.npmjs.com/package/oauth2-mock-server',
    baseUrl: `${issuer}/api/`,
    config: z.object({ region: z.string().default('eu') }),
    async checkConnection(ctx: { http: { get<T>(path: string): Promise<{ data: T }> } }) {
      const me = (await ctx.http.get<{ id: string; name: string }>('me')).data;
      return { ok: true as const, account: { id: me.id, name: me.name } };
    },
    actions: [
      defineAction({
        name: 'whoAmI',
        title: 'Who am I',
        description: 'The account the token belongs to.',
        input: z.object({}),
        output: z.object({ id: z.string(), name: z.string() }),
        run: async (ctx) => (await ctx.http.get<{ id: string; name: string }>('me')).data,
      }),
    ],
  };
}
