// Reads and writes of the delivery worker, batched by group commit: a delivery with its event and
// endpoint in, and out the attempt log, the delivery's new state, its next job and the endpoint's health
// (failing since, disabled after sustained failure or 410, recovered), all in one transaction per batch.
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { emitEvent, type EventJobs } from '../emit.ts';
import { webhookAttempts, type AttemptTrigger, type DeliveryStatus, type EndpointState } from '../tables.ts';
import type { AttemptResult, EventForDelivery } from './attempt.ts';
import { createBatcher } from './batcher.ts';
import { queueAttempt, type DeliverPayload } from './job-payload.ts';
import type { DeliveryOutcome } from './outcome.ts';

export interface EndpointForDelivery {
  id: string;
  workspaceId: string;
  url: string;
  state: EndpointState;
  deleted: boolean;
  disabledReason: string | null;
  rateLimitPerSecond: number | null;
  retrySchedule: number[] | null;
  headers: string | null;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** As loaded: a success needs to clear it only when it was set. */
  failingSince: Date | null;
}

export interface DeliveryContext {
  id: string;
  workspaceId: string;
  status: DeliveryStatus;
  jobId: string | null;
  attemptCount: number;
  scheduleStep: number;
  event: EventForDelivery;
  endpoint: EndpointForDelivery;
}

/** Every write names the job that made it: it applies only while the delivery still points at that job (null: a test send's row). */
export type DeliveryWrite =
  | { kind: 'attempted'; delivery: DeliveryContext; jobId: string | null; trigger: AttemptTrigger; result: AttemptResult; outcome: DeliveryOutcome }
  | { kind: 'held'; delivery: DeliveryContext; jobId: string | null }
  | { kind: 'abandoned'; delivery: DeliveryContext; jobId: string | null; reason: string }
  | { kind: 'deferred'; delivery: DeliveryContext; jobId: string | null; startAfter: Date; payload: DeliverPayload };

/**
 * Whether the write applied (false: a replay or another run had already moved the delivery on), and the
 * job it queued, if any (the delivery's new owner).
 */
export type WriteResult = { applied: boolean; attemptId: string | null; jobId: string | null };

// An endpoint failing for less than this before a success is a blip, not an outage worth an event.
const RECOVERY_EVENT_AFTER_MS = 10 * 60_000;

export interface DeliveryStore {
  load(deliveryId: string): Promise<DeliveryContext | null>;
  write(write: DeliveryWrite): Promise<WriteResult>;
}

export function createDeliveryStore(options: {
  db: Db;
  jobs: EventJobs;
  now: () => number;
  disableAfterMs: number;
  /** Batches written at once (one on PGlite, whose single connection serialises them anyway). */
  concurrency: number;
}): DeliveryStore {
  const loader = createBatcher<string, DeliveryContext | null>({
    maxBatch: 200,
    concurrency: options.concurrency,
    async process(ids) {
      const found = await loadDeliveries(options.db, ids);
      return ids.map((id) => found.get(id) ?? null);
    },
  });
  const writer = createBatcher<DeliveryWrite, WriteResult>({
    maxBatch: 200,
    concurrency: options.concurrency,
    process: (writes) =>
      needsTransaction(writes) ? options.db.transaction((tx) => applyWrites(tx, writes, options)) : applyWrites(options.db, writes, options),
  });
  return { load: (id) => loader.run(id), write: (write) => writer.run(write) };
}

