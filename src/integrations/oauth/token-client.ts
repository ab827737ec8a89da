// oauth4webapi bound to one connector's endpoints, with every request it makes sent through the hub's one
// outbound client (SSRF guard, timeout, breaker, operation log), and its failures sorted into "the grant is
// gone" (permanent) and "try again later" (transient).
import * as oauth from 'oauth4webapi';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { OutboundError, OutboundResponse, OutboundResult } from '../../platform/outbound/index.ts';
import { operationRecorder } from '../service.ts';
import { usesOAuthTokens } from './tokens.ts';

export interface TokenCall {
  hub: HubContext;
  connector: ConnectorDefinition;
  workspaceId: string;
  /** Null while an integration is being created (nothing to log the call against yet). */
  integrationId: string | null;
  /** Names the call in the integration's operation log. */
  operation: 'token' | 'refresh' | 'revoke';
}

/** The OAuth client: the workspace's own app for code flows, the integration's credential for client credentials. */
export interface OAuthClient {
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: string | null;
}

export interface TokenFailure {
  /** True when another try cannot succeed (grant revoked, client refused); false: keep the token, retry later. */
  permanent: boolean;
  /** The provider's OAuth error (`invalid_grant`) or the outbound code (`timeout`). */
  code: string;
  /** A sentence quoting the provider; never a token. */
  message: string;
}

export type TokenOutcome = { ok: true; tokens: oauth.TokenEndpointResponse } | { ok: false; failure: TokenFailure };

// OAuth errors that say the server, not the grant, has a problem (RFC 6749 §4.1.2.1 lists them for the
// authorization endpoint; some providers send them from the token endpoint too).
const TRANSIENT_OAUTH_ERRORS = new Set(['temporarily_unavailable', 'server_error']);
const WHAT: Record<string, string> = {
  authorization_code: 'the authorization code',
  refresh_token: 'the refresh token',
  client_credentials: 'the client credentials',
  revocation: 'the token revocation',
};

/** The outbound client gave no answer at all (timeout, network, SSRF refusal, open breaker). */
class TokenEndpointUnreachable extends Error {
  override name = 'TokenEndpointUnreachable';
  readonly code: string;
  constructor(error: OutboundError) {
    super(error.message);
    this.code = error.code;
  }
}

function authorizationServer(connector: ConnectorDefinition): oauth.AuthorizationServer {
  const auth = connector.auth;
  if (!usesOAuthTokens(auth)) throw new Error(`Connector ${connector.id} does not use OAuth`);
  // Connectors declare endpoints, not an issuer. The issuer only matters for ID tokens and the `iss`
  // callback parameter, neither of which the hub relies on (see flows.ts), so the token URL's origin stands in.
  return {
    issuer: new URL(auth.tokenUrl).origin,
    token_endpoint: auth.tokenUrl,
    ...(auth.kind === 'oauth2'
      ? { authorization_endpoint: auth.authorizationUrl, ...(auth.revocationUrl ? { revocation_endpoint: auth.revocationUrl } : {}) }
      : {}),
  };
}

function clientAuthentication(client: OAuthClient): oauth.ClientAuth {
  // HTTP Basic is the method every server must accept (RFC 6749 §2.3.1).
  return client.clientSecret ? oauth.ClientSecretBasic(client.clientSecret) : oauth.None();
}

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
}

/**
 * The transport oauth4webapi uses: the outbound client instead of fetch. `seen.status` keeps the last
 * HTTP status, which oauth4webapi's errors do not always carry.
 */
