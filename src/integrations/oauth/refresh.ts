// Renews an integration's OAuth access token, one renewal at a time per integration across every process:
// an in-process single flight in front of a lease on the integration row (design in ./README.md).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import type { ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { emitIntegrationEvent, statusChangeEvent } from '../events.ts';
import { credentialAad, forgetIntegration, type IntegrationRow } from '../service.ts';
import { integrations } from '../tables.ts';
import { loadOAuthClient } from './oauth-apps.ts';
import { refreshAccessToken, requestClientCredentialsToken, type TokenCall, type TokenOutcome } from './token-client.ts';
import { expiresAtOf, usesOAuthTokens, withTokens, type StoredCredential } from './tokens.ts';

/** Why a new token is wanted; decides, once the lease is held, whether the stored one already will do. */
export type RefreshNeed =
  /** The provider refused this access token (401): any other stored token is worth a try. */
  | { kind: 'rejected'; accessToken: string | undefined }
  /** The token expires too soon: a stored token valid past `before` will do. */
  | { kind: 'due'; before: Date };

export type RefreshOutcome =
  /** refreshed: this call obtained new tokens. fresh: someone else already had; the stored ones serve. */
  | { status: 'refreshed' | 'fresh'; credential: StoredCredential }
  /** Another process holds the lease and the caller chose not to wait (the refresh job). */
  | { status: 'busy' }
  /** Timeout, network, 5xx: the current token stays and the next run or 401 tries again. */
  | { status: 'transient'; message: string }
  /** The provider refused the grant (invalid_grant, invalid_client): the integration was marked. */
  | { status: 'permanent'; message: string }
  /** Nothing to renew: disconnected, already expired, no refresh token, not an OAuth connector. */
  | { status: 'unavailable'; message: string };

// How often a caller waiting for another process's refresh looks again.
const LEASE_POLL_MS = 100;

// Refreshes under way in this process, by integration: concurrent callers share one provider call. Per hub,
// since tests run several hubs (workers) in one process and each must meet the others at the database.
const inFlight = new WeakMap<HubContext, Map<string, Promise<RefreshOutcome>>>();

/**
 * How long a claimed lease lasts. It must outlive the provider call it covers (a single attempt bounded by
 * the token timeout), or a second process could spend the same refresh token while the first still waits
 * for its answer; twice the timeout plus a margin.
 */
function leaseMs(hub: HubContext): number {
  return hub.config.oauthTokenTimeoutSeconds * 2000 + 10_000;
}

export function refreshCredential(hub: HubContext, integrationId: string, need: RefreshNeed, options: { wait: boolean }): Promise<RefreshOutcome> {
  let flights = inFlight.get(hub);
  if (!flights) {
    flights = new Map();
    inFlight.set(hub, flights);
  }
  const running = flights.get(integrationId);
  // A caller prepared to wait does not settle for the job's "busy": it waits for the other process itself.
  if (running) return options.wait ? running.then((outcome) => (outcome.status === 'busy' ? refreshCredential(hub, integrationId, need, options) : outcome)) : running;
  const started = refreshUnderLease(hub, integrationId, need, options).finally(() => flights.delete(integrationId));
  flights.set(integrationId, started);
  return started;
}

async function refreshUnderLease(hub: HubContext, integrationId: string, need: RefreshNeed, options: { wait: boolean }): Promise<RefreshOutcome> {
  const leaseId = randomUUID();
  const duration = leaseMs(hub);
  // A holder that died leaves a lease that lapses after `duration`; waiting a little longer than that
  // guarantees a waiter either sees the result or takes the lease over.
  const giveUpAt = Date.now() + duration + 5_000;
  for (;;) {
    const claim = await claimLease(hub, integrationId, leaseId, duration);
    if (claim.kind === 'gone') return { status: 'unavailable', message: claim.reason };
    if (claim.kind === 'claimed') {
      try {
        return await refreshClaimed(hub, claim.row, leaseId, need);
      } finally {
        // Usually already cleared by the write that stored the outcome; this covers the other exits.
        await releaseLease(hub, integrationId, leaseId);
        // New tokens (or an `expired` status) are what this process's next calls must see.
        forgetIntegration(hub, integrationId);
      }
    }
    if (!options.wait) return { status: 'busy' };
    if (Date.now() > giveUpAt) return { status: 'transient', message: 'Another process is still refreshing this token; try again shortly.' };
    await sleep(LEASE_POLL_MS + Math.floor(Math.random() * LEASE_POLL_MS));
  }
}

type Claim = { kind: 'claimed'; row: IntegrationRow } | { kind: 'busy' } | { kind: 'gone'; reason: string };

/**
 * Takes the lease in a short transaction: lock the row (`FOR UPDATE`), see whether a live lease is on it,
 * write ours. Concurrent claimants queue on the row lock, and each then sees the previous one's lease, so
 * exactly one wins. Times are the database's (`now()`), the one clock every process shares. Nothing slow
 * happens inside: no vault call and no HTTP (on PGlite the transaction holds the only connection).
 */
async function claimLease(hub: HubContext, integrationId: string, leaseId: string, durationMs: number): Promise<Claim> {
  return hub.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ ...getTableColumns(integrations), leased: sql<boolean>`coalesce(${integrations.refreshLeaseUntil} > now(), false)` })
      .from(integrations)
      .where(eq(integrations.id, integrationId))
      .for('update');
    if (!row || row.deletedAt || !row.credential) return { kind: 'gone', reason: 'The integration is disconnected.' };
    if (row.status === 'expired') return { kind: 'gone', reason: row.statusReason ?? 'The integration needs re-authorising.' };
    if (row.leased) return { kind: 'busy' };
    await tx
      .update(integrations)
      .set({ refreshLeaseId: leaseId, refreshLeaseUntil: sql`now() + ${durationMs}::integer * interval '1 millisecond'` })
      .where(eq(integrations.id, integrationId));
    const { leased: _leased, ...integration } = row;
    return { kind: 'claimed', row: integration };
  });
}

