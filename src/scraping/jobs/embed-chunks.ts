// Finds a vector for each chunk of a page: one already stored for the same content and model is reused (a
// re-crawl re-embeds only what changed); the rest come from the extraction thread (lexical model) or the
// scrape's integration.
import type { HubContext } from '../../platform/hub-context.ts';
import { EmbeddingError, integrationEmbedder, lexicalEmbedder, type Embedder } from '../embed/embedder.ts';
import type { PreparedChunk } from '../extract/prepare.ts';
import type { ScrapeOptions } from '../contracts.ts';
import type { ScrapingRuntime } from '../runtime.ts';
import type { ScrapeStep } from '../tables.ts';
import type { PageResult } from './complete-page.ts';

export async function embedderFor(hub: HubContext, runtime: ScrapingRuntime, workspaceId: string, options: ScrapeOptions['embeddings']): Promise<Embedder | null> {
  if (options.provider === 'none') return null;
  if (options.provider === 'lexical') return lexicalEmbedder;
  return integrationEmbedder(hub, {
    workspaceId,
    integrationId: options.integrationId!,
    model: options.model,
    batchSize: options.batchSize,
    clock: runtime.clock,
  });
}

export async function embedChunks(
  hub: HubContext,
  runtime: ScrapingRuntime,
  page: { workspaceId: string; options: ScrapeOptions },
  chunks: PreparedChunk[],
  signal: AbortSignal,
  onStep: (step: ScrapeStep) => void,
): Promise<Pick<PageResult, 'chunks' | 'vectors' | 'embeddingModel' | 'errorCode' | 'error'>> {
  let embedder: Embedder | null;
  try {
    embedder = await embedderFor(hub, runtime, page.workspaceId, page.options.embeddings);
  } catch (error) {
    return withoutVectors(chunks, error);
  }
  if (!embedder || chunks.length === 0) return { chunks: chunks.map((chunk) => ({ ...chunk, embeddingModel: null })), vectors: [], embeddingModel: null };
  onStep('embed');
  const known = await runtime.vectors.existing(hub.db, page.workspaceId, embedder.model, chunks.map((chunk) => chunk.contentHash));
  const missing = new Map<string, PreparedChunk>();
  for (const chunk of chunks) if (!known.has(chunk.contentHash)) missing.set(chunk.contentHash, chunk);
  let vectors: { contentHash: string; vector: number[] }[];
  const toCompute = [...missing.values()].filter((chunk) => !chunk.vector);
  try {
    const computed = toCompute.length > 0 ? await embedder.embed(toCompute.map((chunk) => chunk.text), signal) : [];
    const fresh = new Map(toCompute.map((chunk, index) => [chunk.contentHash, computed[index]!]));
    vectors = [...missing.values()].map((chunk) => ({ contentHash: chunk.contentHash, vector: chunk.vector ?? fresh.get(chunk.contentHash)! }));
  } catch (error) {
    signal.throwIfAborted();
    return withoutVectors(chunks, error);
  }
  return { chunks: chunks.map((chunk) => ({ ...chunk, embeddingModel: embedder.model })), vectors, embeddingModel: embedder.model };
}

/** Content is kept (and searchable by text) when embedding fails; the page says why it has no vectors. */
function withoutVectors(chunks: PreparedChunk[], error: unknown) {
  if (!(error instanceof EmbeddingError) && !(error instanceof Error && 'code' in error)) throw error;
  return {
    chunks: chunks.map((chunk) => ({ ...chunk, embeddingModel: null })),
    vectors: [],
    embeddingModel: null,
    errorCode: 'embedding_failed',
    error: (error as Error).message,
  };
}
