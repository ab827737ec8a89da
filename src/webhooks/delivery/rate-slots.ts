// Rate limits per endpoint as send slots: each delivery reserves the endpoint's next free slot (1/rate s
// apart, one row update) and, when that is in the future, goes back to the queue until then. A backlog
// for a slow-rate endpoint so waits in the job table, not in worker slots, and across every worker.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.ts';

/** Slots closer than this are taken at once: the client's rate budget absorbs the difference. */
export const SLOT_SLACK_MS = 250;

/** The start of the slot reserved for one send to the endpoint, in ms since the epoch. */
export async function reserveSlot(db: Queryable, endpointId: string, perSecond: number, now: number): Promise<number> {
  const spacing = 1 / perSecond;
  const at = new Date(now).toISOString();
  const result = await db.execute(sql`
    update webhook_endpoints
    set rate_slot_at = greatest(coalesce(rate_slot_at, ${at}::timestamptz), ${at}::timestamptz) + make_interval(secs => ${spacing}::float8)
    where id = ${endpointId}::uuid
    returning rate_slot_at`);
  const row = (result as unknown as { rows: { rate_slot_at: Date | string }[] }).rows[0];
  if (!row) return now;
  return new Date(row.rate_slot_at).getTime() - spacing * 1000;
}
