// What POST /api/v1/hooks/:integrationId needs from an integration: its workspace, its connector's webhook
// declaration and its opened credential (the verifier reads the secret fields the connector names).
import { and, eq, isNull } from 'drizzle-orm';
import type { HubContext } from '../platform/hub-context.ts';
import type { InboundTarget, LoadInboundTarget } from '../webhooks/index.ts';
import { openCredential } from './service.ts';
import { integrations } from './tables.ts';

/**
 * Null for an unknown or disconnected integration, or one whose connector left the catalogue: the route
 * answers 404 to all alike, so ids cannot be probed. An integration in `error` still receives webhooks:
 * its signing secret is not what the provider refused.
 */
export const loadInboundTarget: LoadInboundTarget = async (hub: HubContext, integrationId: string): Promise<InboundTarget | null> => {
  const [row] = await hub.db
    .select({ id: integrations.id, workspaceId: integrations.workspaceId, connectorId: integrations.connectorId, credential: integrations.credential })
    .from(integrations)
    .where(and(eq(integrations.id, integrationId), isNull(integrations.deletedAt)));
  if (!row) return null;
  // The workspace's run-time connectors (custom REST and the like) may verify webhooks too.
  const connector = await hub.connectors.resolve(row.workspaceId, row.connectorId);
  if (!connector) return null;
  return {
    workspaceId: row.workspaceId,
    integrationId: row.id,
    connector: { id: connector.id, webhooks: connector.webhooks },
    // Opened only for connectors that verify webhooks: the others are answered 404 without it.
    credentials: connector.webhooks ? await openCredential(hub, row) : {},
  };
};
