// The hub's own periodic clean-up: expired idempotency keys and dashboard sessions, and fresh planner
// statistics for the job tables (the engine analyzes them when their size changes; this catches a change of
// mix at a steady size, e.g. where autovacuum is off).
import { lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/database.ts';
import { sessions } from './db/schema.ts';
import { createIdempotency } from './http/idempotency.ts';
import { defineJob } from './jobs/define.ts';
import { refreshJobStatistics } from './jobs/statistics.ts';

export function housekeepingJobs(db: Db) {
  return [
    defineJob({
      name: 'platform.housekeeping',
      payload: z.object({}).passthrough(),
      cron: '17 * * * *',
      retry: { limit: 2, delaySeconds: 60 },
      async handler() {
        const idempotencyKeys = await createIdempotency(db).prune();
        const expired = await db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id });
        const statistics = await refreshJobStatistics(db, { force: true });
        return { idempotencyKeys, sessions: expired.length, analyzed: statistics.analyzed };
      },
    }),
  ];
}
