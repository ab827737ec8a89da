// Pruning of the webhook history: attempt logs after SWITCHBOARD_WEBHOOK_ATTEMPT_RETENTION_DAYS, events
// (with their deliveries) and received provider webhooks after SWITCHBOARD_EVENT_RETENTION_DAYS.
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/database.ts';

// Deleted in slices, each its own statement, so a large backlog never holds locks for long.
const SLICE = 5000;

export interface PruneResult {
  attempts: number;
  events: number;
  inbound: number;
}

export async function pruneWebhookHistory(db: Db, options: { now: number; attemptDays: number; eventDays: number }): Promise<PruneResult> {
  const attemptsBefore = new Date(options.now - options.attemptDays * 86_400_000).toISOString();
  const eventsBefore = new Date(options.now - options.eventDays * 86_400_000).toISOString();
  return {
    attempts: await deleteInSlices(db, sql`delete from webhook_attempts where id in (
      select id from webhook_attempts where started_at < ${attemptsBefore}::timestamptz limit ${SLICE}) returning 1`),
    // A delivery still waiting (an endpoint paused for months) goes with its event: nothing waits forever.
    events: await deleteInSlices(db, sql`delete from events where id in (
      select id from events where created_at < ${eventsBefore}::timestamptz limit ${SLICE}) returning 1`),
    inbound: await deleteInSlices(db, sql`delete from inbound_webhooks where id in (
      select id from inbound_webhooks where received_at < ${eventsBefore}::timestamptz limit ${SLICE}) returning 1`),
  };
}

async function deleteInSlices(db: Db, statement: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(statement);
    const count = (result as unknown as { rows: unknown[] }).rows.length;
    total += count;
    if (count < SLICE) return total;
  }
}
