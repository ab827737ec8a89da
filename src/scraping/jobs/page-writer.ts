// Group commit of ended pages: the page jobs of a process hand their results here and wait; one writer ends
// them together in one transaction (complete-page.ts), so a busy crawl pays one commit, one lock of the scrape
// row and one insert of new page jobs per batch instead of per page. A batch is written when it is full or
// when its first page has waited `lingerMs` (results arriving while a batch commits join the next one). A
// page's job completes only after its batch committed, so a worker that dies loses nothing.
import type { CompletionOutcome, PageCompletion } from './complete-page.ts';

export interface PageWriter {
  /** Resolves once the page's end is committed (with the batch it joined). */
  complete(completion: PageCompletion): Promise<CompletionOutcome>;
}

interface Waiting {
  completion: PageCompletion;
  resolve(outcome: CompletionOutcome): void;
  reject(error: unknown): void;
}

/** Largest batch: bounds one transaction's statements (chunks, bands and jobs of up to this many pages). */
export const MAX_BATCH = 64;
/**
 * How long the first page of a batch waits for others. A page's end costs a transaction of about ten
 * statements whatever the batch size, so gathering pages pays on a busy crawl; a few milliseconds more per
 * page cost a crawl nothing, as long as a worker works on more pages than it fetches at once.
 */
export const LINGER_MS = 50;

export function createPageWriter(
  commit: (completions: PageCompletion[]) => Promise<CompletionOutcome[]>,
  options: { maxBatch?: number; lingerMs?: number } = {},
): PageWriter {
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const lingerMs = options.lingerMs ?? LINGER_MS;
  const queue: (Waiting & { at: number })[] = [];
  let writing = false;
  let timer: NodeJS.Timeout | undefined;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await commit(batch.map((waiting) => waiting.completion));
      batch.forEach((waiting, index) => waiting.resolve(outcomes[index]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One page's bad data must not fail the others: each is written alone, and fails alone.
      for (const waiting of batch) await write([waiting]);
    }
  }

  async function drain(): Promise<void> {
    timer = undefined;
    writing = true;
    try {
      while (queue.length > 0) await write(queue.splice(0, maxBatch));
    } finally {
      writing = false;
    }
  }

  /** Writes now if a batch is full or has waited long enough, else sets a timer for when it will have. */
  function schedule(): void {
    if (writing || queue.length === 0) return;
    const wait = queue.length >= maxBatch ? 0 : queue[0]!.at + lingerMs - performance.now();
    if (wait <= 0) {
      if (timer) clearTimeout(timer);
      void drain().then(schedule);
    } else if (!timer) {
      timer = setTimeout(() => void drain().then(schedule), wait);
    }
  }

  return {
    complete(completion) {
      return new Promise<CompletionOutcome>((resolve, reject) => {
        queue.push({ completion, resolve, reject, at: performance.now() });
        schedule();
      });
    },
  };
}
