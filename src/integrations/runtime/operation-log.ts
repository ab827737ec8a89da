// The operation log's writer: provider calls are queued in memory and stored many rows per statement, a
// moment after the answer, so an action or proxy call costs no database write of its own (on the embedded
// database every write is a commit on the request thread). Reads of the log flush it first, so this
// process always reads its own calls; a crash loses at most the last FLUSH_DELAY_MS of rows.
import type { HubContext } from '../../platform/hub-context.ts';
import { integrationOperations } from '../tables.ts';

type OperationRow = typeof integrationOperations.$inferInsert;

/** Rows wait at most this long before they are stored. */
const FLUSH_DELAY_MS = 200;
/** A queue this long is stored at once. */
const MAX_BATCH = 500;

export interface OperationLog {
  record(row: OperationRow): void;
  /** Stores everything queued so far (and waits for a store in progress). */
  flush(): Promise<void>;
}

export function createOperationLog(hub: Pick<HubContext, 'db' | 'logger'>): OperationLog {
  let queue: OperationRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  function store(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const rows = queue;
    queue = [];
    if (rows.length === 0) return writing;
    writing = writing.then(async () => {
      for (let start = 0; start < rows.length; start += MAX_BATCH) {
        const batch = rows.slice(start, start + MAX_BATCH);
        await hub.db
          .insert(integrationOperations)
          .values(batch)
          .catch((error: unknown) => hub.logger.warn({ err: error, rows: batch.length }, 'could not record integration operations'));
      }
    });
    return writing;
  }

  return {
    record(row) {
      queue.push(row);
      if (queue.length >= MAX_BATCH) void store();
      else if (!timer) {
        timer = setTimeout(() => void store(), FLUSH_DELAY_MS);
        // A queued row must not keep a finished process alive; shutdown flushes explicitly.
        timer.unref();
      }
    },
    flush: store,
  };
}

const logs = new WeakMap<object, OperationLog>();

/** This hub's writer (keyed by its database handle, which exists once per hub). */
export function operationLogOf(hub: Pick<HubContext, 'db' | 'logger'>): OperationLog {
  let log = logs.get(hub.db);
  if (!log) {
    log = createOperationLog(hub);
    logs.set(hub.db, log);
  }
  return log;
}