async function releaseLease(hub: HubContext, integrationId: string, leaseId: string): Promise<void> {
  await hub.db
    .update(integrations)
    .set({ refreshLeaseId: null, refreshLeaseUntil: null })
    .where(and(eq(integrations.id, integrationId), eq(integrations.refreshLeaseId, leaseId)));
}

/** True when the stored credential already satisfies the need (another caller refreshed it first). */
function satisfies(need: RefreshNeed, stored: StoredCredential): boolean {
  if (!stored.accessToken) return false;
  if (need.kind === 'rejected') return stored.accessToken !== need.accessToken;
  const expiresAt = expiresAtOf(stored);
  return expiresAt === null || expiresAt > need.before;
}

async function refreshClaimed(hub: HubContext, row: IntegrationRow, leaseId: string, need: RefreshNeed): Promise<RefreshOutcome> {
  const connector = hub.connectors.get(row.connectorId);
  if (!connector || !usesOAuthTokens(connector.auth)) return { status: 'unavailable', message: 'Not an OAuth integration.' };
  // Read again under the lease: a refresh that finished while this caller queued is reused, not repeated.
  const stored = await hub.vault.decryptObject<Record<string, string>>(row.workspaceId, row.credential!, credentialAad(row.id));
  if (satisfies(need, stored)) return { status: 'fresh', credential: stored };

  const call: TokenCall = { hub, connector, workspaceId: row.workspaceId, integrationId: row.id, operation: 'refresh' };
  let outcome: TokenOutcome;
  if (connector.auth.kind === 'oauth2') {
    if (!stored.refreshToken) {
      const expiresAt = expiresAtOf(stored);
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        const message = `The access token expired and ${connector.title} issued no refresh token; re-authorise the integration.`;
        await markRefused(hub, row, connector, leaseId, { code: 'no_refresh_token', message });
        return { status: 'permanent', message };
      }
      return { status: 'unavailable', message: `${connector.title} issued no refresh token.` };
    }
    const client = await loadOAuthClient(hub, row.workspaceId, connector.id);
    if (!client) {
      const message = `The workspace's OAuth app for ${connector.title} was removed, so the token cannot be refreshed; add the app again and re-authorise.`;
      await markRefused(hub, row, connector, leaseId, { code: 'no_oauth_app', message });
      return { status: 'permanent', message };
    }
    outcome = await refreshAccessToken(call, client, stored.refreshToken);
  } else {
    outcome = await requestClientCredentialsToken(call, { clientId: stored.clientId ?? '', clientSecret: stored.clientSecret ?? null });
  }

  if (outcome.ok) {
    const next = withTokens(stored, outcome.tokens, Date.now());
    const ciphertext = await hub.vault.encrypt(row.workspaceId, next, credentialAad(row.id));
    // Written only over the credential this refresh started from, and only while the lease is ours: a
    // credential replaced meanwhile (re-authorised, PATCHed) is never overwritten by older tokens.
    const [saved] = await hub.db
      .update(integrations)
      .set({ credential: ciphertext, tokenExpiresAt: expiresAtOf(next), refreshLeaseId: null, refreshLeaseUntil: null })
      .where(and(eq(integrations.id, row.id), eq(integrations.refreshLeaseId, leaseId), eq(integrations.credential, row.credential!)))
      .returning({ id: integrations.id });
    if (!saved) hub.logger.warn({ integrationId: row.id, connector: connector.id }, 'refreshed OAuth token not stored: the credential changed or the lease lapsed meanwhile');
    return { status: 'refreshed', credential: next };
  }
  if (!outcome.failure.permanent) {
    hub.logger.warn({ integrationId: row.id, connector: connector.id, code: outcome.failure.code }, 'OAuth token refresh failed; keeping the current token');
    return { status: 'transient', message: outcome.failure.message };
  }
  await markRefused(hub, row, connector, leaseId, outcome.failure);
  return { status: 'permanent', message: outcome.failure.message };
}

/**
 * The provider refused the grant for good: the integration needs a person. Code-flow integrations become
 * `expired` (re-authorise); client-credentials ones `error` (fix the client id/secret), as service.ts does
 * for a refused credential.
 */
async function markRefused(hub: HubContext, row: IntegrationRow, connector: ConnectorDefinition, leaseId: string, failure: { code: string; message: string }): Promise<void> {
  const status = connector.auth.kind === 'oauth2' ? 'expired' : 'error';
  hub.logger.warn({ integrationId: row.id, connector: connector.id, code: failure.code, status }, 'OAuth token refresh refused by the provider');
  await hub.db.transaction(async (tx) => {
    const [marked] = await tx
      .update(integrations)
      .set({ status, statusReason: failure.message, lastCheckedAt: new Date(), refreshLeaseId: null, refreshLeaseUntil: null })
      .where(and(eq(integrations.id, row.id), eq(integrations.refreshLeaseId, leaseId), eq(integrations.credential, row.credential!)))
      .returning({ id: integrations.id });
    if (!marked) return;
    await recordAudit(tx, {
      workspaceId: row.workspaceId,
      actor: 'system',
      action: status === 'expired' ? 'integration.expired' : 'integration.credential_refused',
      targetType: 'integration',
      targetId: row.id,
      metadata: { connectorId: connector.id, name: row.name, error: failure.code, reason: failure.message },
    });
    // In this transaction, so the event exists exactly when the status does.
    const change = statusChangeEvent(row.status, status, { reason: 'auth', message: failure.message });
    if (change) await emitIntegrationEvent(hub, tx, row, change, 'provider');
  });
}
