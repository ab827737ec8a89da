// The job view returned by /api/v1/jobs, shared by server, tests and dashboard.
import { z } from 'zod';
import { JOB_STATES, type JobView } from '../platform/jobs/engine.ts';
import { iso, isoDate } from '../platform/http/pagination.ts';

export const jobView = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(JOB_STATES),
  attempt: z.number(),
  maxAttempts: z.number(),
  payload: z.unknown(),
  output: z.unknown(),
  createdAt: isoDate,
  startAfter: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  progress: z
    .object({
      step: z.string().nullable(),
      processed: z.number(),
      total: z.number().nullable(),
      percentage: z.number().nullable(),
      etaSeconds: z.number().nullable(),
      message: z.string().nullable(),
      updatedAt: isoDate,
    })
    .nullable(),
});

export function toJobResponse(job: JobView): z.infer<typeof jobView> {
  return {
    id: job.id,
    type: job.type,
    state: job.state,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    payload: job.payload,
    output: job.output,
    createdAt: iso(job.createdAt) as string,
    startAfter: iso(job.startAfter) as string,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    progress: job.progress ? { ...job.progress, updatedAt: iso(job.progress.updatedAt) as string } : null,
  };
}
