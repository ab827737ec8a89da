// Turns chunk texts into vectors: the offline lexical default, or an integration's OpenAI-compatible
// embeddings action (OpenAI, Mistral, GLM, a self-hosted server), batched and retried with backoff.
import type { HubContext } from '../../platform/hub-context.ts';
import type { Clock } from '../../platform/outbound/index.ts';
import { runAction } from '../../integrations/runtime/invoke.ts';
import { invocationTargetFor, loadIntegration } from '../../integrations/service.ts';
import { LEXICAL_MODEL, lexicalEmbedding, normalize } from './lexical.ts';

export interface Embedder {
  /** Recorded with every vector: vectors of different models are never compared. */
  model: string;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** An embedding request that cannot succeed (bad model, refused key): the page records it, no retry helps. */
export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

export const lexicalEmbedder: Embedder = {
  model: LEXICAL_MODEL,
  embed: async (texts) => texts.map(lexicalEmbedding),
};

/** The action every OpenAI-compatible connector offers: `{ model, input: string[] } → { embeddings }`. */
export const EMBEDDINGS_ACTION = 'createEmbeddings';
const DEFAULT_MODEL = 'text-embedding-3-small';
const ATTEMPTS = 4;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export async function integrationEmbedder(
  hub: HubContext,
  input: { workspaceId: string; integrationId: string; model?: string | undefined; batchSize: number; clock: Clock },
): Promise<Embedder> {
  const row = await loadIntegration(hub, input.workspaceId, input.integrationId);
  const connector = hub.connectors.get(row.connectorId);
  if (!connector?.actions.some((action) => action.name === EMBEDDINGS_ACTION)) {
    throw new EmbeddingError(`The integration "${row.name}" (${row.connectorId}) has no ${EMBEDDINGS_ACTION} action: choose an OpenAI-compatible integration.`);
  }
  const model = input.model ?? DEFAULT_MODEL;
  return {
    model: `${row.connectorId}:${model}`,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += input.batchSize) {
        const batch = texts.slice(start, start + input.batchSize);
        vectors.push(...(await embedBatch(hub, row, model, batch, input.clock, signal)));
      }
      return vectors;
    },
  };
}

async function embedBatch(
  hub: HubContext,
  row: Awaited<ReturnType<typeof loadIntegration>>,
  model: string,
  batch: string[],
  clock: Clock,
  signal?: AbortSignal,
): Promise<number[][]> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await runAction(await invocationTargetFor(hub, row, signal), EMBEDDINGS_ACTION, { model, input: batch });
    if (outcome.ok) {
      const embeddings = (outcome.output as { embeddings?: number[][] }).embeddings;
      if (!Array.isArray(embeddings) || embeddings.length !== batch.length) {
        throw new EmbeddingError(`${row.connectorId} answered ${embeddings?.length ?? 0} embeddings for ${batch.length} texts`);
      }
      return embeddings.map(normalize);
    }
    signal?.throwIfAborted();
    // Only rate limits, server errors and network failures (no status) are worth another try.
    const transient = outcome.kind === 'provider_error' && (outcome.status === undefined || outcome.status === 429 || outcome.status >= 500);
    if (!transient || attempt >= ATTEMPTS) {
      throw new EmbeddingError(`Embeddings through "${row.name}" failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${outcome.message}`);
    }
    const backoff = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
    await clock.sleep(Math.min(MAX_DELAY_MS, Math.max(outcome.retryAfterMs ?? 0, backoff)), signal);
  }
}
