// The sync capability's jobs: one attempt of a run, the per-minute scheduler (and orphan reaper), and the
// hourly pruning of history. Handlers reach the hub through a getter: its context is assembled after the
// job engine that runs them.
import { z } from 'zod';
import type { HubContext } from '../platform/hub-context.ts';
import { defineJob, type JobDefinition } from '../platform/jobs/define.ts';
import { runSyncAttempt } from './engine.ts';
import { RUN_JOB, runJobPayload } from './runs.ts';
import { pruneSyncHistory, reapOrphanedRuns, scheduleDueSyncs } from './schedule.ts';

export function syncJobs(hub: () => HubContext): JobDefinition<any>[] {
  return [
    defineJob({
      name: RUN_JOB,
      payload: runJobPayload,
      // Provider failures follow the run's own schedule (1, 2, 4, 8, 16 minutes: each retry is a new job). The
      // job layer's retries only repeat an attempt whose worker died or timed out; it resumes from the checkpoint.
      retry: { limit: 5, delaySeconds: 10, backoff: true, maxDelaySeconds: 300 },
      // A run holds its fetch loop for as long as it reads: several loops, so one long sync does not hold others.
      concurrency: 4,
      batchSize: 2,
      timeoutSeconds: 3600,
      retentionDays: 7,
      handler: (payload, ctx) => runSyncAttempt(hub(), payload.runId, ctx),
    }),
    defineJob({
      name: 'syncs.schedule',
      payload: z.object({}).passthrough(),
      cron: '* * * * *',
      retry: { limit: 0 },
      timeoutSeconds: 120,
      retentionDays: 1,
      async handler() {
        const context = hub();
        const reaped = await reapOrphanedRuns(context);
        return { ...(await scheduleDueSyncs(context)), reaped };
      },
    }),
    defineJob({
      name: 'syncs.prune',
      payload: z.object({}).passthrough(),
      cron: '23 * * * *',
      retry: { limit: 2 },
      timeoutSeconds: 600,
      retentionDays: 1,
      handler: async () => pruneSyncHistory(hub()),
    }),
  ];
}
