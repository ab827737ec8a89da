// The job layer every capability uses: typed job definitions run on pg-boss, in-process on PGlite or
// across any number of worker processes on PostgreSQL (row locks and SKIP LOCKED: no job runs twice).
// `send` can join the caller's transaction, so the job table is the outbox for the row that caused it.
import { sql } from 'drizzle-orm';
import { PgBoss, fromDrizzle, fromPglite, systemClock, type Clock, type JobResult, type JobWithMetadata } from 'pg-boss';
import type { Logger } from 'pino';
import { rowsOf, type DatabaseHandle, type Queryable } from '../db/database.ts';
import { jobProgress } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { PermanentJobError, type JobContext, type JobDefinition, type ProgressUpdate } from './define.ts';
import { refreshJobStatistics } from './statistics.ts';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What pg-boss stores as a job's data: the workspace it belongs to and the definition's payload. */
interface JobData {
  workspaceId: string | null;
  payload: unknown;
}

export interface SendOptions {
  workspaceId: string | null;
  /** Join this transaction: a rollback drops the job with the rows written beside it. */
  tx?: Queryable;
  startAfter?: Date | number;
  /** At most one queued-or-active job with this key per queue. */
  singletonKey?: string;
  /** The job's id (a UUID), when the caller must know it before the send, e.g. to store it in the same statement. */
  id?: string;
}

export interface JobView {
  id: string;
  type: string;
  state: JobState;
  workspaceId: string | null;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
  createdAt: Date;
  startAfter: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  output: unknown;
  progress: {
    step: string | null;
    processed: number;
    total: number | null;
    percentage: number | null;
    etaSeconds: number | null;
    message: string | null;
    updatedAt: Date;
  } | null;
}

export interface ListJobsFilter {
  workspaceId: string;
  state?: JobState | undefined;
  type?: string | undefined;
  /** Id of the last job of the previous page. */
  cursor?: string | undefined;
  limit: number;
}

// How often a running job's heartbeat is refreshed. A job cancelled elsewhere is no longer refreshed
// by it, which is how a worker learns of the cancellation: this is the cancellation latency.
const HEARTBEAT_REFRESH_SECONDS = 1;
// A worker that dies (SIGKILL, lost host) stops its heartbeats; its jobs fail after this long (pg-boss's
// minimum) and are retried after their retry delay.
const HEARTBEAT_SECONDS = 10;
// How often a maintenance process looks for lapsed heartbeats and expired jobs (pg-boss's supervise and
// monitor passes). On PostgreSQL every 5 s instead of pg-boss's 60, which left a dead worker's jobs stuck
// for up to 70 s: a dead worker's job now fails 10-15 s after its last heartbeat. Only one process per
// interval runs the pass, whatever the number of workers. Its three statements (queue counts, heartbeat
// and expiry sweeps) each read the job table: on PGlite, whose one connection they would hold for
// 0.3-0.7 s each with 50,000 kept jobs (measured), the default stays; there is no second worker to take
// over there anyway, only the same hub restarted.
const SUPERVISE_SECONDS = { postgres: 5, pglite: 60 } as const;
// How often a maintenance process checks whether pg-boss's tables need fresh planner statistics
// (statistics.ts: a catalogue read; ANALYZE only when a table grew or shrank). Short, because a burst of
// queued jobs without statistics slows every completion until the next check.
const STATISTICS_CHECK_MS = 5_000;
// Progress is written at most this often per job, except when its step changes or it finishes.
const PROGRESS_WRITE_INTERVAL_MS = 250;

export class JobEngine {
  readonly boss: PgBoss;
  /** pg-boss's time and timers; tests pass its TestClock to move scheduled jobs (retries hours away) forward. */
  readonly clock: Clock;
  private readonly definitions = new Map<string, JobDefinition<any>>();
  private readonly database: DatabaseHandle;
  private readonly logger: Logger;
  private readonly defaultConcurrency: number;
  private working = false;
  private readonly maintenance: boolean;
  private statisticsTimer: NodeJS.Timeout | undefined;
  private statisticsCheck: Promise<unknown> | undefined;

