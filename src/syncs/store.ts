// The records store: upserts that skip unchanged records by content hash and keep a change history, both
// in one statement per batch; deletions (told by the provider, or detected after a complete full run);
// and KPI metric points.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MetricPoint, UpsertCounts } from '../connectors/sdk/sync.ts';
import { rowsOf, type Queryable } from '../platform/db/database.ts';

export interface RecordScope {
  workspaceId: string;
  integrationId: string;
  model: string;
  /** The run writing (kept on records and history rows); its counters are advanced in the same statement. */
  runId: string | null;
  /** Full runs remember every id they saw, so what they did not see can be marked deleted at the end. */
  trackSeen: boolean;
  /** The time written on changes (the job clock's, so tests can move it). */
  now: Date;
}

export interface StoredRecord {
  externalId: string;
  data: unknown;
}

/**
 * JSON with object keys sorted, so two equal records hash the same whatever order the provider used. Written
 * out by hand rather than through a JSON.stringify replacer that rebuilt every object (that took a quarter of
 * an upsert's time); the output is the same text: keys that are array indexes first in numeric order (as
 * JavaScript enumerates them), then the others by UTF-16 code unit, values as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  return writeCanonical(value, false) ?? 'null';
}

function writeCanonical(value: unknown, inArray: boolean): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      // What JSON.stringify does with a bigint: refuse it.
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (JSON.stringify's rules).
      return inArray ? 'null' : undefined;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (writeCanonical(value[i], true) ?? 'null');
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Object.keys lists array-index keys first, in numeric order; only the rest need sorting.
  let indexKeys = 0;
  while (indexKeys < keys.length && isArrayIndex(keys[indexKeys]!)) indexKeys++;
  const ordered = indexKeys === 0 ? keys.sort() : [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
  let out = '{';
  let first = true;
  for (const key of ordered) {
    const written = writeCanonical(object[key], false);
    if (written === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${written}`;
    first = false;
  }
  return `${out}}`;
}

function isArrayIndex(key: string): boolean {
  if (key === '0') return true;
  if (key.length > 10 || key.charCodeAt(0) < 49 || key.charCodeAt(0) > 57) return false;
  for (let i = 1; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return Number(key) < 4294967295;
}

export function contentHash(data: unknown): string {
  return hashOf(canonicalJson(data));
}

function hashOf(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

const SEQ = sql.raw(`nextval(pg_get_serial_sequence('sync_records', 'seq'))`);

/**
 * Stores a batch in one statement: new and changed records are written with a history row each, unchanged
 * ones (same content hash, not deleted) are not touched. A later item with the same id wins.
 */
export async function upsertRecords(db: Queryable, scope: RecordScope, batch: StoredRecord[]): Promise<UpsertCounts> {
  if (batch.length === 0) return { added: 0, updated: 0, unchanged: 0 };
  // The canonical text is hashed and also sent as the record's data, so each record is serialised once.
  const byId = new Map<string, string>();
  for (const record of batch) {
    const canonical = canonicalJson(record.data);
    byId.set(record.externalId, `{"i":${JSON.stringify(record.externalId)},"h":"${hashOf(canonical)}","d":${canonical}}`);
  }
  const input = `[${[...byId.values()].join(',')}]`;
  const now = scope.now.toISOString();
  const seen = scope.trackSeen && scope.runId
    ? sql`, seen as (insert into sync_run_seen (run_id, external_id) select ${scope.runId}::uuid, i from input on conflict do nothing)`
    : sql``;
  const runCounters = scope.runId
    ? sql`, counters as (
        update sync_runs set added = added + (select count(*) from written where last_change = 'added'),
                             updated = updated + (select count(*) from written where last_change = 'updated'),
                             unchanged = unchanged + ${byId.size} - (select count(*) from written),
                             updated_at = ${now}::timestamptz
        where id = ${scope.runId}::uuid)`
    : sql``;
  // The record key arbitrates: a new id is inserted, a known one is updated only when its hash differs or it
  // was deleted (an unchanged row is only locked for the statement, not rewritten, so its paging position stays). The update keeps the hash it
  // replaces in previous_hash and says in last_change whether the record came back (added) or changed
  // (updated), so the history rows are made from what the insert returns, with no lookup before it.
  const result = await db.execute(sql`
    with input as (
      select e->>'i' as i, e->>'h' as h, e->'d' as d from jsonb_array_elements(${input}::jsonb) e
    ), written as (
      insert into sync_records (workspace_id, integration_id, model, external_id, data, content_hash, last_change, first_seen_at, modified_at, last_run_id)
      select ${scope.workspaceId}::uuid, ${scope.integrationId}::uuid, ${scope.model}, input.i, input.d, input.h, 'added',
             ${now}::timestamptz, ${now}::timestamptz, ${scope.runId}::uuid
      from input
      on conflict (workspace_id, integration_id, model, external_id) do update set
        seq = ${SEQ}, data = excluded.data, content_hash = excluded.content_hash, previous_hash = sync_records.content_hash,
        last_change = case when sync_records.deleted_at is null then 'updated' else 'added' end,
        deleted_at = null, modified_at = excluded.modified_at, last_run_id = excluded.last_run_id
      where sync_records.content_hash <> excluded.content_hash or sync_records.deleted_at is not null
      returning external_id, content_hash, previous_hash, last_change
    ), history as (
      insert into sync_record_changes (workspace_id, integration_id, model, external_id, kind, content_hash, previous_hash, run_id, changed_at)
      select ${scope.workspaceId}::uuid, ${scope.integrationId}::uuid, ${scope.model}, w.external_id, w.last_change, w.content_hash, w.previous_hash,
             ${scope.runId}::uuid, ${now}::timestamptz
      from written w
    )${seen}${runCounters}
    select (select count(*) from written where last_change = 'added')::int as added,
           (select count(*) from written where last_change = 'updated')::int as updated`);
  const [row] = rowsOf<{ added: number; updated: number }>(result);
  const added = Number(row?.added ?? 0);
  const updated = Number(row?.updated ?? 0);
  return { added, updated, unchanged: byId.size - added - updated };
}

