// What the endpoint routes do: create and change endpoints (secrets and custom headers sealed by the
// vault before the transaction), rotate the signing secret with an overlap, pause, resume or re-enable,
// and delete. Each change is audited in the transaction that makes it.
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { ApiError } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { newId } from '../../platform/ids.ts';
import type { createEndpointBody, updateEndpointBody } from '../contracts.ts';
import { generateSigningSecret } from '../delivery/signing.ts';
import { queueRequeue } from '../requeue.ts';
import { webhookDeliveries, webhookEndpoints } from '../tables.ts';
import { checkEndpointUrl } from './check-url.ts';
import { PRESETS } from './presets.ts';
import { headersAad, secretAad } from './secrets.ts';
import { findEndpoint, type EndpointRow } from './views.ts';

interface Caller {
  principal: Principal;
  ip: string;
}

/** The host alone: webhook URLs of Zapier and Make carry their secret in the path. */
function shownUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid)';
  }
}

export async function createEndpoint(
  hub: HubContext,
  caller: Caller,
  body: z.infer<typeof createEndpointBody>,
): Promise<{ endpoint: EndpointRow; secret: string; warnings: string[] }> {
  const { workspaceId } = caller.principal;
  const warnings = await checkEndpointUrl(hub, body.url, body.preset);
  const id = newId();
  const secret = generateSigningSecret();
  // Sealed before the transaction: on PGlite the vault cannot query while a transaction holds the connection.
  const sealedSecret = await hub.vault.encrypt(workspaceId, secret, secretAad(id));
  const headers = body.headers && Object.keys(body.headers).length > 0 ? body.headers : null;
  const sealedHeaders = headers ? await hub.vault.encrypt(workspaceId, headers, headersAad(id)) : null;
  const endpoint = await hub.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        workspaceId,
        url: body.url,
        description: body.description,
        preset: body.preset,
        eventTypes: body.eventTypes,
        state: body.enabled ? 'enabled' : 'paused',
        rateLimitPerSecond: body.rateLimitPerSecond === undefined ? PRESETS[body.preset].rateLimitPerSecond : body.rateLimitPerSecond,
        retrySchedule: body.retrySchedule ?? null,
        headers: sealedHeaders,
        headerNames: headers ? Object.keys(headers) : [],
        secret: sealedSecret,
        createdByUserId: caller.principal.kind === 'user' ? caller.principal.userId : null,
      })
      .returning();
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_endpoint.created',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      metadata: { host: shownUrl(body.url), preset: body.preset, eventTypes: body.eventTypes },
    });
    return row!;
  });
  return { endpoint, secret, warnings };
}

export async function updateEndpoint(
  hub: HubContext,
  caller: Caller,
  id: string,
  body: z.infer<typeof updateEndpointBody>,
): Promise<{ endpoint: EndpointRow; warnings: string[] }> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  const url = body.url ?? current.url;
  const preset = body.preset ?? current.preset;
  const warnings = body.url !== undefined || body.preset !== undefined ? await checkEndpointUrl(hub, url, preset) : [];
  let sealedHeaders: string | null | undefined;
  if (body.headers !== undefined) {
    sealedHeaders = Object.keys(body.headers).length > 0 ? await hub.vault.encrypt(workspaceId, body.headers, headersAad(id)) : null;
  }
  const endpoint = await hub.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        url,
        preset,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.eventTypes !== undefined ? { eventTypes: body.eventTypes } : {}),
        ...(body.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: body.rateLimitPerSecond, rateSlotAt: null } : {}),
        ...(body.retrySchedule !== undefined ? { retrySchedule: body.retrySchedule } : {}),
        ...(sealedHeaders !== undefined ? { headers: sealedHeaders, headerNames: body.headers ? Object.keys(body.headers) : [] } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_endpoint.updated',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      // Names of what changed, never values: headers hold credentials.
      metadata: { changed: Object.keys(body).filter((key) => body[key as keyof typeof body] !== undefined), host: shownUrl(url) },
    });
    return row!;
  });
  return { endpoint, warnings };
}

export async function deleteEndpoint(hub: HubContext, caller: Caller, id: string): Promise<void> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  await hub.db.transaction(async (tx) => {
    // Secrets go at once; the row stays so the event log keeps the deliveries made to it.
    await tx
      .update(webhookEndpoints)
      .set({ deletedAt: new Date(), secret: null, previousSecret: null, headers: null, updatedAt: new Date() })
      .where(eq(webhookEndpoints.id, id));
    // Queued attempts find the endpoint deleted when they run; held ones have no job, so end them here.
    await tx
      .update(webhookDeliveries)
      .set({ status: 'failed', lastError: 'Not sent: the endpoint was deleted.', completedAt: new Date(hub.jobs.clock.now()) })
      .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'held')));
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_endpoint.deleted',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      metadata: { host: shownUrl(current.url) },
    });
  });
}

