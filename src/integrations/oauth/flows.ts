// The authorization-code flow: start (a single-use state row with the PKCE verifier in the vault, then the
// provider's authorization URL) and the callback (match the state, exchange the code, check, store).
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import * as oauth from 'oauth4webapi';
import { roleAtLeast, type Principal } from '../../platform/auth/principal.ts';
import { apiKeys, memberships, users } from '../../platform/db/schema.ts';
import { ApiError } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { loadIntegration, parseConfig, storeCheckedIntegration } from '../service.ts';
import { integrations, oauthFlows } from '../tables.ts';
import { loadOAuthClient, requireCodeFlowConnector } from './oauth-apps.ts';
import { reauthorizeIntegration } from './reauthorize.ts';
import { exchangeAuthorizationCode } from './token-client.ts';
import { expiresAtOf, withTokens } from './tokens.ts';

export const FLOW_TTL_MINUTES = 10;
/** Expired flows stay this long so a late callback still gets "expired" rather than "unknown"; then the refresh job deletes them. */
const EXPIRED_FLOW_KEPT_MS = 24 * 60 * 60_000;

/** The callback's actor: the user or API key that started the flow (the callback itself carries no session). */
export type FlowActor = Principal | { kind: 'account'; userId: string; email: string; workspaceId: string };

type FlowRow = typeof oauthFlows.$inferSelect;

function verifierAad(state: string): string {
  return `oauth-flow:${state}:code-verifier`;
}

/**
 * Only a path on this hub: an absolute or protocol-relative URL (`//evil.example`, `/\evil.example`) would
 * make the callback an open redirect. Null when the value is not acceptable.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || value === '') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f\u007f]/.test(value)) return null;
  const base = 'http://hub.invalid';
  const url = new URL(value, base);
  if (url.origin !== base) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

function returnLocation(returnTo: string, outcome: { integration: string } | { oauthError: string }): string {
  const url = new URL(returnTo, 'http://hub.invalid');
  for (const [name, value] of Object.entries(outcome)) url.searchParams.set(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

export interface StartInput {
  connectorId: string;
  name?: string | undefined;
  config?: unknown;
  returnTo?: string | undefined;
  integrationId?: string | undefined;
  /** The hub's callback URL as the provider must see it (registered in the provider's app). */
  redirectUri: string;
  /** `query` (GET) or `body` (POST): where field errors point. */
  where: 'query' | 'body';
}

