// Everything a page needs that is pure computation: extraction, then (unless embeddings are off) chunks with
// their identity hashes and, for the offline lexical model, their vectors. Runs on an extraction thread.
import { chunkMarkdown, type Chunk } from '../chunk/chunker.ts';
import { lexicalEmbedding } from '../embed/lexical.ts';
import { sha256 } from './fingerprint.ts';
import { extractPage, type ExtractedPage, type ExtractOptions } from './page.ts';

export interface ChunkingOptions {
  size: number;
  overlap: number;
  /** Compute lexical vectors here too (the offline default model). */
  lexical: boolean;
}

export interface PreparedChunk extends Chunk {
  /** What is embedded: the heading path, then the content. */
  text: string;
  contentHash: string;
  vector?: number[];
}

export interface PreparedPage {
  page: ExtractedPage;
  chunks: PreparedChunk[] | null;
}

/** The text a chunk is embedded (and identified) by: its heading path gives the words context. */
export function embeddingText(headingPath: string[], content: string): string {
  return headingPath.length > 0 ? `${headingPath.join(' › ')}\n\n${content}` : content;
}

export function preparePage(html: string, options: ExtractOptions, chunking: ChunkingOptions | null): PreparedPage {
  const page = extractPage(html, options);
  // Pages that will not be stored need no chunks.
  if (!chunking || page.empty || page.noindex) return { page, chunks: null };
  const chunks = chunkMarkdown(page.markdown, { size: chunking.size, overlap: chunking.overlap }).map((chunk) => {
    const text = embeddingText(chunk.headingPath, chunk.content);
    return { ...chunk, text, contentHash: sha256(text), ...(chunking.lexical ? { vector: lexicalEmbedding(text) } : {}) };
  });
  return { page, chunks };
}