  constructor(options: {
    database: DatabaseHandle;
    definitions: JobDefinition<any>[];
    logger: Logger;
    defaultConcurrency: number;
    /** Whether this process runs maintenance (expiry, retention) and cron schedules. */
    maintenance: boolean;
    clock?: Clock;
  }) {
    this.database = options.database;
    this.logger = options.logger;
    this.defaultConcurrency = options.defaultConcurrency;
    this.maintenance = options.maintenance;
    for (const definition of options.definitions) {
      if (this.definitions.has(definition.name)) throw new Error(`Job type ${definition.name} is defined twice`);
      this.definitions.set(definition.name, definition);
    }
    this.clock = options.clock ?? systemClock;
    const common = {
      clock: this.clock,
      useListenNotify: true,
      supervise: options.maintenance,
      superviseIntervalSeconds: SUPERVISE_SECONDS[options.database.kind],
      monitorIntervalSeconds: SUPERVISE_SECONDS[options.database.kind],
      schedule: options.maintenance,
      migrate: true,
    };
    this.boss =
      options.database.kind === 'pglite'
        ? new PgBoss({ ...common, db: fromPglite(options.database.pglite), backend: 'pglite' })
        : new PgBoss({ ...common, connectionString: options.database.connectionString, max: 10 });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job engine error'));
  }

  /** Installs pg-boss's schema, creates a queue per definition and warms pg-boss's queue cache. */
  async start(): Promise<void> {
    await this.boss.start();
    for (const definition of this.definitions.values()) {
      const options = {
        retryLimit: definition.retry.limit,
        retryDelay: definition.retry.delaySeconds,
        retryBackoff: definition.retry.backoff,
        ...(definition.retry.maxDelaySeconds ? { retryDelayMax: definition.retry.maxDelaySeconds } : {}),
        // pg-boss's own expiry is the backstop behind our timeout signal, for workers that died mid-job.
        expireInSeconds: definition.timeoutSeconds + 30,
        deleteAfterSeconds: definition.retentionDays * 86_400,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        notify: true,
      };
      if (await this.boss.getQueue(definition.name)) {
        await this.boss.updateQueue(definition.name, options);
      } else {
        await this.boss.createQueue(definition.name, options);
      }
      // The first lookup of a queue not yet cached queries through pg-boss's own connection. Inside a
      // PGlite transaction (one connection, held by the transaction) that query would wait forever,
      // so every queue is looked up once here, outside any transaction.
      await this.boss.findJobs(definition.name, { id: '00000000-0000-0000-0000-000000000000' });
    }
    if (this.maintenance) {
      // Jobs kept from an earlier run get statistics now; later growth is caught by the periodic check.
      await this.checkStatistics();
      this.statisticsTimer = setInterval(() => void this.checkStatistics(), STATISTICS_CHECK_MS);
      this.statisticsTimer.unref();
    }
  }

  /** Runs ANALYZE on pg-boss's tables when their statistics are missing or stale (see statistics.ts). */
  private async checkStatistics(): Promise<void> {
    if (this.statisticsCheck) return;
    this.statisticsCheck = refreshJobStatistics(this.database.db)
      .then((refresh) => {
        if (refresh.analyzed.length > 0) this.logger.debug({ tables: refresh.analyzed }, 'job tables analyzed');
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not refresh the job tables\' planner statistics'))
      .finally(() => (this.statisticsCheck = undefined));
    await this.statisticsCheck;
  }

  /** Starts handling jobs in this process (the worker role) and registers cron schedules. */
  async work(): Promise<void> {
    this.working = true;
    for (const definition of this.definitions.values()) {
      await this.boss.work(
        definition.name,
        {
          includeMetadata: true,
          perJobResults: true,
          heartbeatRefreshSeconds: HEARTBEAT_REFRESH_SECONDS,
          localConcurrency: definition.concurrency ?? this.defaultConcurrency,
          batchSize: definition.batchSize,
          // While fetches come back full there is a backlog: fetch again at once instead of waiting
          // for the poll interval (pg-boss ignores this for a batch size of 1, hence the minimum of 2).
          burstWhenBatchFull: true,
          pollingIntervalSeconds: 2,
          // With NOTIFY on, pg-boss polls at this slower interval; retries and delayed jobs are not
          // notified, so it must stay short or they wait for it.
          notifyPollingIntervalSeconds: 2,
        },
        async (jobs: JobWithMetadata<JobData>[]) => Promise.all(jobs.map((job) => this.runOne(definition, job))),
      );
      if (definition.cron) {
        await this.boss.schedule(definition.name, definition.cron, { workspaceId: null, payload: {} }, { tz: 'UTC' });
      }
    }
  }

  definition(name: string): JobDefinition<any> | undefined {
    return this.definitions.get(name);
  }

