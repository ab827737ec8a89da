// How a capability declares a kind of background work: a named queue with a typed payload, a handler,
// and its retry, concurrency and timeout policy. The engine (./engine.ts) runs them on pg-boss.
import type { z } from 'zod';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  limit: number;
  /** Delay before the first retry, in seconds. */
  delaySeconds: number;
  /** Double the delay on each retry, with jitter (pg-boss's backoff: between d·2ⁿ⁻¹ and d·2ⁿ). */
  backoff: boolean;
  /** Upper bound of a backed-off delay, in seconds. */
  maxDelaySeconds?: number;
}

export interface ProgressUpdate {
  step?: string;
  processed?: number;
  total?: number | null;
  message?: string;
}

export interface JobContext {
  jobId: string;
  /** The workspace the job belongs to; null for the hub's own housekeeping jobs. */
  workspaceId: string | null;
  /** 0 on the first attempt. */
  attempt: number;
  /** Aborted when the job is cancelled, times out, or the worker shuts down: stop and return. */
  signal: AbortSignal;
  /** Records progress readable at GET /api/v1/jobs/:id (percentage, step, processed/total, ETA). */
  progress(update: ProgressUpdate): Promise<void>;
}

export interface JobDefinition<Payload = unknown> {
  /** Queue name, `capability.verb` (letters, digits, dots, dashes, underscores). */
  name: string;
  payload: z.ZodType<Payload>;
  handler(payload: Payload, context: JobContext): Promise<unknown>;
  retry: RetryPolicy;
  /** Fetch loops per worker process. Default: SWITCHBOARD_WORKER_CONCURRENCY. */
  concurrency?: number;
  /**
   * Jobs each loop fetches and runs together; a process runs up to concurrency × batchSize jobs of this
   * type at once. At least 2, so a backlog drains without waiting for the poll interval. Default 2.
   */
  batchSize: number;
  /** Seconds an attempt may run before it is aborted and counted as failed. Default 900. */
  timeoutSeconds: number;
  /** A cron expression (UTC) on which the engine sends this job with an empty payload. */
  cron?: string;
  /** Days a finished job stays inspectable. Default 7. */
  retentionDays: number;
}

const QUEUE_NAME = /^[a-z][a-z0-9_.-]{1,62}$/;

/** Declares a job type; defaults: retry 3 times from 5 s with backoff, 15 min timeout, kept 7 days. */
export function defineJob<Payload>(definition: {
  name: string;
  payload: z.ZodType<Payload>;
  handler(payload: Payload, context: JobContext): Promise<unknown>;
  retry?: Partial<RetryPolicy>;
  concurrency?: number;
  batchSize?: number;
  timeoutSeconds?: number;
  cron?: string;
  retentionDays?: number;
}): JobDefinition<Payload> {
  if (!QUEUE_NAME.test(definition.name)) {
    throw new Error(`Job name "${definition.name}" must match ${QUEUE_NAME}`);
  }
  return {
    ...definition,
    retry: { limit: 3, delaySeconds: 5, backoff: true, ...definition.retry },
    batchSize: Math.max(2, definition.batchSize ?? 2),
    timeoutSeconds: definition.timeoutSeconds ?? 900,
    retentionDays: definition.retentionDays ?? 7,
  };
}

/** Thrown by a handler for a failure that another attempt cannot fix: the job fails without retrying. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