/** Marks records deleted (with a history row each); ids that are unknown or already deleted are skipped. */
export async function markRecordsDeleted(db: Queryable, scope: RecordScope, externalIds: string[]): Promise<number> {
  if (externalIds.length === 0) return 0;
  return markDeletedWhere(db, scope, sql`r.external_id in (select jsonb_array_elements_text(${JSON.stringify([...new Set(externalIds)])}::jsonb))`);
}

/** After a complete full run: every live record of the model the run did not see is marked deleted. */
export async function markUnseenDeleted(db: Queryable, scope: RecordScope & { runId: string }): Promise<number> {
  const deleted = await markDeletedWhere(db, scope, sql`not exists (select 1 from sync_run_seen s where s.run_id = ${scope.runId}::uuid and s.external_id = r.external_id)`);
  await db.execute(sql`delete from sync_run_seen where run_id = ${scope.runId}::uuid`);
  return deleted;
}

async function markDeletedWhere(db: Queryable, scope: RecordScope, condition: ReturnType<typeof sql>): Promise<number> {
  const now = scope.now.toISOString();
  const runCounters = scope.runId
    ? sql`, counters as (update sync_runs set deleted = deleted + (select count(*) from gone), updated_at = ${now}::timestamptz where id = ${scope.runId}::uuid)`
    : sql``;
  const result = await db.execute(sql`
    with gone as (
      update sync_records r set seq = ${SEQ}, deleted_at = ${now}::timestamptz, modified_at = ${now}::timestamptz,
                                last_change = 'deleted', last_run_id = ${scope.runId}::uuid
      where r.workspace_id = ${scope.workspaceId}::uuid and r.integration_id = ${scope.integrationId}::uuid
        and r.model = ${scope.model} and r.deleted_at is null and ${condition}
      returning r.external_id, r.content_hash
    ), history as (
      insert into sync_record_changes (workspace_id, integration_id, model, external_id, kind, content_hash, previous_hash, run_id, changed_at)
      select ${scope.workspaceId}::uuid, ${scope.integrationId}::uuid, ${scope.model}, g.external_id, 'deleted', null, g.content_hash,
             ${scope.runId}::uuid, ${now}::timestamptz
      from gone g
    )${runCounters}
    select count(*)::int as deleted from gone`);
  return Number(rowsOf<{ deleted: number }>(result)[0]?.deleted ?? 0);
}

/** Writes KPI values; the same integration, metric, date and dimensions replace the earlier value. */
export async function recordMetrics(
  db: Queryable,
  scope: { workspaceId: string; integrationId: string; runId: string | null; now: Date },
  points: MetricPoint[],
): Promise<void> {
  if (points.length === 0) return;
  const byKey = new Map<string, { m: string; d: string; x: Record<string, string>; v: number; u: string }>();
  for (const point of points) {
    const dimensions = point.dimensions ?? {};
    byKey.set(`${point.metric}|${point.date}|${canonicalJson(dimensions)}`, { m: point.metric, d: point.date, x: dimensions, v: point.value, u: point.unit });
  }
  await db.execute(sql`
    insert into kpi_metrics (workspace_id, integration_id, metric, date, dimensions, value, unit, run_id, updated_at)
    select ${scope.workspaceId}::uuid, ${scope.integrationId}::uuid, e->>'m', (e->>'d')::date, e->'x', (e->>'v')::double precision, e->>'u',
           ${scope.runId}::uuid, ${scope.now.toISOString()}::timestamptz
    from jsonb_array_elements(${JSON.stringify([...byKey.values()])}::jsonb) e
    on conflict (workspace_id, integration_id, metric, date, dimensions) do update set
      value = excluded.value, unit = excluded.unit, run_id = excluded.run_id, updated_at = excluded.updated_at`);
}
