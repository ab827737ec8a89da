// Page preparation on worker threads: Readability, Markdown and chunking are the CPU-heavy part of a page; the
// thread running jobs also runs the embedded database, so this work goes to the other cores. On a single
// core it runs inline (a thread would only add copying).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractOptions } from './page.ts';
import { preparePage, type ChunkingOptions, type PreparedPage } from './prepare.ts';

export interface ExtractionPool {
  prepare(html: string, options: ExtractOptions, chunking: ChunkingOptions | null): Promise<PreparedPage>;
  close(): Promise<void>;
}

interface Pending {
  resolve(value: PreparedPage): void;
  reject(error: Error): void;
}

/** Threads: one fewer than the cores (the main thread keeps one), at most 4. */
export function defaultThreads(): number {
  return Math.max(0, Math.min(4, os.availableParallelism() - 1));
}

export function createExtractionPool(threads = defaultThreads()): ExtractionPool {
  if (threads === 0) {
    return { prepare: async (html, options, chunking) => preparePage(html, options, chunking), close: async () => {} };
  }
  const workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (index: number) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    // An idle pool must not keep the process alive.
    worker.unref();
    const slot = { worker, pending: new Map<number, Pending>() };
    worker.on('message', (message: { id: number; result?: PreparedPage; error?: string }) => {
      const waiting = slot.pending.get(message.id);
      slot.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result!);
    });
    const fail = (error: Error) => {
      for (const waiting of slot.pending.values()) waiting.reject(error);
      slot.pending.clear();
      // A thread that died (out of memory on a monstrous page) is replaced for the next pages.
      if (!closed) spawn(index);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed && code !== 0) fail(new Error(`the extraction thread exited with code ${code}`));
    });
    workers[index] = slot;
  };
  // Threads start with the first page, so API-only processes never start them.
  const ensureStarted = () => {
    if (workers.length === 0) for (let index = 0; index < threads; index++) spawn(index);
  };

  return {
    prepare(html, options, chunking) {
      ensureStarted();
      // The least busy thread takes the page.
      const slot = workers.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
      const id = ++nextId;
      return new Promise<PreparedPage>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({
          id,
          html,
          options: { ...options, includeSelectors: [...options.includeSelectors], excludeSelectors: [...options.excludeSelectors] },
          chunking,
        });
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((slot) => slot.worker.terminate()));
    },
  };
}
