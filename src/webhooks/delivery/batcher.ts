// Group commit: concurrent callers each hand over one item and wait; items that arrive while a batch is
// being written go together in the next one. Deliveries finishing at once share one query instead of
// queueing for connections one statement at a time.

export interface Batcher<T, R> {
  /** Resolves with this item's result once its batch is done; rejects if the batch fails. */
  run(item: T): Promise<R>;
}

export function createBatcher<T, R>(options: {
  /** Returns one result per item, in order. */
  process: (items: T[]) => Promise<R[]>;
  maxBatch: number;
  /** Batches in progress at once. */
  concurrency: number;
}): Batcher<T, R> {
  const queue: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;

  const pump = () => {
    scheduled = false;
    while (running < options.concurrency && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      running += 1;
      options
        .process(batch.map((entry) => entry.item))
        .then(
          (results) => batch.forEach((entry, i) => entry.resolve(results[i]!)),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          running -= 1;
          pump();
        });
    }
  };

  return {
    run(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Wait one turn of the event loop so callers resolving together land in one batch.
        if (!scheduled && running < options.concurrency) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
