// Re-authorising an existing integration: the new tokens must pass the connection check before they
// replace the stored ones; the integration keeps its id, name, settings and history.
import { and, eq, isNull } from 'drizzle-orm';
import { ApiError, notFound } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { maskCredential } from '../../connectors/sdk/credentials.ts';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { emitIntegrationEvent } from '../events.ts';
import { checkConnection } from '../runtime/invoke.ts';
import { connectionFailedMessage, credentialAad, forgetIntegration, loadIntegration, operationRecorder, type IntegrationRow } from '../service.ts';
import { integrations } from '../tables.ts';
import type { FlowActor } from './flows.ts';
import { forConnector } from './tokens.ts';

export async function reauthorizeIntegration(
  hub: HubContext,
  actor: FlowActor,
  input: { integrationId: string; connector: ConnectorDefinition; credentials: Record<string, string>; tokenExpiresAt: Date | null; ip: string },
): Promise<IntegrationRow> {
  const { connector } = input;
  const row = await loadIntegration(hub, actor.workspaceId, input.integrationId);
  if (row.connectorId !== connector.id) {
    throw new ApiError('validation_failed', `Integration ${row.id} belongs to connector ${row.connectorId}, not ${connector.id}.`);
  }
  const result = await checkConnection({
    outbound: hub.outbound,
    connector,
    config: row.config,
    credentials: { current: async () => forConnector(input.credentials) },
    workspaceId: row.workspaceId,
    integrationId: row.id,
    onOperation: operationRecorder(hub, row.workspaceId, row.id),
  });
  if (!result.ok) {
    throw new ApiError('connection_failed', connectionFailedMessage(connector, result.message));
  }
  // Encrypted before the transaction: the vault reads its keys through the database (see its README).
  const credential = await hub.vault.encrypt(row.workspaceId, input.credentials, credentialAad(row.id));
  const now = new Date();
  const reauthorized = await hub.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(integrations)
      .set({
        credential,
        credentialHint: maskCredential(connector.auth, input.credentials),
        status: 'connected',
        statusReason: null,
        account: result.account,
        lastCheckedAt: now,
        tokenExpiresAt: input.tokenExpiresAt,
        // A refresh still running for the old tokens cannot store its result: it only writes over the
        // credential it started from (see refresh.ts).
        refreshLeaseId: null,
        refreshLeaseUntil: null,
        updatedAt: now,
      })
      .where(and(eq(integrations.id, row.id), isNull(integrations.deletedAt)))
      .returning();
    if (!updated) throw notFound('Integration');
    await recordAudit(tx, {
      workspaceId: row.workspaceId,
      actor,
      action: 'integration.reauthorized',
      targetType: 'integration',
      targetId: row.id,
      ip: input.ip,
      metadata: { connectorId: connector.id, account: result.account.name, accountChanged: row.account?.id !== result.account.id },
    });
    await emitIntegrationEvent(hub, tx, updated, { type: 'integration.connected', account: result.account }, 'api');
    return updated;
  });
  forgetIntegration(hub, row.id);
  return reauthorized;
}