  async send<Payload>(definition: JobDefinition<Payload>, payload: Payload, options: SendOptions): Promise<string> {
    if (this.definitions.get(definition.name) !== definition) {
      throw new Error(`Job type ${definition.name} is not registered with the engine`);
    }
    const checked = definition.payload.parse(payload);
    const data: JobData = { workspaceId: options.workspaceId, payload: checked };
    const id = await this.boss.send(definition.name, data, {
      id: options.id ?? newId(),
      ...(options.tx ? { db: fromDrizzle(options.tx as never, sql as never) } : {}),
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter instanceof Date ? options.startAfter : new Date(options.startAfter) } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    if (!id) throw new Error(`Job ${definition.name} was not queued (a job with this singleton key is already queued)`);
    return id;
  }

  /**
   * Queues many jobs of one type in one statement (pg-boss's `insert`), e.g. the pages a crawl just found:
   * one round trip instead of one per job. No singleton keys here; ids are returned in payload order.
   */
  async sendMany<Payload>(
    definition: JobDefinition<Payload>,
    jobs: { payload: Payload; startAfter?: Date | number }[],
    options: Omit<SendOptions, 'singletonKey' | 'id' | 'startAfter'>,
  ): Promise<string[]> {
    if (this.definitions.get(definition.name) !== definition) {
      throw new Error(`Job type ${definition.name} is not registered with the engine`);
    }
    if (jobs.length === 0) return [];
    const rows = jobs.map((job) => {
      const data: JobData = { workspaceId: options.workspaceId, payload: definition.payload.parse(job.payload) };
      return {
        id: newId(),
        data,
        ...(job.startAfter !== undefined ? { startAfter: job.startAfter instanceof Date ? job.startAfter : new Date(job.startAfter) } : {}),
      };
    });
    await this.boss.insert(definition.name, rows, options.tx ? { db: fromDrizzle(options.tx as never, sql as never) } : {});
    return rows.map((row) => row.id);
  }

  async get(id: string, workspaceId: string): Promise<JobView | null> {
    const rows = await this.selectJobs(sql`j.id = ${id}::uuid and j.data->>'workspaceId' = ${workspaceId}`, 1);
    return rows[0] ?? null;
  }

  async list(filter: ListJobsFilter): Promise<JobView[]> {
    const conditions = [sql`j.data->>'workspaceId' = ${filter.workspaceId}`];
    if (filter.state) conditions.push(sql`j.state = ${filter.state}`);
    if (filter.type) conditions.push(sql`j.name = ${filter.type}`);
    // Jobs sent here get UUIDv7 ids, but cron jobs get pg-boss's random ones: page by (created_on, id).
    if (filter.cursor) {
      conditions.push(
        sql`(j.created_on, j.id) < (select c.created_on, c.id from pgboss.job c where c.id = ${filter.cursor}::uuid)`,
      );
    }
    return this.selectJobs(sql.join(conditions, sql` and `), filter.limit);
  }

  /** Cancels a queued or running job; a running handler sees its signal abort within about a second. */
  async cancel(id: string, workspaceId: string): Promise<JobView | null> {
    const job = await this.get(id, workspaceId);
    if (!job) return null;
    await this.boss.cancel(job.type, id);
    return this.get(id, workspaceId);
  }

  /** Queues a failed or cancelled job again (the dead-letter retry). */
  async retry(id: string, workspaceId: string): Promise<JobView | null> {
    const job = await this.get(id, workspaceId);
    if (!job) return null;
    await this.boss.retry(job.type, id);
    return this.get(id, workspaceId);
  }

  /** Job counts by type and state, for metrics and the dashboard. */
  async counts(): Promise<{ type: string; state: JobState; count: number }[]> {
    return rowsOf<{ type: string; state: JobState; count: number }>(
      await this.database.db.execute(sql`select name as type, state, count(*)::int as count from pgboss.job group by name, state`),
    );
  }

  /** Stops taking jobs; in-flight ones get `timeoutMs` to finish, then are failed (and so retried elsewhere). */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.statisticsTimer);
    await this.statisticsCheck;
    await this.boss.stop({ graceful: this.working, timeout: timeoutMs, close: true });
  }

  private async runOne(definition: JobDefinition<any>, job: JobWithMetadata<JobData>): Promise<JobResult> {
    const data = job.data ?? { workspaceId: null, payload: undefined };
    const parsed = definition.payload.safeParse(data.payload);
    if (!parsed.success) {
      return { id: job.id, status: 'deadletter', output: { error: `invalid payload: ${parsed.error.message}` } };
    }
    const timeout = AbortSignal.timeout(definition.timeoutSeconds * 1000);
    const signal = AbortSignal.any([job.signal, timeout]);
    const context: JobContext = {
      jobId: job.id,
      workspaceId: data.workspaceId,
      attempt: job.retryCount,
      signal,
      progress: this.progressReporter(job.id, definition.name, data.workspaceId),
    };
    try {
      const output = await raceAbort(definition.handler(parsed.data, context), signal);
      return { id: job.id, status: 'completed', output: output ?? null };
    } catch (error) {
      const message = timeout.aborted
        ? `timed out after ${definition.timeoutSeconds} s`
        : error instanceof Error
          ? error.message
          : String(error);
      const permanent = error instanceof PermanentJobError;
      if (!signal.aborted) {
        this.logger.warn({ job: job.id, type: definition.name, attempt: job.retryCount, permanent, err: message }, 'job attempt failed');
      }
      return { id: job.id, status: permanent ? 'deadletter' : 'failed', output: { error: message } };
    }
  }

  private progressReporter(jobId: string, queue: string, workspaceId: string | null): JobContext['progress'] {
    let last: { at: number; processed: number; step: string | null; rate: number | null } | null = null;
    return async (update: ProgressUpdate) => {
      const now = Date.now();
      const processed = update.processed ?? last?.processed ?? 0;
      const step = update.step ?? last?.step ?? null;
      const finished = update.total != null && processed >= update.total;
      if (last && now - last.at < PROGRESS_WRITE_INTERVAL_MS && step === last.step && !finished) return;
      let rate = last?.rate ?? null;
      if (last && now > last.at && processed >= last.processed) {
        const instant = ((processed - last.processed) * 1000) / (now - last.at);
        rate = rate === null ? instant : 0.3 * instant + 0.7 * rate;
      }
      last = { at: now, processed, step, rate };
      const values = {
        step,
        processed,
        ...(update.total !== undefined ? { total: update.total } : {}),
        ratePerSecond: rate,
        ...(update.message !== undefined ? { message: update.message } : {}),
        updatedAt: new Date(now),
      };
      await this.database.db
        .insert(jobProgress)
        .values({ jobId, workspaceId, queue, ...values })
        .onConflictDoUpdate({ target: jobProgress.jobId, set: values });
    };
  }

  private async selectJobs(where: ReturnType<typeof sql>, limit: number): Promise<JobView[]> {
    const result = await this.database.db.execute(sql`
      select j.id, j.name, j.state, j.data, j.retry_count, j.retry_limit, j.created_on, j.start_after,
             j.started_on, j.completed_on, j.output,
             p.step, p.processed, p.total, p.rate_per_second, p.message, p.updated_at
      from pgboss.job j left join job_progress p on p.job_id = j.id
      where ${where}
      order by j.created_on desc, j.id desc
      limit ${limit}`);
    return rowsOf<Record<string, any>>(result).map(toJobView);
  }
}

