// Integrations: create (check with the provider first, store only on success), update (re-check before a
// new credential replaces the old), re-check, disconnect; credentials only ever as vault ciphertexts.
import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../platform/auth/principal.ts';
import { ApiError, notFound, type FieldProblem } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import type { OutboundOperation } from '../platform/outbound/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CheckResult, ConnectorDefinition } from '../connectors/sdk/define.ts';
import { credentialFields, credentialSchema, isOAuthCodeFlow, maskCredential } from '../connectors/sdk/credentials.ts';
import { canRenewCredential, oauthCredentialSource, revokeIntegrationTokens, usesOAuthTokens, withClientCredentialsToken } from './oauth/index.ts';
import { credentialCacheOf } from './runtime/credential-cache.ts';
import { integrationCacheOf } from './runtime/integration-cache.ts';
import { operationLogOf } from './runtime/operation-log.ts';
import { checkConnection, type InvocationTarget } from './runtime/invoke.ts';
import type { CredentialSource } from './runtime/provider-http.ts';
import { emitIntegrationEvent, statusChangeEvent } from './events.ts';
import { integrationOperations, integrations, type IntegrationStatus } from './tables.ts';

export type IntegrationRow = typeof integrations.$inferSelect;

export function credentialAad(integrationId: string): string {
  return `integration:${integrationId}:credential`;
}

export function requireConnector(hub: HubContext, connectorId: string, field = 'body.connectorId'): ConnectorDefinition {
  const connector = hub.connectors.get(connectorId);
  if (!connector) {
    throw new ApiError('validation_failed', `There is no connector "${connectorId}"; GET /api/v1/connectors lists them.`, {
      details: [{ field, message: 'unknown connector' }],
    });
  }
  return connector;
}

/** Like requireConnector, but also finds the workspace's run-time connectors (src/custom-connectors). */
export async function resolveConnector(hub: HubContext, workspaceId: string, connectorId: string, field = 'body.connectorId'): Promise<ConnectorDefinition> {
  const connector = await hub.connectors.resolve(workspaceId, connectorId);
  if (!connector) {
    throw new ApiError('validation_failed', `There is no connector "${connectorId}"; GET /api/v1/connectors lists them.`, {
      details: [{ field, message: 'unknown connector' }],
    });
  }
  return connector;
}

export async function loadIntegration(hub: HubContext, workspaceId: string, id: string): Promise<IntegrationRow> {
  const [row] = await hub.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.workspaceId, workspaceId), isNull(integrations.deletedAt)));
  if (!row) throw notFound('Integration');
  return row;
}

/**
 * loadIntegration for the call paths (actions, proxy): through this process's short row cache, so a busy
 * integration costs no database read per call (see runtime/integration-cache.ts for the staleness bound).
 */
export async function loadIntegrationForCall(hub: HubContext, workspaceId: string, id: string): Promise<IntegrationRow> {
  const cache = integrationCacheOf<IntegrationRow>(hub);
  const cached = cache.get(id);
  if (cached) {
    if (cached.workspaceId !== workspaceId) throw notFound('Integration');
    return cached;
  }
  const ticket = cache.ticket();
  const row = await loadIntegration(hub, workspaceId, id);
  cache.remember(id, row, ticket);
  return row;
}

/** Every change to an integration made by this process calls this, so its call paths see the change at once. */
export function forgetIntegration(hub: HubContext, id: string): void {
  integrationCacheOf<IntegrationRow>(hub).forget(id);
}