export async function loadDeliveries(db: Queryable, ids: string[]): Promise<Map<string, DeliveryContext>> {
  const result = await db.execute(sql`
    select d.id, d.workspace_id, d.status, d.job_id, d.attempt_count, d.schedule_step,
           e.id as event_id, e.type, e.version, e.source, e.integration_id, e.connector_id, e.payload, e.created_at as event_created_at,
           p.id as endpoint_id, p.url, p.state, p.deleted_at, p.disabled_reason, p.rate_limit_per_second, p.retry_schedule, p.headers,
           p.secret, p.previous_secret, p.previous_secret_expires_at, p.failing_since
    from webhook_deliveries d
    join events e on e.id = d.event_id
    join webhook_endpoints p on p.id = d.endpoint_id
    where d.id = any(${`{${ids.join(',')}}`}::uuid[])`);
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  const json = <T>(value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
  return new Map(
    rowsOf<Record<string, any>>(result).map((row) => [
      row.id as string,
      {
        id: row.id,
        workspaceId: row.workspace_id,
        status: row.status,
        jobId: row.job_id,
        attemptCount: row.attempt_count,
        scheduleStep: row.schedule_step,
        event: {
          id: row.event_id,
          type: row.type,
          version: row.version,
          source: row.source,
          workspaceId: row.workspace_id,
          integrationId: row.integration_id,
          connectorId: row.connector_id,
          payload: json(row.payload),
          createdAt: date(row.event_created_at)!,
        },
        endpoint: {
          id: row.endpoint_id,
          workspaceId: row.workspace_id,
          url: row.url,
          state: row.state,
          deleted: row.deleted_at !== null,
          disabledReason: row.disabled_reason,
          rateLimitPerSecond: row.rate_limit_per_second,
          retrySchedule: json<number[] | null>(row.retry_schedule),
          headers: row.headers,
          secret: row.secret,
          previousSecret: row.previous_secret,
          previousSecretExpiresAt: date(row.previous_secret_expires_at),
          failingSince: date(row.failing_since),
        },
      },
    ]),
  );
}

/**
 * Most batches are all successes to healthy endpoints: their attempts and delivery updates go in one
 * statement (atomic on its own). Retries to queue, deferrals and endpoint health changes need a transaction.
 */
function needsTransaction(writes: DeliveryWrite[]): boolean {
  return writes.some(
    (write) =>
      write.kind === 'deferred' ||
      (write.kind === 'attempted' &&
        (write.outcome.nextAttemptAt !== null ||
          write.outcome.endpointEffect === 'failure' ||
          write.outcome.endpointEffect === 'gone' ||
          (write.outcome.endpointEffect === 'success' && write.delivery.endpoint.failingSince !== null))),
  );
}

interface DeliveryUpdate {
  id: string;
  expectedJobId: string | null;
  status: DeliveryStatus;
  jobId: string | null;
  attempted: boolean;
  scheduleStep: number | null;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  completedAt: Date | null;
}

async function applyWrites(
  tx: Queryable,
  writes: DeliveryWrite[],
  options: { jobs: EventJobs; now: () => number; disableAfterMs: number },
): Promise<WriteResult[]> {
  const now = new Date(options.now());
  const updates: DeliveryUpdate[] = [];
  const attempts: (typeof webhookAttempts.$inferInsert)[] = [];
  const attemptIds: (string | null)[] = [];

  for (const write of writes) {
    const { delivery } = write;
    const base = { id: delivery.id, expectedJobId: write.jobId, attempted: false, scheduleStep: null, lastAttemptAt: null, lastStatus: null };
    if (write.kind === 'attempted') {
      const { result, outcome } = write;
      // The next attempt's job is written with the outcome: a crash cannot lose it.
      const nextJobId = outcome.nextAttemptAt
        ? await queueAttempt(options.jobs, tx, { workspaceId: delivery.workspaceId, payload: { deliveryId: delivery.id }, startAfter: outcome.nextAttemptAt })
        : null;
      const attemptId = newId();
      attemptIds.push(attemptId);
      attempts.push({
        id: attemptId,
        workspaceId: delivery.workspaceId,
        deliveryId: delivery.id,
        endpointId: delivery.endpoint.id,
        attemptNumber: delivery.attemptCount + 1,
        trigger: write.trigger,
        startedAt: result.startedAt,
        latencyMs: result.latencyMs,
        status: result.status,
        errorCode: result.errorCode,
        errorMessage: result.errorMessage,
        requestHeaders: result.requestHeaders,
        responseHeaders: result.responseHeaders,
        responseBody: result.responseBody,
        nextAttemptAt: outcome.nextAttemptAt,
      });
      updates.push({
        ...base,
        status: outcome.status,
        jobId: nextJobId,
        attempted: true,
        scheduleStep: outcome.scheduleStep,
        nextAttemptAt: outcome.nextAttemptAt,
        lastAttemptAt: result.startedAt,
        lastStatus: result.status,
        lastError: outcome.lastError,
        completedAt: outcome.status === 'pending' ? null : now,
      });
      continue;
    }
    attemptIds.push(null);
    if (write.kind === 'held') {
      updates.push({ ...base, status: 'held', jobId: null, nextAttemptAt: null, lastError: null, completedAt: null });
    } else if (write.kind === 'abandoned') {
      updates.push({ ...base, status: 'failed', jobId: null, nextAttemptAt: null, lastError: write.reason, completedAt: now });
    } else {
      const jobId = await queueAttempt(options.jobs, tx, { workspaceId: delivery.workspaceId, payload: write.payload, startAfter: write.startAfter });
      updates.push({ ...base, status: 'pending', jobId, nextAttemptAt: write.startAfter, lastError: null, completedAt: null });
    }
  }

  const applied = await recordAttempts(tx, attempts, updates);
  await applyEndpointEffects(tx, writes, applied, now, options);
  return writes.map((write, i) => ({ applied: applied.has(write.delivery.id), attemptId: attemptIds[i] ?? null, jobId: updates[i]!.jobId }));
}

/**
 * Inserts the attempts and applies the delivery updates in one statement; returns the deliveries updated.
 * Rows travel as two JSON parameters: building hundreds of typed placeholders costs more than the query.
 */
async function recordAttempts(tx: Queryable, attempts: (typeof webhookAttempts.$inferInsert)[], updates: DeliveryUpdate[]): Promise<Set<string>> {
  if (updates.length === 0) return new Set();
  const logged = attempts.map((a) => ({
    id: a.id,
    workspace_id: a.workspaceId,
    delivery_id: a.deliveryId,
    endpoint_id: a.endpointId,
    attempt_number: a.attemptNumber,
    trigger: a.trigger,
    started_at: (a.startedAt as Date).toISOString(),
    latency_ms: a.latencyMs,
    status: a.status ?? null,
    error_code: a.errorCode ?? null,
    error_message: a.errorMessage ?? null,
    request_headers: a.requestHeaders,
    response_headers: a.responseHeaders ?? null,
    response_body: a.responseBody ?? null,
    next_attempt_at: a.nextAttemptAt ? (a.nextAttemptAt as Date).toISOString() : null,
  }));
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const changes = updates.map((u) => ({
    id: u.id,
    expected_job_id: u.expectedJobId,
    status: u.status,
    job_id: u.jobId,
    attempted: u.attempted,
    schedule_step: u.scheduleStep,
    next_attempt_at: iso(u.nextAttemptAt),
    last_attempt_at: iso(u.lastAttemptAt),
    last_status: u.lastStatus,
    last_error: u.lastError,
    completed_at: iso(u.completedAt),
  }));
  const withAttempts =
    logged.length > 0
      ? sql`with logged as (
          insert into webhook_attempts (id, workspace_id, delivery_id, endpoint_id, attempt_number, trigger, started_at, latency_ms,
            status, error_code, error_message, request_headers, response_headers, response_body, next_attempt_at)
          select * from json_to_recordset(${JSON.stringify(logged)}::json) as a(id uuid, workspace_id uuid, delivery_id uuid,
            endpoint_id uuid, attempt_number int, trigger text, started_at timestamptz, latency_ms int, status int, error_code text,
            error_message text, request_headers jsonb, response_headers jsonb, response_body text, next_attempt_at timestamptz)
          returning 1) `
      : sql``;
  // A write made without a job (a test send) carries a null expected job and matches only job-less rows.
  // The id list repeats the recordset's ids for the planner: it guesses 100 rows for a recordset and
  // would hash-join it against a sequential scan of every delivery (measured: 20 ms per batch at 10,000
  // rows, growing with the table); with the list it looks each one up in the primary key.
  const result = await tx.execute(sql`
    ${withAttempts}update webhook_deliveries as d set
      status = v.status,
      job_id = v.job_id,
      attempt_count = d.attempt_count + case when v.attempted then 1 else 0 end,
      schedule_step = coalesce(v.schedule_step, d.schedule_step),
      next_attempt_at = v.next_attempt_at,
      last_attempt_at = case when v.attempted then v.last_attempt_at else d.last_attempt_at end,
      last_status = case when v.attempted then v.last_status else d.last_status end,
      last_error = case when v.attempted or v.last_error is not null then v.last_error else d.last_error end,
      completed_at = v.completed_at
    from json_to_recordset(${JSON.stringify(changes)}::json) as v(id uuid, expected_job_id uuid, status text, job_id uuid,
      attempted boolean, schedule_step int, next_attempt_at timestamptz, last_attempt_at timestamptz, last_status int,
      last_error text, completed_at timestamptz)
    where d.id = v.id and d.job_id is not distinct from v.expected_job_id
      and d.id = any(${`{${updates.map((u) => u.id).join(',')}}`}::uuid[])
    returning d.id`);
  return new Set((result as unknown as { rows: { id: string }[] }).rows.map((row) => row.id));
}

async function applyEndpointEffects(
  tx: Queryable,
  writes: DeliveryWrite[],
  applied: Set<string>,
  now: Date,
  options: { jobs: EventJobs; disableAfterMs: number },
): Promise<void> {
  const byId = new Map<string, EndpointForDelivery>();
  const succeeded = new Set<string>();
  /** Endpoints with a success in this batch; `succeeded` keeps only those that were failing before. */
  const healthy = new Set<string>();
  const failed = new Set<string>();
  const gone = new Set<string>();
  for (const write of writes) {
    if (write.kind !== 'attempted' || !applied.has(write.delivery.id)) continue;
    const endpoint = write.delivery.endpoint;
    byId.set(endpoint.id, endpoint);
    const effect = write.outcome.endpointEffect;
    if (effect === 'success') {
      healthy.add(endpoint.id);
      if (endpoint.failingSince !== null) succeeded.add(endpoint.id);
    } else if (effect === 'gone') {
      gone.add(endpoint.id);
    } else if (effect === 'failure') {
      failed.add(endpoint.id);
    }
  }
  // Sorted, so two workers updating the same endpoints lock them in the same order.
  const ids = (set: Set<string>) => [...set].sort();

  const disabled: { id: string; reason: string; failingSince: Date | null }[] = [];
  if (gone.size > 0) {
    const reason = 'The receiver answered 410 Gone.';
    const rows = await returning<{ id: string; failing_since: Date | null }>(
      tx,
      sql`update webhook_endpoints set state = 'disabled', disabled_reason = ${reason}, disabled_at = ${now.toISOString()}::timestamptz,
            updated_at = now()
          where id in ${inList(ids(gone))} and state <> 'disabled' returning id, failing_since`,
    );
    for (const row of rows) disabled.push({ id: row.id, reason, failingSince: toDate(row.failing_since) });
  }
  // An endpoint with a success in this batch is not failing, whatever else happened to it.
  const failing = ids(failed).filter((id) => !healthy.has(id) && !gone.has(id));
  if (failing.length > 0) {
    await tx.execute(
      sql`update webhook_endpoints set failing_since = ${now.toISOString()}::timestamptz where id in ${inList(failing)} and failing_since is null`,
    );
    const threshold = new Date(now.getTime() - options.disableAfterMs);
    const days = Math.round((options.disableAfterMs / 86_400_000) * 100) / 100;
    const reason = `Every delivery failed for ${days} day${days === 1 ? '' : 's'} (SWITCHBOARD_WEBHOOK_DISABLE_AFTER_DAYS).`;
    const rows = await returning<{ id: string; failing_since: Date | null }>(
      tx,
      sql`update webhook_endpoints set state = 'disabled', disabled_reason = ${reason}, disabled_at = ${now.toISOString()}::timestamptz,
            updated_at = now()
          where id in ${inList(failing)} and state = 'enabled' and deleted_at is null
            and failing_since <= ${threshold.toISOString()}::timestamptz
          returning id, failing_since`,
    );
    for (const row of rows) disabled.push({ id: row.id, reason, failingSince: toDate(row.failing_since) });
  }
  if (succeeded.size > 0) {
    // Only rows that were failing match, so a healthy endpoint's row is never locked by deliveries.
    const rows = await returning<{ id: string; failing_since: Date | null }>(
      tx,
      sql`update webhook_endpoints as e set failing_since = null
          from (select id, failing_since from webhook_endpoints where id in ${inList(ids(succeeded))} and failing_since is not null for update) as before
          where e.id = before.id
          returning e.id, before.failing_since`,
    );
    for (const row of rows) {
      const since = toDate(row.failing_since);
      const endpoint = byId.get(row.id);
      if (!endpoint || !since || now.getTime() - since.getTime() < RECOVERY_EVENT_AFTER_MS) continue;
      await emitEvent(options.jobs, tx, {
        workspaceId: endpoint.workspaceId,
        type: 'endpoint.recovered',
        source: 'api',
        payload: { endpointId: endpoint.id, url: endpoint.url, failingSince: since.toISOString() },
      });
    }
  }
  for (const entry of disabled) {
    const endpoint = byId.get(entry.id)!;
    await emitEvent(options.jobs, tx, {
      workspaceId: endpoint.workspaceId,
      type: 'endpoint.disabled',
      source: 'api',
      payload: { endpointId: endpoint.id, url: endpoint.url, reason: entry.reason, failingSince: entry.failingSince?.toISOString() ?? null },
    });
  }
}

function inList(ids: string[]): SQL {
  return sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

async function returning<T>(tx: Queryable, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

function toDate(value: Date | string | null): Date | null {
  return value === null ? null : value instanceof Date ? value : new Date(value);
}