export async function rotateSecret(
  hub: HubContext,
  caller: Caller,
  id: string,
  overlapHours: number,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  const secret = generateSigningSecret();
  const sealed = await hub.vault.encrypt(workspaceId, secret, secretAad(id));
  const now = new Date(hub.jobs.clock.now());
  const endpoint = await hub.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secret: sealed,
        // Both secrets share one aad, so the old ciphertext moves over as is.
        previousSecret: overlapHours > 0 ? current.secret : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null,
        secretRotatedAt: now,
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_endpoint.secret_rotated',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      metadata: { overlapHours },
    });
    return row!;
  });
  return { endpoint, secret };
}

export async function pauseEndpoint(hub: HubContext, caller: Caller, id: string): Promise<EndpointRow> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  if (current.state === 'disabled') {
    throw new ApiError('conflict', 'The endpoint is disabled, which already stops deliveries; resume it to re-enable it.');
  }
  return hub.db.transaction(async (tx) => {
    const [row] = await tx.update(webhookEndpoints).set({ state: 'paused', updatedAt: new Date() }).where(eq(webhookEndpoints.id, id)).returning();
    await recordAudit(tx, { workspaceId, actor: caller.principal, action: 'webhook_endpoint.paused', targetType: 'webhook_endpoint', targetId: id, ip: caller.ip });
    return row!;
  });
}

export interface ResumeResult {
  endpoint: EndpointRow;
  /** Deliveries that waited while paused, now queued. */
  released: number;
  /** For a disabled endpoint: what failed from the start of its failures, offered for replay. */
  replayable: { since: string; count: number } | null;
}

/** Resumes a paused endpoint (its held deliveries go out), or re-enables a disabled one. */
export async function resumeEndpoint(hub: HubContext, caller: Caller, id: string): Promise<ResumeResult> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  const wasDisabled = current.state === 'disabled';
  const since = current.failingSince ?? current.disabledAt;
  return hub.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ state: 'enabled', disabledReason: null, disabledAt: null, failingSince: null, updatedAt: new Date() })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    const [held] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'held')));
    const released = held?.n ?? 0;
    if (released > 0) {
      await queueRequeue(hub.jobs, tx, { workspaceId, endpointId: id, status: 'held', until: new Date(hub.jobs.clock.now()).toISOString() });
    }
    let replayable: ResumeResult['replayable'] = null;
    if (wasDisabled && since) {
      const [failed] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'failed'), gte(webhookDeliveries.completedAt, since)));
      replayable = { since: since.toISOString(), count: failed?.n ?? 0 };
    }
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: wasDisabled ? 'webhook_endpoint.reenabled' : 'webhook_endpoint.resumed',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      metadata: { released },
    });
    return { endpoint: row!, released, replayable };
  });
}

/** Queues every delivery to the endpoint that failed for good since `since` again, with a fresh schedule. */
export async function replayFailedSince(hub: HubContext, caller: Caller, id: string, since: Date): Promise<{ queued: number }> {
  const { workspaceId } = caller.principal;
  const current = await findEndpoint(hub.db, workspaceId, id);
  if (current.state === 'disabled') throw new ApiError('conflict', 'The endpoint is disabled: resume it first, then replay.');
  // Delivery times are written on the job clock (a test clock in tests), so compare on it too.
  const until = new Date(hub.jobs.clock.now());
  return hub.db.transaction(async (tx) => {
    const [failed] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, id),
          eq(webhookDeliveries.status, 'failed'),
          gte(webhookDeliveries.completedAt, since),
          lte(webhookDeliveries.completedAt, until),
        ),
      );
    const queued = failed?.n ?? 0;
    if (queued > 0) {
      await queueRequeue(hub.jobs, tx, { workspaceId, endpointId: id, status: 'failed', since: since.toISOString(), until: until.toISOString() });
    }
    await recordAudit(tx, {
      workspaceId,
      actor: caller.principal,
      action: 'webhook_endpoint.replayed',
      targetType: 'webhook_endpoint',
      targetId: id,
      ip: caller.ip,
      metadata: { since: since.toISOString(), queued },
    });
    return { queued };
  });
}