function validationError(where: string, issues: z.core.$ZodIssue[], summary: string): ApiError {
  const details: FieldProblem[] = issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new ApiError('validation_failed', `${summary} ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, { details });
}

export function parseConfig(connector: ConnectorDefinition, config: unknown): Record<string, unknown> {
  const parsed = connector.config.safeParse(config ?? {});
  if (!parsed.success) throw validationError('body.config', parsed.error.issues, `Invalid settings for ${connector.title}.`);
  return parsed.data as Record<string, unknown>;
}

export function parseCredentials(connector: ConnectorDefinition, credentials: unknown): Record<string, string> {
  if (isOAuthCodeFlow(connector.auth)) {
    throw new ApiError('validation_failed', `${connector.title} connects with OAuth: open GET /api/v1/integrations/oauth/${connector.id}/start instead.`, {
      details: [{ field: 'body.credentials', message: 'not accepted for OAuth connectors' }],
    });
  }
  const parsed = credentialSchema(connector.auth).safeParse(credentials ?? {});
  if (!parsed.success) throw validationError('body.credentials', parsed.error.issues, `Invalid credentials for ${connector.title}.`);
  return parsed.data;
}

/** Records each provider call of an integration; queued and stored in batches, never delaying its answer. */
export function operationRecorder(hub: HubContext, workspaceId: string, integrationId: string | null) {
  return (operation: OutboundOperation, name: string) => {
    if (!integrationId) return;
    operationLogOf(hub).record(operationRow(workspaceId, integrationId, operation, name));
  };
}

function operationRow(workspaceId: string, integrationId: string, operation: OutboundOperation, name: string): typeof integrationOperations.$inferInsert {
  return {
    id: newId(),
    workspaceId,
    integrationId,
    operation: name,
    method: operation.method,
    url: operation.url,
    status: operation.status,
    latencyMs: Math.round(operation.latencyMs),
    attempts: operation.attempts,
    errorCode: operation.errorCode,
    // When the call ended, not when its queued row was stored.
    createdAt: new Date(),
  };
}

/** The stored credential of a row, opened through this process's short cache (see runtime/credential-cache.ts). */
export function openCredential(hub: HubContext, row: Pick<IntegrationRow, 'id' | 'workspaceId' | 'credential'>): Promise<Readonly<Record<string, string>>> {
  const ciphertext = row.credential;
  if (!ciphertext) return Promise.resolve({});
  return credentialCacheOf(hub).open(row.id, ciphertext, () => hub.vault.decryptObject<Record<string, string>>(row.workspaceId, ciphertext, credentialAad(row.id)));
}

/** The decrypted credential of a stored integration (OAuth refresh is layered on by the OAuth module). */
export function storedCredentialSource(hub: HubContext, row: IntegrationRow): CredentialSource {
  const connector = hub.connectors.get(row.connectorId);
  if (connector && usesOAuthTokens(connector.auth)) return oauthCredentialSource(hub, row);
  return { current: () => openCredential(hub, row) };
}

async function check(
  hub: HubContext,
  connector: ConnectorDefinition,
  input: { workspaceId: string; integrationId: string | null; config: unknown; credentials: CredentialSource; onOperation?: (operation: OutboundOperation, name: string) => void },
): Promise<CheckResult> {
  return checkConnection({
    outbound: hub.outbound,
    connector,
    config: input.config,
    credentials: input.credentials,
    workspaceId: input.workspaceId,
    integrationId: input.integrationId,
    onOperation: input.onOperation ?? operationRecorder(hub, input.workspaceId, input.integrationId),
  });
}

/** A check failure's message, naming the connector once ("The credential was rejected by X: …" already does). */
export function connectionFailedMessage(connector: ConnectorDefinition, message: string): string {
  return message.includes(connector.title) ? message : `${connector.title}: ${message}`;
}

function connectionFailed(connector: ConnectorDefinition, result: Extract<CheckResult, { ok: false }>): ApiError {
  const field = result.field ? (result.field.startsWith('body.') ? result.field : `body.${result.field}`) : undefined;
  const message = connectionFailedMessage(connector, result.message);
  return new ApiError('connection_failed', message, {
    details: { reason: result.reason, ...(field ? { field } : {}) },
  });
}

export async function createIntegration(
  hub: HubContext,
  principal: Principal,
  input: { connectorId: string; name: string; config: unknown; credentials: unknown; ip: string },
): Promise<IntegrationRow> {
  const connector = await resolveConnector(hub, principal.workspaceId, input.connectorId);
  const config = parseConfig(connector, input.config);
  // Client-credentials connectors get their token now, so the check below already uses it.
  const { credentials, tokenExpiresAt } = await withClientCredentialsToken(hub, connector, {
    workspaceId: principal.workspaceId,
    integrationId: null,
    credentials: parseCredentials(connector, input.credentials),
  });
  return storeCheckedIntegration(hub, principal, { connector, name: input.name, config, credentials, ip: input.ip, tokenExpiresAt });
}

/** Checks a credential with the provider and, on success, stores a new integration (used by OAuth too). */
export async function storeCheckedIntegration(
  hub: HubContext,
  principal: Principal | { kind: 'account'; userId: string; email: string; workspaceId: string },
  input: { connector: ConnectorDefinition; name: string; config: Record<string, unknown>; credentials: Record<string, string>; ip: string; tokenExpiresAt?: Date | null },
): Promise<IntegrationRow> {
  const { connector } = input;
  const workspaceId = principal.workspaceId;
  await assertNameFree(hub, workspaceId, input.name);
  const id = newId();
  // The check's calls are logged once the integration exists, so its history starts with them.
  const checkCalls: (typeof integrationOperations.$inferInsert)[] = [];
  const result = await check(hub, connector, {
    workspaceId,
    integrationId: null,
    config: input.config,
    credentials: { current: async () => input.credentials },
    onOperation: (operation, name) => checkCalls.push(operationRow(workspaceId, id, operation, name)),
  });
  if (!result.ok) throw connectionFailed(connector, result);
  // Encrypted before the transaction: the vault reads its keys through the database (see its README).
  const credential = await hub.vault.encrypt(workspaceId, input.credentials, credentialAad(id));
  const now = new Date();
  return hub.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(integrations)
      .values({
        id,
        workspaceId,
        connectorId: connector.id,
        name: input.name,
        config: input.config,
        credential,
        credentialHint: maskCredential(connector.auth, input.credentials),
        status: 'connected',
        account: result.account,
        lastCheckedAt: now,
        tokenExpiresAt: input.tokenExpiresAt ?? null,
        createdByUserId: principal.kind === 'api_key' ? null : principal.userId,
      })
      .returning();
    if (checkCalls.length > 0) await tx.insert(integrationOperations).values(checkCalls);
    await recordAudit(tx, {
      workspaceId,
      actor: principal.kind === 'account' ? { kind: 'account', userId: principal.userId, email: principal.email } : principal,
      action: 'integration.created',
      targetType: 'integration',
      targetId: id,
      ip: input.ip,
      metadata: { connectorId: connector.id, name: input.name, account: result.account.name },
    });
    await emitIntegrationEvent(hub, tx, row!, { type: 'integration.connected', account: result.account }, 'api');
    return row!;
  });
}

async function assertNameFree(hub: HubContext, workspaceId: string, name: string, exceptId?: string): Promise<void> {
  const [taken] = await hub.db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, workspaceId), eq(integrations.name, name), isNull(integrations.deletedAt)));
  if (taken && taken.id !== exceptId) {
    throw new ApiError('conflict', `An integration named "${name}" already exists in this workspace; choose another name.`, {
      details: [{ field: 'body.name', message: 'is taken' }],
    });
  }
}

export async function updateIntegration(
  hub: HubContext,
  principal: Principal,
  id: string,
  input: { name?: string | undefined; config?: unknown; credentials?: unknown; ip: string },
): Promise<IntegrationRow> {
  const row = await loadIntegration(hub, principal.workspaceId, id);
  const connector = await resolveConnector(hub, row.workspaceId, row.connectorId, 'connectorId');
  if (input.name !== undefined && input.name !== row.name) await assertNameFree(hub, row.workspaceId, input.name, row.id);
  const config = input.config !== undefined ? parseConfig(connector, input.config) : row.config;
  const replacement = input.credentials !== undefined
    ? await withClientCredentialsToken(hub, connector, { workspaceId: row.workspaceId, integrationId: row.id, credentials: await mergedCredentials(hub, connector, row, input.credentials) })
    : null;
  const newCredentials = replacement?.credentials ?? null;
  const changes: Partial<typeof integrations.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) changes.name = input.name;
  if (newCredentials || input.config !== undefined) {
    // New settings or a new credential must work before they replace what works now.
    const credentials: CredentialSource = newCredentials ? { current: async () => newCredentials } : storedCredentialSource(hub, row);
    const result = await check(hub, connector, { workspaceId: row.workspaceId, integrationId: row.id, config, credentials });
    if (!result.ok) throw connectionFailed(connector, result);
    Object.assign(changes, { config, status: 'connected' as const, statusReason: null, account: result.account, lastCheckedAt: new Date() });
    if (newCredentials) {
      changes.credential = await hub.vault.encrypt(row.workspaceId, newCredentials, credentialAad(row.id));
      changes.credentialHint = maskCredential(connector.auth, newCredentials);
      changes.tokenExpiresAt = replacement?.tokenExpiresAt ?? null;
    }
  }
  const saved = await hub.db.transaction(async (tx) => {
    const [updated] = await tx.update(integrations).set(changes).where(eq(integrations.id, row.id)).returning();
    await recordAudit(tx, {
      workspaceId: row.workspaceId,
      actor: principal,
      action: 'integration.updated',
      targetType: 'integration',
      targetId: row.id,
      ip: input.ip,
      metadata: { renamed: input.name !== undefined, configChanged: input.config !== undefined, credentialReplaced: newCredentials !== null },
    });
    // A replaced credential is a new connection; re-checked settings that bring it back are one too.
    if (changes.status === 'connected' && (newCredentials || row.status !== 'connected')) {
      await emitIntegrationEvent(hub, tx, updated!, { type: 'integration.connected', account: updated!.account }, 'api');
    }
    return updated!;
  });
  forgetIntegration(hub, row.id);
  return saved;
}

/**
 * A PATCH's credential over the stored one: a field left out keeps its stored value, a string replaces it,
 * null removes it (only optional fields can go: the merged credential is validated like a new one).
 */
async function mergedCredentials(hub: HubContext, connector: ConnectorDefinition, row: IntegrationRow, patch: unknown): Promise<Record<string, string>> {
  if (isOAuthCodeFlow(connector.auth)) return parseCredentials(connector, patch);
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return parseCredentials(connector, patch);
  const stored = await openCredential(hub, row);
  const merged: Record<string, unknown> = {};
  // Only the connector's own fields carry over: a stored credential also holds tokens the hub obtained.
  const fields = credentialFields(connector.auth);
  for (const name of Object.keys(fields)) {
    if (stored[name] !== undefined) merged[name] = stored[name];
  }
  for (const [name, value] of Object.entries(patch)) {
    if (value !== null) merged[name] = value;
    else if (fields[name] && !fields[name].optional) {
      throw new ApiError('validation_failed', `${fields[name].label} is required by ${connector.title} and cannot be removed; send a new value or leave it out to keep the stored one.`, {
        details: [{ field: `body.credentials.${name}`, message: 'required: cannot be null' }],
      });
    } else delete merged[name];
  }
  return parseCredentials(connector, merged);
}

/** Re-checks the stored credential now and records the outcome as the integration's status. */
export async function retestIntegration(hub: HubContext, principal: Principal, id: string): Promise<{ row: IntegrationRow; result: CheckResult }> {
  const row = await loadIntegration(hub, principal.workspaceId, id);
  const connector = await resolveConnector(hub, row.workspaceId, row.connectorId, 'connectorId');
  const result = await check(hub, connector, { workspaceId: row.workspaceId, integrationId: row.id, config: row.config, credentials: storedCredentialSource(hub, row) });
  const status: IntegrationStatus = result.ok ? 'connected' : result.reason === 'auth' && isOAuthCodeFlow(connector.auth) ? 'expired' : 'error';
  const updated = await hub.db.transaction(async (tx) => {
    // The status as it is now (another request may have changed it during the check) decides the event.
    const [before] = await tx.select({ status: integrations.status }).from(integrations).where(eq(integrations.id, row.id)).for('update');
    const [after] = await tx
      .update(integrations)
      .set({
        status,
        statusReason: result.ok ? null : result.message,
        lastCheckedAt: new Date(),
        ...(result.ok ? { account: result.account } : {}),
      })
      .where(and(eq(integrations.id, row.id), isNull(integrations.deletedAt)))
      .returning();
    if (!after) throw notFound('Integration');
    const change = statusChangeEvent(before!.status, status, result.ok ? { account: result.account } : { reason: result.reason, message: result.message });
    if (change) await emitIntegrationEvent(hub, tx, after, change, 'api');
    return after;
  });
  forgetIntegration(hub, row.id);
  return { row: updated, result };
}

/** Soft delete: the row stays for history, the credential is dropped. */
export async function disconnectIntegration(hub: HubContext, principal: Principal, id: string, ip: string): Promise<IntegrationRow> {
  const row = await loadIntegration(hub, principal.workspaceId, id);
  // Revoked at the provider first (best effort, outside the transaction: it is HTTP); a failure is
  // reported in the status reason and the audit entry, and the disconnect goes ahead.
  const revocation = await revokeIntegrationTokens(hub, row);
  const statusReason =
    revocation?.outcome === 'failed'
      ? `Disconnected by a user. Revoking the token at the provider failed (${revocation.message}); revoke the access in the provider's settings.`
      : 'Disconnected by a user.';
  const disconnected = await hub.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(integrations)
      .set({ status: 'disconnected', statusReason, credential: null, credentialHint: {}, tokenExpiresAt: null, deletedAt: new Date(), updatedAt: new Date() })
      .where(eq(integrations.id, row.id))
      .returning();
    const tokenRevocation = revocation ? { tokenRevocation: revocation.outcome, ...(revocation.outcome === 'failed' ? { revocationError: revocation.message } : {}) } : {};
    await recordAudit(tx, { workspaceId: row.workspaceId, actor: principal, action: 'integration.disconnected', targetType: 'integration', targetId: row.id, ip, metadata: { connectorId: row.connectorId, name: row.name, ...tokenRevocation } });
    await emitIntegrationEvent(hub, tx, row, { type: 'integration.disconnected' }, 'api');
    return updated!;
  });
  // Calls through this process stop now; through others within the row cache's TTL.
  forgetIntegration(hub, row.id);
  return disconnected;
}