export async function startAuthorization(hub: HubContext, principal: Principal, input: StartInput): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  const connector = requireCodeFlowConnector(hub, input.connectorId, 'params.connectorId');
  const auth = connector.auth as Extract<ConnectorDefinition['auth'], { kind: 'oauth2' }>;
  const workspaceId = principal.workspaceId;
  const returnTo = safeReturnTo(input.returnTo);
  if (returnTo === null) {
    throw new ApiError('validation_failed', 'returnTo must be a path on this hub, such as /integrations (other sites are refused: it would be an open redirect).', {
      details: [{ field: `${input.where}.returnTo`, message: 'must be a path starting with a single /' }],
    });
  }
  let name: string;
  let config: Record<string, unknown>;
  if (input.integrationId) {
    const existing = await loadIntegration(hub, workspaceId, input.integrationId);
    if (existing.connectorId !== connector.id) {
      throw new ApiError('validation_failed', `Integration ${existing.id} is a ${existing.connectorId} integration; re-authorise it through /oauth/${existing.connectorId}/start.`, {
        details: [{ field: `${input.where}.integrationId`, message: `belongs to connector ${existing.connectorId}` }],
      });
    }
    name = existing.name;
    config = existing.config;
  } else {
    if (!input.name) {
      throw new ApiError('validation_failed', 'Give the new integration a name.', { details: [{ field: `${input.where}.name`, message: 'is required' }] });
    }
    name = input.name;
    config = parseConfig(connector, input.config);
    await assertNameFree(hub, workspaceId, name, input.where);
  }
  const client = await loadOAuthClient(hub, workspaceId, connector.id);
  if (!client) {
    throw new ApiError(
      'conflict',
      `This workspace has no OAuth app for ${connector.title} yet: create one at the provider with redirect URI ${input.redirectUri}, then PUT /api/v1/oauth-apps/${connector.id} with its clientId and clientSecret.`,
    );
  }

  const state = oauth.generateRandomState();
  const codeVerifier = auth.pkce ? oauth.generateRandomCodeVerifier() : null;
  // Encrypted before the insert: the vault reads its keys through the database (see its README).
  const storedVerifier = codeVerifier ? await hub.vault.encrypt(workspaceId, codeVerifier, verifierAad(state)) : null;
  const expiresAt = new Date(Date.now() + FLOW_TTL_MINUTES * 60_000);
  await hub.db.insert(oauthFlows).values({
    state,
    workspaceId,
    connectorId: connector.id,
    codeVerifier: storedVerifier,
    redirectUri: input.redirectUri,
    returnTo,
    integrationName: name,
    config,
    integrationId: input.integrationId ?? null,
    createdByUserId: principal.kind === 'user' ? principal.userId : null,
    createdByApiKeyId: principal.kind === 'api_key' ? principal.id : null,
    expiresAt,
  });

  const url = new URL(auth.authorizationUrl);
  // The connector's extra parameters first, so they can never replace the ones the flow depends on.
  for (const [key, value] of Object.entries(auth.extraAuthorizationParams ?? {})) url.searchParams.set(key, value);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (auth.scopes.length > 0) url.searchParams.set('scope', auth.scopes.join(auth.scopeSeparator ?? ' '));
  url.searchParams.set('state', state);
  if (codeVerifier) {
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { authorizationUrl: url.toString(), expiresAt };
}

async function assertNameFree(hub: HubContext, workspaceId: string, name: string, where: string): Promise<void> {
  const [taken] = await hub.db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, workspaceId), eq(integrations.name, name), isNull(integrations.deletedAt)));
  if (taken) {
    throw new ApiError('conflict', `An integration named "${name}" already exists in this workspace; choose another name.`, {
      details: [{ field: `${where}.name`, message: 'is taken' }],
    });
  }
}

/**
 * Handles the provider's redirect back. Answers with where to send the browser: the flow's returnTo with
 * `?integration=<id>` or `?oauthError=<message>`. Throws only when the state matches no flow (then there
 * is nowhere known to go back to).
 */
export async function completeAuthorization(hub: HubContext, callback: URLSearchParams, ip: string): Promise<string> {
  const state = callback.get('state');
  if (!state) {
    throw new ApiError('validation_failed', 'The callback carries no state, so it matches no connection attempt. Start connecting again from Switchboard.', {
      details: [{ field: 'query.state', message: 'is required' }],
    });
  }
  // Deleting the row is what makes a state single use, also when two callbacks race for it.
  const [flow] = await hub.db.delete(oauthFlows).where(eq(oauthFlows.state, state)).returning();
  if (!flow) {
    throw new ApiError('validation_failed', 'This authorisation is unknown or was already used (each one works once). Start connecting again from Switchboard.', {
      details: [{ field: 'query.state', message: 'unknown or already used' }],
    });
  }
  const back = (outcome: { integration: string } | { oauthError: string }) => returnLocation(flow.returnTo ?? '/', outcome);
  try {
    const integrationId = await finishFlow(hub, flow, callback, ip);
    return back({ integration: integrationId });
  } catch (error) {
    if (error instanceof FlowFailed || error instanceof ApiError) return back({ oauthError: error.message });
    throw error;
  }
}

/** An expected end of a flow that is not a connection; its message goes back to the user. */
class FlowFailed extends Error {
  override name = 'FlowFailed';
}

