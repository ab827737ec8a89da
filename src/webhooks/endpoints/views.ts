// Endpoints as the API shows them: settings, state and 24-hour health, never a secret or a header value.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../platform/db/database.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { notFound } from '../../platform/errors.ts';
import { iso } from '../../platform/http/pagination.ts';
import type { endpointHealth, endpointView } from '../contracts.ts';
import { DEFAULT_RETRY_SCHEDULE } from '../delivery/schedule.ts';
import { webhookEndpoints } from '../tables.ts';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
type Health = z.infer<typeof endpointHealth>;

const NO_HEALTH: Health = { attempts24h: 0, succeeded24h: 0, failed24h: 0, successRate24h: null, lastAttemptAt: null, lastStatus: null, pending: 0 };

export function toEndpointView(row: EndpointRow, health: Health = NO_HEALTH): z.infer<typeof endpointView> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    preset: row.preset,
    eventTypes: row.eventTypes,
    state: row.state,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    rateLimitPerSecond: row.rateLimitPerSecond,
    retrySchedule: row.retrySchedule ?? [...DEFAULT_RETRY_SCHEDULE],
    customRetrySchedule: row.retrySchedule !== null,
    headerNames: row.headerNames,
    secretRotatedAt: iso(row.secretRotatedAt),
    previousSecretExpiresAt: iso(row.previousSecretExpiresAt),
    failingSince: iso(row.failingSince),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
    health,
  };
}

/** The endpoint of this workspace (not deleted), or a 404. */
export async function findEndpoint(db: Queryable, workspaceId: string, id: string): Promise<EndpointRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, workspaceId), isNull(webhookEndpoints.deletedAt)));
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function endpointHealthOf(db: Queryable, ids: string[], now = Date.now()): Promise<Map<string, Health>> {
  const health = new Map<string, Health>();
  if (ids.length === 0) return health;
  const since = new Date(now - 86_400_000).toISOString();
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const attempts = (await db.execute(sql`
    select endpoint_id,
           count(*)::int as total,
           count(*) filter (where status between 200 and 299)::int as ok,
           max(started_at) as last_at
    from webhook_attempts
    where endpoint_id in (${list}) and started_at > ${since}::timestamptz
    group by endpoint_id`)) as unknown as { rows: { endpoint_id: string; total: number; ok: number; last_at: string | Date }[] };
  const last = (await db.execute(sql`
    select distinct on (endpoint_id) endpoint_id, status, started_at
    from webhook_attempts where endpoint_id in (${list})
    order by endpoint_id, started_at desc`)) as unknown as { rows: { endpoint_id: string; status: number | null; started_at: string | Date }[] };
  const pending = (await db.execute(sql`
    select endpoint_id, count(*)::int as n from webhook_deliveries
    where endpoint_id in (${list}) and status in ('pending', 'held') group by endpoint_id`)) as unknown as {
    rows: { endpoint_id: string; n: number }[];
  };
  for (const id of ids) health.set(id, { ...NO_HEALTH });
  for (const row of attempts.rows) {
    const entry = health.get(row.endpoint_id)!;
    entry.attempts24h = row.total;
    entry.succeeded24h = row.ok;
    entry.failed24h = row.total - row.ok;
    entry.successRate24h = row.total > 0 ? Math.round((row.ok / row.total) * 1000) / 1000 : null;
  }
  for (const row of last.rows) {
    const entry = health.get(row.endpoint_id)!;
    entry.lastAttemptAt = new Date(row.started_at).toISOString();
    entry.lastStatus = row.status;
  }
  for (const row of pending.rows) health.get(row.endpoint_id)!.pending = row.n;
  return health;
}

/** One endpoint with its health, as the API answers. */
export async function endpointResponse(hub: Pick<HubContext, 'db' | 'jobs'>, row: EndpointRow): Promise<z.infer<typeof endpointView>> {
  const health = await endpointHealthOf(hub.db, [row.id], hub.jobs.clock.now());
  return toEndpointView(row, health.get(row.id));
}
