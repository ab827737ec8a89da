// The refresh job: every minute, renews OAuth tokens that expire within the configured window, so calls
// rarely meet an expired token; also clears authorization flows abandoned long ago.
import { and, asc, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { HubContext } from '../../platform/hub-context.ts';
import { defineJob } from '../../platform/jobs/define.ts';
import { integrations } from '../tables.ts';
import { pruneExpiredFlows } from './flows.ts';
import { refreshCredential, type RefreshOutcome } from './refresh.ts';
import { usesOAuthTokens } from './tokens.ts';

// Integrations renewed per run, soonest expiry first; the rest wait a minute for the next run.
const BATCH = 500;
// Provider calls in flight at once per run: enough to keep up, few enough not to hammer one provider.
const PARALLEL = 4;

export interface RefreshRunSummary {
  due: number;
  refreshed: number;
  fresh: number;
  busy: number;
  transient: number;
  permanent: number;
  unavailable: number;
  flowsPruned: number;
}

/** Renews what is due as of `now` (injectable so tests can move time). */
export async function refreshDueTokens(hub: HubContext, options: { now?: Date; signal?: AbortSignal } = {}): Promise<RefreshRunSummary> {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() + hub.config.oauthRefreshWindowMinutes * 60_000);
  const candidates = await hub.db
    .select({ id: integrations.id, connectorId: integrations.connectorId })
    .from(integrations)
    .where(
      and(
        isNull(integrations.deletedAt),
        isNotNull(integrations.credential),
        inArray(integrations.status, ['connected', 'error']),
        lte(integrations.tokenExpiresAt, before),
      ),
    )
    .orderBy(asc(integrations.tokenExpiresAt))
    .limit(BATCH);
  const due = candidates.filter((row) => {
    const connector = hub.connectors.get(row.connectorId);
    return connector !== undefined && usesOAuthTokens(connector.auth);
  });
  const summary: RefreshRunSummary = { due: due.length, refreshed: 0, fresh: 0, busy: 0, transient: 0, permanent: 0, unavailable: 0, flowsPruned: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let next = queue.shift(); next && !options.signal?.aborted; next = queue.shift()) {
      // No waiting on a lease held elsewhere: whoever holds it is doing this very work.
      const outcome: RefreshOutcome = await refreshCredential(hub, next.id, { kind: 'due', before }, { wait: false });
      summary[outcome.status] += 1;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  summary.flowsPruned = await pruneExpiredFlows(hub);
  return summary;
}

export function oauthJobs(hub: () => HubContext) {
  return [
    defineJob({
      name: 'integrations.oauth-refresh',
      payload: z.object({}).passthrough(),
      cron: '* * * * *',
      // The next run, a minute later, is the retry; failures of one integration never fail the run.
      retry: { limit: 0 },
      timeoutSeconds: 300,
      async handler(_payload, context) {
        return refreshDueTokens(hub(), { signal: context.signal });
      },
    }),
  ];
}