async function finishFlow(hub: HubContext, flow: FlowRow, callback: URLSearchParams, ip: string): Promise<string> {
  if (flow.expiresAt.getTime() <= Date.now()) {
    throw new FlowFailed(`The authorisation was not completed within ${FLOW_TTL_MINUTES} minutes; start connecting again.`);
  }
  const connector = hub.connectors.get(flow.connectorId);
  if (!connector || connector.auth.kind !== 'oauth2') {
    throw new FlowFailed(`The connector "${flow.connectorId}" this authorisation was started for no longer connects through OAuth.`);
  }
  const providerError = callback.get('error');
  if (providerError) {
    const description = callback.get('error_description');
    throw new FlowFailed(`${connector.title} did not authorise the connection: ${providerError.slice(0, 100)}${description ? ` (${description.slice(0, 300)})` : ''}`);
  }
  if (!callback.get('code')) throw new FlowFailed(`${connector.title} sent back no authorization code; start connecting again.`);
  const actor = await flowActor(hub, flow);
  const client = await loadOAuthClient(hub, flow.workspaceId, connector.id);
  if (!client) throw new FlowFailed(`The workspace's OAuth app for ${connector.title} was removed while connecting; add it again and reconnect.`);
  const codeVerifier = flow.codeVerifier ? await hub.vault.decryptString(flow.workspaceId, flow.codeVerifier, verifierAad(flow.state)) : null;
  const exchanged = await exchangeAuthorizationCode(
    { hub, connector, workspaceId: flow.workspaceId, integrationId: flow.integrationId, operation: 'token' },
    client,
    { callback, state: flow.state, redirectUri: flow.redirectUri, codeVerifier },
  );
  if (!exchanged.ok) throw new FlowFailed(exchanged.failure.message);
  const credentials = withTokens({}, exchanged.tokens, Date.now());
  const tokenExpiresAt = expiresAtOf(credentials);
  if (flow.integrationId) {
    const row = await reauthorizeIntegration(hub, actor, { integrationId: flow.integrationId, connector, credentials, tokenExpiresAt, ip });
    return row.id;
  }
  const row = await storeCheckedIntegration(hub, actor, { connector, name: flow.integrationName, config: flow.config, credentials, ip, tokenExpiresAt });
  return row.id;
}

/**
 * The user or API key that started the flow, if it may still connect integrations in the workspace: a member
 * removed or a key revoked in the minutes between start and callback must not finish the job.
 */
async function flowActor(hub: HubContext, flow: FlowRow): Promise<FlowActor> {
  if (flow.createdByUserId) {
    const [member] = await hub.db
      .select({ userId: users.id, email: users.email, role: memberships.role })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, flow.workspaceId)))
      .where(eq(users.id, flow.createdByUserId));
    if (member && roleAtLeast(member.role, 'admin')) return { kind: 'account', userId: member.userId, email: member.email, workspaceId: flow.workspaceId };
  } else if (flow.createdByApiKeyId) {
    const [key] = await hub.db
      .select()
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.id, flow.createdByApiKeyId),
          eq(apiKeys.workspaceId, flow.workspaceId),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
        ),
      );
    if (key && roleAtLeast(key.role, 'admin') && key.scopes.includes('write')) {
      return { kind: 'api_key', id: key.id, label: `${key.name} (${key.prefix}…)`, workspaceId: key.workspaceId, role: key.role, scopes: key.scopes };
    }
  }
  throw new FlowFailed('Whoever started this connection may no longer connect integrations in this workspace (removed, demoted or revoked); ask an admin to connect it.');
}

/** Deletes flows that expired long enough ago that nobody will come back with them. */
export async function pruneExpiredFlows(hub: HubContext): Promise<number> {
  const removed = await hub.db
    .delete(oauthFlows)
    .where(lt(oauthFlows.expiresAt, new Date(Date.now() - EXPIRED_FLOW_KEPT_MS)))
    .returning({ state: oauthFlows.state });
  return removed.length;
}
