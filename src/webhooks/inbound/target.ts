// What the inbound route needs to know about an integration, behind a function the integrations
// capability provides: its workspace, its connector's webhook declaration and its decrypted credentials.
import type { InboundWebhookSpec } from '../../connectors/sdk/define.ts';
import type { HubContext } from '../../platform/hub-context.ts';

export interface InboundTarget {
  workspaceId: string;
  integrationId: string;
  connector: { id: string; webhooks?: InboundWebhookSpec | undefined };
  /** Decrypted credential fields; the verifier reads the secret fields the connector names. */
  credentials: Readonly<Record<string, string>>;
}

/** null: no such integration (or disconnected). Answered 404 either way, so ids cannot be probed. */
export type LoadInboundTarget = (hub: HubContext, integrationId: string) => Promise<InboundTarget | null>;

/** Until the integrations service provides the loader, no integration accepts webhooks. */
export const unwiredInboundTarget: LoadInboundTarget = async () => null;