function toJobView(row: Record<string, any>): JobView {
  const data = (row.data ?? {}) as JobData;
  const processed = row.processed === null || row.processed === undefined ? null : Number(row.processed);
  const total = row.total === null || row.total === undefined ? null : Number(row.total);
  const rate = row.rate_per_second === null ? null : Number(row.rate_per_second);
  return {
    id: row.id,
    type: row.name,
    state: row.state,
    workspaceId: data.workspaceId ?? null,
    payload: data.payload ?? null,
    attempt: Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    createdAt: new Date(row.created_on),
    startAfter: new Date(row.start_after),
    startedAt: row.started_on ? new Date(row.started_on) : null,
    finishedAt: row.completed_on ? new Date(row.completed_on) : null,
    output: row.output ?? null,
    progress:
      processed === null
        ? null
        : {
            step: row.step ?? null,
            processed,
            total,
            percentage: total ? Math.min(100, Math.round((processed / total) * 1000) / 10) : null,
            etaSeconds: total !== null && rate && rate > 0 ? Math.max(0, Math.round((total - processed) / rate)) : null,
            message: row.message ?? null,
            updatedAt: new Date(row.updated_at),
          },
  };
}

/** Settles with the promise, or rejects as soon as the signal aborts (a handler that ignores it cannot hold the job). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