function transport(call: TokenCall, seen: { status?: number }) {
  const record = operationRecorder(call.hub, call.workspaceId, call.integrationId);
  const timeoutMs = call.hub.config.oauthTokenTimeoutSeconds * 1000;
  return async (url: string, init: { method: string; headers: Record<string, string>; body?: URLSearchParams | undefined; signal?: AbortSignal | undefined }) => {
    const target = new URL(url);
    const result: OutboundResult = await call.hub.outbound.request({
      url: target,
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body.toString() } : {}),
      timeoutMs,
      // Never repeated in-call: a code works once, and a rotated refresh token may already be spent when an
      // answer is lost. The refresh job tries again on its next run instead.
      retry: false,
      breakerKey: `oauth:${call.connector.id}:${target.host}`,
      labels: { connector: call.connector.id, operation: call.operation, ...(call.integrationId ? { integration: call.integrationId } : {}) },
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const response = result.ok ? result : result.response;
    record(
      {
        url: `${target.origin}${target.pathname}`,
        method: init.method,
        status: response?.status ?? null,
        latencyMs: result.latencyMs,
        attempts: result.attempts,
        errorCode: result.ok ? null : result.error.code,
        fromCache: false,
        startedAt: Date.now() - result.latencyMs,
      },
      call.operation,
    );
    if (!response) throw new TokenEndpointUnreachable((result as Extract<OutboundResult, { ok: false }>).error);
    seen.status = response.status;
    return toFetchResponse(response, call.operation !== 'revoke');
  };
}

function toFetchResponse(response: OutboundResponse, dropIdToken: boolean): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    // The body may be rewritten below, and it is already complete and decoded.
    if (value === undefined || ['content-length', 'transfer-encoding', 'content-encoding'].includes(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  let body = response.body.toString('utf8');
  if (dropIdToken && response.status === 200) body = withoutIdToken(body);
  const empty = [204, 205, 304].includes(response.status);
  return new Response(empty ? null : body, { status: response.status, headers });
}

/**
 * The hub uses OAuth for API access, not sign-in: it asks for no ID token, keeps none, and has no issuer to
 * check one against. Providers that send one anyway (OpenID servers do with every grant) would make
 * oauth4webapi validate it, so it is dropped before oauth4webapi reads the answer.
 */
function withoutIdToken(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'id_token' in parsed) {
      const { id_token: _idToken, ...rest } = parsed as Record<string, unknown>;
      return JSON.stringify(rest);
    }
  } catch {
    // Not JSON: oauth4webapi reports it.
  }
  return body;
}

