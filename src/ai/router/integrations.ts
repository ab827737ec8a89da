// The AI integrations of a workspace, ready to call: connector, base URL and opened credential. Cached
// for a few seconds, because every AI request needs them and they change only when someone edits one.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { baseUrlOf } from '../../integrations/runtime/provider-http.ts';
import { secretValues } from '../../integrations/runtime/scrub.ts';
import { credentialAad, type IntegrationRow } from '../../integrations/service.ts';
import { integrations } from '../../integrations/tables.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { AiProviders } from '../providers/registry.ts';
import type { AiProviderDefinition } from '../providers/sdk.ts';

export interface AiIntegration {
  id: string;
  workspaceId: string;
  name: string;
  status: IntegrationRow['status'];
  provider: AiProviderDefinition;
  connector: ConnectorDefinition;
  config: unknown;
  baseUrl: URL;
  credential: Readonly<Record<string, string>>;
  /** Values to scrub from anything a provider sends back. */
  secrets: string[];
}

// Short enough that a replaced key or a new integration is used within seconds on every node.
const TTL_MS = 5_000;

export interface AiIntegrationCache {
  /** Every AI integration of the workspace that is not deleted (any status), oldest first. */
  forWorkspace(workspaceId: string): Promise<AiIntegration[]>;
  invalidate(workspaceId: string): void;
}

export function createIntegrationCache(hub: HubContext, providers: AiProviders, now: () => number): AiIntegrationCache {
  const cache = new Map<string, { at: number; value: Promise<AiIntegration[]> }>();

  async function load(workspaceId: string): Promise<AiIntegration[]> {
    const ids = providers.list().map((provider) => provider.id);
    const rows = await hub.db
      .select()
      .from(integrations)
      .where(and(eq(integrations.workspaceId, workspaceId), inArray(integrations.connectorId, ids), isNull(integrations.deletedAt)))
      .orderBy(integrations.createdAt);
    const out: AiIntegration[] = [];
    for (const row of rows) {
      const connector = hub.connectors.get(row.connectorId);
      const provider = providers.get(row.connectorId);
      if (!connector || !provider || !row.credential) continue;
      const credential = await hub.vault.decryptObject<Record<string, string>>(row.workspaceId, row.credential, credentialAad(row.id));
      out.push({
        id: row.id,
        workspaceId: row.workspaceId,
        name: row.name,
        status: row.status,
        provider,
        connector,
        config: row.config,
        baseUrl: baseUrlOf(connector, row.config),
        credential,
        secrets: secretValues(connector.auth, credential),
      });
    }
    return out;
  }

  return {
    forWorkspace(workspaceId) {
      const hit = cache.get(workspaceId);
      if (hit && now() - hit.at < TTL_MS) return hit.value;
      const value = load(workspaceId);
      value.catch(() => cache.delete(workspaceId));
      cache.set(workspaceId, { at: now(), value });
      return value;
    },
    invalidate: (workspaceId) => void cache.delete(workspaceId),
  };
}
