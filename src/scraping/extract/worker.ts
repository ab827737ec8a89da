// The extraction thread: prepares pages sent by the pool (pool.ts), off the thread that runs the database
// and the network.
import { parentPort } from 'node:worker_threads';
import type { ExtractOptions } from './page.ts';
import { preparePage, type ChunkingOptions } from './prepare.ts';

parentPort!.on('message', (message: { id: number; html: string; options: ExtractOptions; chunking: ChunkingOptions | null }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: preparePage(message.html, message.options, message.chunking) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
