// Reading the event log: filters (type with wildcards, connector, integration, delivery status, time range,
// text in the payload), cursor pages, one event with every delivery and attempt, and the 24-hour tally.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../platform/db/database.ts';
import type { attemptView, deliveryView, EventStatus, eventDetailView, eventView } from '../contracts.ts';

export interface EventFilter {
  workspaceId: string;
  /** Exact, or a prefix ending in `.*`. */
  type?: string | undefined;
  connectorId?: string | undefined;
  integrationId?: string | undefined;
  status?: EventStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Case-insensitive text anywhere in the payload's JSON. */
  search?: string | undefined;
  /** Id of the last event of the previous page (events are listed newest first). */
  cursor?: string | undefined;
  limit: number;
}

type EventView = z.infer<typeof eventView>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of events, plus one extra row when there is a next page (for `page()`). */
export async function listEvents(db: Queryable, filter: EventFilter): Promise<EventView[]> {
  const where: SQL[] = [sql`e.workspace_id = ${filter.workspaceId}::uuid`];
  if (filter.type) {
    where.push(filter.type.endsWith('.*') ? sql`e.type like ${`${escapeLike(filter.type.slice(0, -1))}%`}` : sql`e.type = ${filter.type}`);
  }
  if (filter.connectorId) where.push(sql`e.connector_id = ${filter.connectorId}`);
  if (filter.integrationId) where.push(sql`e.integration_id = ${filter.integrationId}::uuid`);
  if (filter.from) where.push(sql`e.created_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) where.push(sql`e.created_at <= ${filter.to.toISOString()}::timestamptz`);
  if (filter.search) where.push(sql`e.payload::text ilike ${`%${escapeLike(filter.search)}%`}`);
  if (filter.cursor) where.push(sql`e.id < ${filter.cursor}::uuid`);
  if (filter.status === 'failed') where.push(sql`s.failed > 0`);
  if (filter.status === 'pending') where.push(sql`s.failed = 0 and s.pending > 0`);
  if (filter.status === 'delivered') where.push(sql`s.total > 0 and s.succeeded = s.total`);
  if (filter.status === 'none') where.push(sql`s.total = 0`);
  const result = await db.execute(sql`
    select e.id, e.type, e.version, e.source, e.integration_id, e.connector_id, e.payload, e.created_at,
           s.total, s.succeeded, s.failed, s.pending
    from events e
    cross join lateral (
      select count(*)::int as total,
             count(*) filter (where d.status = 'succeeded')::int as succeeded,
             count(*) filter (where d.status = 'failed')::int as failed,
             count(*) filter (where d.status in ('pending', 'held'))::int as pending
      from webhook_deliveries d where d.event_id = e.id
    ) s
    where ${sql.join(where, sql` and `)}
    order by e.id desc
    limit ${filter.limit + 1}`);
  return (result as unknown as { rows: Record<string, any>[] }).rows.map(toEventView);
}

function toEventView(row: Record<string, any>): EventView {
  const deliveries = { total: row.total, succeeded: row.succeeded, failed: row.failed, pending: row.pending };
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    source: row.source,
    integrationId: row.integration_id,
    connectorId: row.connector_id,
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    createdAt: new Date(row.created_at).toISOString(),
    status: statusOf(deliveries),
    deliveries,
  };
}

export function statusOf(counts: { total: number; succeeded: number; failed: number; pending: number }): EventStatus {
  if (counts.failed > 0) return 'failed';
  if (counts.pending > 0) return 'pending';
  return counts.total > 0 ? 'delivered' : 'none';
}

export async function getEvent(db: Queryable, workspaceId: string, id: string): Promise<z.infer<typeof eventDetailView> | null> {
  const [event] = (
    (await db.execute(sql`
      select e.id, e.type, e.version, e.source, e.integration_id, e.connector_id, e.payload, e.created_at
      from events e where e.id = ${id}::uuid and e.workspace_id = ${workspaceId}::uuid`)) as unknown as { rows: Record<string, any>[] }
  ).rows;
  if (!event) return null;
  const deliveries = (
    (await db.execute(sql`
      select d.*, ep.url as endpoint_url from webhook_deliveries d join webhook_endpoints ep on ep.id = d.endpoint_id
      where d.event_id = ${id}::uuid order by d.id`)) as unknown as { rows: Record<string, any>[] }
  ).rows;
  const attempts = (
    (await db.execute(sql`
      select a.* from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
      where d.event_id = ${id}::uuid order by a.attempt_number`)) as unknown as { rows: Record<string, any>[] }
  ).rows;
  const byDelivery = new Map<string, z.infer<typeof attemptView>[]>();
  for (const row of attempts) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push(toAttemptView(row));
    byDelivery.set(row.delivery_id, list);
  }
  const deliveryList = deliveries.map((row) => ({ ...toDeliveryView(row), attempts: byDelivery.get(row.id) ?? [] }));
  const counts = {
    total: deliveryList.length,
    succeeded: deliveryList.filter((d) => d.status === 'succeeded').length,
    failed: deliveryList.filter((d) => d.status === 'failed').length,
    pending: deliveryList.filter((d) => d.status === 'pending' || d.status === 'held').length,
  };
  return { ...toEventView({ ...event, ...counts }), deliveryList };
}

const isoOf = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

export function toDeliveryView(row: Record<string, any>): z.infer<typeof deliveryView> {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    endpointUrl: row.endpoint_url,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? isoOf(row.next_attempt_at) : null,
    lastAttemptAt: isoOf(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: isoOf(row.created_at)!,
    completedAt: isoOf(row.completed_at),
  };
}

function toAttemptView(row: Record<string, any>): z.infer<typeof attemptView> {
  return {
    id: row.id,
    attemptNumber: row.attempt_number,
    trigger: row.trigger,
    startedAt: isoOf(row.started_at)!,
    latencyMs: row.latency_ms,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    requestHeaders: json(row.request_headers),
    responseHeaders: json(row.response_headers),
    responseBody: row.response_body,
    nextAttemptAt: isoOf(row.next_attempt_at),
  };
}

/** Deliveries that ended in the window, and those waiting now: the overview tile. */
export async function deliveryStats(db: Queryable, workspaceId: string, since: Date): Promise<{ succeeded: number; failed: number; pending: number }> {
  const result = await db.execute(sql`
    select count(*) filter (where status = 'succeeded' and completed_at >= ${since.toISOString()}::timestamptz)::int as succeeded,
           count(*) filter (where status = 'failed' and completed_at >= ${since.toISOString()}::timestamptz)::int as failed,
           count(*) filter (where status in ('pending', 'held'))::int as pending
    from webhook_deliveries
    where workspace_id = ${workspaceId}::uuid and (completed_at >= ${since.toISOString()}::timestamptz or status in ('pending', 'held'))`);
  const row = (result as unknown as { rows: { succeeded: number; failed: number; pending: number }[] }).rows[0];
  return { succeeded: row?.succeeded ?? 0, failed: row?.failed ?? 0, pending: row?.pending ?? 0 };
}

