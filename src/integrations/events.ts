// The integration.* events, written in the transaction that changes an integration's status, so an event
// exists exactly when the change does. Payloads carry ids, names, the account and the status reason: never
// a credential (reasons come from provider errors already scrubbed of the integration's secrets).
import type { Queryable } from '../platform/db/database.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { emitEvent, type EventSource } from '../webhooks/index.ts';
import type { IntegrationStatus } from './tables.ts';

export interface IntegrationRef {
  id: string;
  workspaceId: string;
  connectorId: string;
  name: string;
}

export type IntegrationChange =
  | { type: 'integration.connected'; account: { id: string; name: string } | null }
  | { type: 'integration.failed'; reason: string; message: string }
  | { type: 'integration.expired'; message: string }
  | { type: 'integration.disconnected' };

export async function emitIntegrationEvent(hub: HubContext, tx: Queryable, integration: IntegrationRef, change: IntegrationChange, source: EventSource): Promise<void> {
  const ref = { integrationId: integration.id, connectorId: integration.connectorId };
  const payload =
    change.type === 'integration.connected'
      ? { ...ref, name: integration.name, account: change.account ? { id: change.account.id, name: change.account.name } : null }
      : change.type === 'integration.failed'
        ? { ...ref, name: integration.name, reason: change.reason, message: change.message }
        : change.type === 'integration.expired'
          ? { ...ref, name: integration.name, message: change.message }
          : { ...ref, name: integration.name };
  await emitEvent(hub.jobs, tx, {
    workspaceId: integration.workspaceId,
    type: change.type,
    source,
    integrationId: integration.id,
    connectorId: integration.connectorId,
    payload,
  });
}

/**
 * The event a status change reports, or null when the status did not change (a re-check that finds
 * the integration as it was is not news to subscribers).
 */
export function statusChangeEvent(
  before: IntegrationStatus,
  after: IntegrationStatus,
  detail: { account?: { id: string; name: string } | null; reason?: string; message?: string | null },
): IntegrationChange | null {
  if (before === after) return null;
  if (after === 'connected') return { type: 'integration.connected', account: detail.account ?? null };
  if (after === 'expired') return { type: 'integration.expired', message: detail.message ?? 'The credential expired.' };
  if (after === 'error') return { type: 'integration.failed', reason: detail.reason ?? 'auth', message: detail.message ?? 'The provider refused the credential.' };
  return { type: 'integration.disconnected' };
}