/** Everything needed to run a stored integration's connector code. */
export async function invocationTargetFor(hub: HubContext, row: IntegrationRow, signal?: AbortSignal): Promise<InvocationTarget> {
  return {
    outbound: hub.outbound,
    connector: await resolveConnector(hub, row.workspaceId, row.connectorId, 'connectorId'),
    config: row.config,
    credentials: storedCredentialSource(hub, row),
    workspaceId: row.workspaceId,
    integrationId: row.id,
    ...(signal ? { signal } : {}),
    onOperation: operationRecorder(hub, row.workspaceId, row.id),
  };
}

/**
 * Marks an integration whose provider refused its credential during normal use (an action, the proxy, the
 * AI router), and tells subscribers when that changes its status. Takes only the id: callers may hold a
 * partial row.
 */
export async function markCredentialRefused(hub: HubContext, ref: Pick<IntegrationRow, 'id'>, message: string): Promise<void> {
  const [row] = await hub.db.select().from(integrations).where(and(eq(integrations.id, ref.id), isNull(integrations.deletedAt)));
  if (!row) return;
  const connector = hub.connectors.get(row.connectorId);
  // A code-flow credential with a refresh token is dead only when the token endpoint refuses the refresh
  // (the OAuth module marks that); a 401 after a refresh that failed for a moment is not yet `expired`.
  // Read before the transaction: the vault reads its keys through the database (see its README).
  const renewable = connector?.auth.kind === 'oauth2' && (await canRenewCredential(hub, row));
  const status: IntegrationStatus = connector && isOAuthCodeFlow(connector.auth) && !renewable ? 'expired' : 'error';
  await hub.db.transaction(async (tx) => {
    const [before] = await tx.select({ status: integrations.status }).from(integrations).where(eq(integrations.id, row.id)).for('update');
    // Nor may it overwrite the `expired` a refused refresh just recorded, with the provider's reason.
    if (!before || (renewable && before.status === 'expired')) return;
    const [after] = await tx
      .update(integrations)
      .set({ status, statusReason: message, lastCheckedAt: new Date() })
      .where(and(eq(integrations.id, row.id), isNull(integrations.deletedAt)))
      .returning();
    const change = after && statusChangeEvent(before.status, status, { reason: 'auth', message });
    if (after && change) await emitIntegrationEvent(hub, tx, after, change, 'provider');
  });
  forgetIntegration(hub, row.id);
}
