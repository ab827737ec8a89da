// Accepting a provider webhook: verify it as the connector declares, refuse replays, store the raw body
// and its normalised form, and emit `inbound.<connector>.<type>` to subscribers, all in one transaction.
import { sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import { newId } from '../../platform/ids.ts';
import { inboundEventType } from '../catalogue.ts';
import { emitEvent } from '../emit.ts';
import { inboundWebhooks } from '../tables.ts';
import type { InboundTarget } from './target.ts';
import type { InboundRequest } from './verification.ts';
import { verifyInbound } from './verify.ts';

export type InboundOutcome =
  | { kind: 'accepted'; inboundId: string; eventId: string; eventType: string }
  | { kind: 'duplicate' }
  | { kind: 'refused'; reason: string }
  | { kind: 'not_accepted' };

// Never stored: they authenticate the sender, or could.
const SENSITIVE_HEADER = /signature|authorization|cookie|token|secret|api-key|apikey|password/i;

export async function receiveInbound(
  hub: HubContext,
  target: InboundTarget,
  request: InboundRequest & { contentType: string | undefined },
  nowMs: number,
): Promise<InboundOutcome> {
  const spec = target.connector.webhooks;
  if (!spec) return { kind: 'not_accepted' };
  const verdict = verifyInbound(spec.verification, target.credentials, request, nowMs);
  if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };

  const payload = parseBody(request.rawBody, request.contentType);
  const providerType = safely(() => spec.eventType(payload, request.headers)) || 'unknown';
  const dedupKey = safely(() => spec.deliveryId?.(payload, request.headers)) || verdict.dedupKey;
  const normalized = spec.normalize ? (safely(() => spec.normalize!(payload)) ?? payload) : payload;
  const eventType = inboundEventType(target.connector.id, providerType);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && !SENSITIVE_HEADER.test(name)) headers[name] = value;
  }

  return hub.db.transaction(async (tx) => {
    const inboundId = newId();
    const inserted = await tx
      .insert(inboundWebhooks)
      .values({
        id: inboundId,
        workspaceId: target.workspaceId,
        integrationId: target.integrationId,
        connectorId: target.connector.id,
        dedupKey,
        providerType,
        contentType: request.contentType ?? null,
        rawBody: request.rawBody.toString('utf8'),
        headers,
        normalized: normalized ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: inboundWebhooks.id });
    if (inserted.length === 0) return { kind: 'duplicate' as const };
    const event = await emitEvent(hub.jobs, tx, {
      workspaceId: target.workspaceId,
      type: eventType,
      source: 'provider',
      integrationId: target.integrationId,
      connectorId: target.connector.id,
      payload: { inboundId, providerType, data: normalized ?? null },
    });
    await tx.execute(sql`update inbound_webhooks set event_id = ${event.id}::uuid where id = ${inboundId}::uuid`);
    return { kind: 'accepted' as const, inboundId, eventId: event.id, eventType };
  });
}

/** JSON when it parses, form fields for a form post, else the text itself. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

/** A connector's extractor that throws must not turn a verified webhook into a 500. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
