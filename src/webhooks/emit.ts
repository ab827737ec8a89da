// Writes an event in the caller's transaction together with one delivery per matching endpoint and the
// jobs that will send them: the job table is the outbox, so an event committed is an event delivered.
import { sql } from 'drizzle-orm';
import { rowsOf, type Queryable } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { JobEngine } from '../platform/jobs/engine.ts';
import { EVENT_TYPE_PATTERN, eventTypeDefinition } from './catalogue.ts';
import { queueAttempt, type DeliverPayload } from './delivery/job-payload.ts';
import { events, webhookDeliveries, type DeliveryStatus, type EventSource } from './tables.ts';

export interface EmitEventInput {
  workspaceId: string;
  /** A catalogue type (GET /api/v1/event-types), `inbound.<connector>.<type>` or `custom.<name>`. */
  type: string;
  source: EventSource;
  integrationId?: string | null;
  connectorId?: string | null;
  /** Validated against the type's schema: a payload that does not match is a bug in the caller and throws. */
  payload: Record<string, unknown>;
}

export interface EmittedEvent {
  id: string;
  /** Deliveries created: one per endpoint whose filter matches (held ones included). */
  deliveries: number;
}

/** The part of the job engine emitting needs: the registered delivery job and `send`. */
export type EventJobs = Pick<JobEngine, 'send' | 'definition' | 'clock'>;

/**
 * Records an event inside `tx` and queues its deliveries in the same transaction. Call it in the
 * transaction that makes the change the event reports, so both commit or neither does.
 */
export async function emitEvent(jobs: EventJobs, tx: Queryable, input: EmitEventInput): Promise<EmittedEvent> {
  const event = checkedEvent(input);
  // One statement writes the event and a delivery for each endpoint whose filter matches (the SQL form of
  // matchesFilter in catalogue.ts): emitting runs inside callers' transactions, so every round trip saved
  // is latency saved for them. Ids are made in the statement (UUIDv7, like newId) and the queued ones'
  // job ids come back for the sends that follow.
  const delivered = rowsOf<{ id: string; job_id: string | null }>(
    await tx.execute(sql`
      with inserted as (
        insert into events (id, workspace_id, type, version, source, integration_id, connector_id, payload)
        values (${event.id}::uuid, ${event.workspaceId}::uuid, ${event.type}, ${event.version}, ${event.source},
                ${event.integrationId}::uuid, ${event.connectorId}, ${JSON.stringify(event.payload)}::jsonb)
        returning id
      ), targets as (
        select p.id, p.state, p.disabled_reason from webhook_endpoints p
        where p.workspace_id = ${event.workspaceId}::uuid and p.deleted_at is null and ${event.type} <> 'webhook.test'
          and exists (
            select 1 from jsonb_array_elements_text(p.event_types) as f(filter)
            where f.filter = '*' or f.filter = ${event.type}
               or (right(f.filter, 2) = '.*' and starts_with(${event.type}, left(f.filter, -1))))
      )
      insert into webhook_deliveries (id, workspace_id, event_id, endpoint_id, status, job_id, last_error, completed_at)
      select ${UUID_V7}, ${event.workspaceId}::uuid, ${event.id}::uuid, t.id,
             case t.state when 'paused' then 'held' when 'disabled' then 'failed' else 'pending' end,
             case when t.state = 'enabled' then ${UUID_V7} end,
             case when t.state = 'disabled'
                  then 'Not sent: the endpoint is disabled' || coalesce(' (' || t.disabled_reason || ')', '') || '.' end,
             case when t.state = 'disabled' then ${new Date(jobs.clock.now()).toISOString()}::timestamptz end
      from targets t
      returning id, job_id`),
  );
  for (const row of delivered) {
    if (row.job_id) await queueAttempt(jobs, tx, { workspaceId: input.workspaceId, payload: { deliveryId: row.id }, id: row.job_id });
  }
  return { id: event.id, deliveries: delivered.length };
}

/** A UUIDv7 (48-bit millisecond time, then random bits) made by the database: PostgreSQL 15 has no function for it. */
const UUID_V7 = sql.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);

/** Validates and inserts the event row alone (no deliveries). */
export async function insertEvent(tx: Queryable, input: EmitEventInput): Promise<string> {
  const event = checkedEvent(input);
  await tx.insert(events).values(event);
  return event.id;
}

/** The row an event is stored as, after checking its type and payload (a mismatch is the caller's bug: it throws). */
function checkedEvent(input: EmitEventInput): typeof events.$inferInsert & { id: string; payload: Record<string, unknown>; integrationId: string | null; connectorId: string | null } {
  if (!EVENT_TYPE_PATTERN.test(input.type)) throw new Error(`Event type "${input.type}" is not a valid type name`);
  const definition = eventTypeDefinition(input.type);
  if (!definition) throw new Error(`Event type "${input.type}" is not in the catalogue (src/webhooks/catalogue.ts)`);
  const checked = definition.payload.safeParse(input.payload);
  if (!checked.success) {
    throw new Error(`The payload of a ${input.type} event does not match its schema: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  return {
    id: newId(),
    workspaceId: input.workspaceId,
    type: input.type,
    version: definition.version,
    source: input.source,
    integrationId: input.integrationId ?? null,
    connectorId: input.connectorId ?? null,
    payload: checked.data,
  };
}

/**
 * One delivery per endpoint: queued (with its job) when the endpoint is enabled, held while it is
 * paused, and recorded as failed when it is disabled, so re-enabling can offer to replay it.
 */
export async function createDeliveries(
  jobs: EventJobs,
  tx: Queryable,
  input: {
    workspaceId: string;
    eventId: string;
    endpoints: { id: string; state: string; disabledReason: string | null }[];
    /** Create the rows without queueing jobs (the caller sends the first attempt itself). */
    queue?: boolean;
  },
): Promise<string[]> {
  if (input.endpoints.length === 0) return [];
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  const queued: { jobId: string; payload: DeliverPayload }[] = [];
  const now = new Date(jobs.clock.now());
  for (const endpoint of input.endpoints) {
    const id = newId();
    let status: DeliveryStatus = 'pending';
    let jobId: string | null = null;
    let lastError: string | null = null;
    if (endpoint.state === 'paused') {
      status = 'held';
    } else if (endpoint.state === 'disabled') {
      status = 'failed';
      lastError = `Not sent: the endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}.`;
    } else if (input.queue !== false) {
      // The job's id is chosen here so the delivery row can name it in the same insert.
      jobId = newId();
      queued.push({ jobId, payload: { deliveryId: id } });
    }
    rows.push({ id, workspaceId: input.workspaceId, eventId: input.eventId, endpointId: endpoint.id, status, jobId, lastError, completedAt: status === 'failed' ? now : null });
  }
  await tx.insert(webhookDeliveries).values(rows);
  for (const job of queued) await queueAttempt(jobs, tx, { workspaceId: input.workspaceId, payload: job.payload, id: job.jobId });
  return rows.map((row) => row.id!);
}
