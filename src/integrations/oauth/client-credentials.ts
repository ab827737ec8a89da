// The client-credentials grant at connect time: a token is obtained from the clientId/clientSecret the
// user gave before the connection check runs, so the check (and then every call) uses it.
import { ApiError } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { requestClientCredentialsToken } from './token-client.ts';
import { expiresAtOf, withTokens } from './tokens.ts';

/**
 * For client-credentials connectors, the credential with a fresh token added and its expiry; other
 * connectors' credentials come back unchanged. A refused client is a 422 naming the secret field.
 */
export async function withClientCredentialsToken(
  hub: HubContext,
  connector: ConnectorDefinition,
  input: { workspaceId: string; integrationId: string | null; credentials: Record<string, string> },
): Promise<{ credentials: Record<string, string>; tokenExpiresAt: Date | null }> {
  if (connector.auth.kind !== 'oauth2ClientCredentials') return { credentials: input.credentials, tokenExpiresAt: null };
  const outcome = await requestClientCredentialsToken(
    { hub, connector, workspaceId: input.workspaceId, integrationId: input.integrationId, operation: 'token' },
    { clientId: input.credentials.clientId ?? '', clientSecret: input.credentials.clientSecret ?? null },
  );
  if (!outcome.ok) {
    throw new ApiError('connection_failed', outcome.failure.message, {
      details: outcome.failure.permanent ? { reason: 'auth', field: 'body.credentials.clientSecret' } : { reason: 'unavailable' },
    });
  }
  const credentials = withTokens(input.credentials, outcome.tokens, Date.now());
  return { credentials, tokenExpiresAt: expiresAtOf(credentials) };
}