function requestOptions(call: TokenCall, endpoint: string, seen: { status?: number }) {
  return {
    [oauth.customFetch]: transport(call, seen),
    // oauth4webapi insists on HTTPS. Plain HTTP is allowed for loopback providers only (local
    // development and tests); the SSRF guard still decides whether loopback may be reached at all.
    ...(isLoopback(new URL(endpoint)) ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

function classify(connector: ConnectorDefinition, grant: string, error: unknown, status: number | undefined): TokenFailure {
  const what = WHAT[grant] ?? grant;
  if (error instanceof TokenEndpointUnreachable) {
    return { permanent: false, code: error.code, message: `${connector.title}'s token endpoint could not be reached for ${what}: ${error.message}` };
  }
  if (error instanceof oauth.ResponseBodyError) {
    const transient = error.status >= 500 || error.status === 429 || TRANSIENT_OAUTH_ERRORS.has(error.error);
    const description = error.error_description ? ` (${error.error_description.slice(0, 300)})` : '';
    return { permanent: !transient, code: error.error, message: `${connector.title} refused ${what}: ${error.error}${description}` };
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return { permanent: true, code: 'invalid_client', message: `${connector.title} refused the OAuth client's authentication (HTTP ${error.status}) for ${what}` };
  }
  if (error instanceof TypeError) throw error; // oauth4webapi's argument checks: a bug here, not a provider answer
  if (status !== undefined && status !== 200) {
    const transient = status >= 500 || status === 429 || status === 408;
    return { permanent: !transient, code: `http_${status}`, message: `${connector.title}'s token endpoint answered ${status} to ${what}` };
  }
  // A 200 in a shape oauth4webapi refuses (no access_token, unknown token type): the provider's problem,
  // possibly passing; keep what works and try again later.
  const reason = error instanceof Error ? error.message : String(error);
  return { permanent: false, code: 'invalid_response', message: `${connector.title}'s token endpoint answered ${what} in an unexpected shape: ${reason}` };
}

async function run(
  call: TokenCall,
  grant: string,
  endpoint: string,
  send: (options: ReturnType<typeof requestOptions>) => Promise<Response>,
  read: (response: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<TokenOutcome> {
  const seen: { status?: number } = {};
  try {
    const response = await send(requestOptions(call, endpoint, seen));
    return { ok: true, tokens: await read(response) };
  } catch (error) {
    return { ok: false, failure: classify(call.connector, grant, error, seen.status) };
  }
}

function oauth2Spec(connector: ConnectorDefinition) {
  if (connector.auth.kind !== 'oauth2') throw new Error(`Connector ${connector.id} does not use the authorization-code flow`);
  return connector.auth;
}

/** Exchanges the code of a callback (its `state` already matched to a flow) for tokens. */
export async function exchangeAuthorizationCode(
  call: TokenCall,
  client: OAuthClient,
  input: { callback: URLSearchParams; state: string; redirectUri: string; codeVerifier: string | null },
): Promise<TokenOutcome> {
  const as = authorizationServer(call.connector);
  const params = new URLSearchParams(input.callback);
  // RFC 9207's `iss` can only be checked against a declared issuer, which connectors do not have; the
  // state, bound to one connector and single use, already ties this answer to its request.
  params.delete('iss');
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, { client_id: client.clientId }, params, input.state);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: { permanent: true, code: 'invalid_callback', message: `${call.connector.title} sent back an unusable authorization response: ${reason}` } };
  }
  return run(
    call,
    'authorization_code',
    as.token_endpoint!,
    (options) =>
      oauth.authorizationCodeGrantRequest(as, { client_id: client.clientId }, clientAuthentication(client), validated, input.redirectUri, input.codeVerifier ?? oauth.nopkce, options),
    (response) => oauth.processAuthorizationCodeResponse(as, { client_id: client.clientId }, response),
  );
}

export async function refreshAccessToken(call: TokenCall, client: OAuthClient, refreshToken: string): Promise<TokenOutcome> {
  oauth2Spec(call.connector);
  const as = authorizationServer(call.connector);
  return run(
    call,
    'refresh_token',
    as.token_endpoint!,
    (options) => oauth.refreshTokenGrantRequest(as, { client_id: client.clientId }, clientAuthentication(client), refreshToken, options),
    (response) => oauth.processRefreshTokenResponse(as, { client_id: client.clientId }, response),
  );
}

export async function requestClientCredentialsToken(call: TokenCall, client: OAuthClient): Promise<TokenOutcome> {
  const auth = call.connector.auth;
  if (auth.kind !== 'oauth2ClientCredentials') throw new Error(`Connector ${call.connector.id} does not use the client-credentials grant`);
  const as = authorizationServer(call.connector);
  const parameters: Record<string, string> = auth.scopes.length > 0 ? { scope: auth.scopes.join(auth.scopeSeparator ?? ' ') } : {};
  return run(
    call,
    'client_credentials',
    as.token_endpoint!,
    (options) => oauth.clientCredentialsGrantRequest(as, { client_id: client.clientId }, clientAuthentication(client), parameters, options),
    (response) => oauth.processClientCredentialsResponse(as, { client_id: client.clientId }, response),
  );
}

/** RFC 7009 revocation of one token; `{ ok: true }` also when the server says it did not know the token (200). */
export async function revokeToken(
  call: TokenCall,
  client: OAuthClient,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<{ ok: true } | { ok: false; failure: TokenFailure }> {
  const as = authorizationServer(call.connector);
  if (!as.revocation_endpoint) throw new Error(`Connector ${call.connector.id} declares no revocationUrl`);
  const seen: { status?: number } = {};
  try {
    const response = await oauth.revocationRequest(as, { client_id: client.clientId }, clientAuthentication(client), token, {
      ...requestOptions(call, as.revocation_endpoint, seen),
      additionalParameters: { token_type_hint: hint },
    });
    await oauth.processRevocationResponse(response);
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: classify(call.connector, 'revocation', error, seen.status) };
  }
}
