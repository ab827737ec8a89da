// A workspace's own OAuth client per connector ("bring your own OAuth app"): saved with its secret in the
// vault, listed with the secret masked, and opened for the token calls that need it.
import { and, asc, eq } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { requireConnector } from '../service.ts';
import { oauthApps } from '../tables.ts';
import type { OAuthClient } from './token-client.ts';

export type OAuthAppRow = typeof oauthApps.$inferSelect;

function clientSecretAad(connectorId: string): string {
  return `oauth-app:${connectorId}:client-secret`;
}

function mask(secret: string): string {
  return `••••${secret.length > 8 ? secret.slice(-4) : ''}`;
}

/** The connector, if it takes the authorization-code flow (client-credentials connectors keep their client per integration). */
export function requireCodeFlowConnector(hub: HubContext, connectorId: string, field: string): ConnectorDefinition {
  const connector = requireConnector(hub, connectorId, field);
  if (connector.auth.kind !== 'oauth2') {
    const hint =
      connector.auth.kind === 'oauth2ClientCredentials'
        ? ' It uses the client-credentials grant: give clientId and clientSecret as the credentials of POST /api/v1/integrations.'
        : '';
    throw new ApiError('validation_failed', `${connector.title} does not connect through an OAuth authorization flow.${hint}`, {
      details: [{ field, message: 'not an OAuth authorization-code connector' }],
    });
  }
  return connector;
}

/**
 * Creates or replaces the workspace's app for a connector. `clientSecret`: a string sets it, null removes
 * it (a public client), undefined keeps the stored one (changing only the client id is rare but harmless).
 */
export async function saveOAuthApp(
  hub: HubContext,
  principal: Principal,
  input: { connectorId: string; clientId: string; clientSecret?: string | null | undefined; ip: string },
): Promise<OAuthAppRow> {
  const connector = requireCodeFlowConnector(hub, input.connectorId, 'params.connectorId');
  const workspaceId = principal.workspaceId;
  // Encrypted before the transaction: the vault reads its keys through the database (see its README).
  const secret =
    input.clientSecret === undefined
      ? undefined
      : input.clientSecret === null
        ? { clientSecret: null, clientSecretHint: null }
        : { clientSecret: await hub.vault.encrypt(workspaceId, input.clientSecret, clientSecretAad(connector.id)), clientSecretHint: mask(input.clientSecret) };
  const now = new Date();
  return hub.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oauthApps)
      .values({ workspaceId, connectorId: connector.id, clientId: input.clientId, ...(secret ?? {}), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [oauthApps.workspaceId, oauthApps.connectorId], set: { clientId: input.clientId, ...(secret ?? {}), updatedAt: now } })
      .returning();
    await recordAudit(tx, {
      workspaceId,
      actor: principal,
      action: 'oauth_app.saved',
      targetType: 'oauth_app',
      targetId: connector.id,
      ip: input.ip,
      metadata: { connectorId: connector.id, clientId: input.clientId, secret: input.clientSecret === undefined ? 'kept' : input.clientSecret === null ? 'removed' : 'set' },
    });
    return row!;
  });
}

export async function listOAuthApps(hub: HubContext, workspaceId: string): Promise<OAuthAppRow[]> {
  return hub.db.select().from(oauthApps).where(eq(oauthApps.workspaceId, workspaceId)).orderBy(asc(oauthApps.connectorId));
}

export async function deleteOAuthApp(hub: HubContext, principal: Principal, connectorId: string, ip: string): Promise<void> {
  await hub.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(oauthApps)
      .where(and(eq(oauthApps.workspaceId, principal.workspaceId), eq(oauthApps.connectorId, connectorId)))
      .returning({ connectorId: oauthApps.connectorId });
    if (!deleted) throw notFound('OAuth app');
    await recordAudit(tx, {
      workspaceId: principal.workspaceId,
      actor: principal,
      action: 'oauth_app.deleted',
      targetType: 'oauth_app',
      targetId: connectorId,
      ip,
      metadata: { connectorId },
    });
  });
}

/** The app with its secret decrypted, for a token call; null when the workspace has none for the connector. */
export async function loadOAuthClient(hub: HubContext, workspaceId: string, connectorId: string): Promise<OAuthClient | null> {
  const [row] = await hub.db
    .select()
    .from(oauthApps)
    .where(and(eq(oauthApps.workspaceId, workspaceId), eq(oauthApps.connectorId, connectorId)));
  if (!row) return null;
  const clientSecret = row.clientSecret ? await hub.vault.decryptString(workspaceId, row.clientSecret, clientSecretAad(connectorId)) : null;
  return { clientId: row.clientId, clientSecret };
}
