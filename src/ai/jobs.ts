// The AI capability's background work: the hourly rollup of finished days and the pruning of old ledger rows.
import { z } from 'zod';
import type { HubContext } from '../platform/hub-context.ts';
import { defineJob, type JobDefinition } from '../platform/jobs/define.ts';
import { aiRuntime } from './runtime.ts';
import { pruneLedger, rollUpDays } from './usage/rollup.ts';

export const ROLLUP_JOB = 'ai.usage-rollup';

export function aiJobs(hub: () => HubContext): JobDefinition<any>[] {
  return [
    defineJob({
      name: ROLLUP_JOB,
      payload: z.object({}).passthrough(),
      cron: '7 * * * *',
      retry: { limit: 3, delaySeconds: 60 },
      timeoutSeconds: 600,
      async handler() {
        const context = hub();
        // Rows this node still holds in memory belong to today; storing them first keeps the order simple.
        await (await aiRuntime(context)).ledger.flush();
        const now = new Date();
        const days = await rollUpDays(context.db, now);
        const pruned = await pruneLedger(context.db, now, context.config.aiUsageRetentionDays);
        return { days, pruned };
      },
    }),
  ];
}
