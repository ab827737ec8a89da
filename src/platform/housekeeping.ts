// The hub's own periodic clean-up: expired idempotency keys and dashboard sessions.
import { lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db/database.ts';
import { sessions } from './db/schema.ts';
import { createIdempotency } from './http/idempotency.ts';
import { defineJob } from './jobs/define.ts';

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
        return { idempotencyKeys, sessions: expired.length };
      },
    }),
  ];
}
