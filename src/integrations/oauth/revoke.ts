// Token revocation (RFC 7009) when an integration is disconnected, for connectors that declare a
// revocationUrl. Best effort: the caller disconnects whatever happens, and reports a failure.
import type { HubContext } from '../../platform/hub-context.ts';
import { credentialAad, type IntegrationRow } from '../service.ts';
import { loadOAuthClient } from './oauth-apps.ts';
import { revokeToken } from './token-client.ts';

export type RevocationReport = { outcome: 'revoked' } | { outcome: 'failed'; message: string };

/** Null when there is nothing to revoke (not OAuth, no revocation endpoint, no stored tokens). */
export async function revokeIntegrationTokens(hub: HubContext, row: IntegrationRow): Promise<RevocationReport | null> {
  const connector = hub.connectors.get(row.connectorId);
  if (!connector || connector.auth.kind !== 'oauth2' || !connector.auth.revocationUrl || !row.credential) return null;
  try {
    const tokens = await hub.vault.decryptObject<Record<string, string>>(row.workspaceId, row.credential, credentialAad(row.id));
    const client = await loadOAuthClient(hub, row.workspaceId, connector.id);
    if (!client) return { outcome: 'failed', message: `the workspace has no OAuth app for ${connector.title} to authenticate the revocation` };
    const call = { hub, connector, workspaceId: row.workspaceId, integrationId: row.id, operation: 'revoke' as const };
    // The refresh token first: revoking it ends the whole grant at most providers (RFC 7009 §2.1). The
    // access token too, for providers that do not cascade.
    const attempts: ['refresh_token' | 'access_token', string | undefined][] = [
      ['refresh_token', tokens.refreshToken],
      ['access_token', tokens.accessToken],
    ];
    const failures: string[] = [];
    for (const [hint, token] of attempts) {
      if (!token) continue;
      const result = await revokeToken(call, client, token, hint);
      if (!result.ok) failures.push(result.failure.message);
    }
    return failures.length === 0 ? { outcome: 'revoked' } : { outcome: 'failed', message: failures.join('; ') };
  } catch (error) {
    // A vault failure must not keep the user from disconnecting either.
    hub.logger.error({ err: error instanceof Error ? error.message : String(error), integrationId: row.id }, 'could not revoke OAuth tokens');
    return { outcome: 'failed', message: 'the stored tokens could not be read' };
  }
}
