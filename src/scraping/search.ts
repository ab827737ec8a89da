// Search over a workspace's chunks: the query's vector against stored vectors (pgvector or the portable
// column) and PostgreSQL full-text rank, fused by reciprocal rank so neither scale has to match the other.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf } from '../platform/db/database.ts';
import type { HubContext } from '../platform/hub-context.ts';
import type { ScrapeOptions } from './contracts.ts';
import type { searchHit } from './contracts.ts';
import { BUILT_IN_DEFAULTS } from './contracts.ts';
import { embedderFor } from './jobs/embed-chunks.ts';
import { words } from './extract/fingerprint.ts';
import { loadDefaults } from './options.ts';
import type { ScrapingRuntime } from './runtime.ts';
import { loadScrape } from './scrapes.ts';

export type SearchHit = z.infer<typeof searchHit>;

// Reciprocal-rank fusion's constant (the customary 60): a hit ranked first by one side and absent from
// the other still scores below one ranked well by both.
const RRF_K = 60;
const MAX_QUERY_WORDS = 32;

export async function searchChunks(
  hub: HubContext,
  runtime: ScrapingRuntime,
  workspaceId: string,
  input: { query: string; k: number; scrapeId?: string | undefined },
  signal?: AbortSignal,
): Promise<{ hits: SearchHit[]; model: string | null }> {
  const embeddings = input.scrapeId
    ? (((await loadScrape(hub, workspaceId, input.scrapeId)).options as unknown as ScrapeOptions).embeddings)
    : await defaultEmbeddings(hub, workspaceId);
  const embedder = await embedderFor(hub, runtime, workspaceId, embeddings);
  const queryVector = embedder ? (await embedder.embed([input.query], signal))[0]! : null;
  const candidates = Math.max(50, input.k * 4);
  const inScrape = input.scrapeId ? sql`and c.scrape_id = ${input.scrapeId}` : sql``;
  const terms = words(input.query).slice(0, MAX_QUERY_WORDS);
  // Candidates need one query word (|); a chunk holding every word (&) ranks above any that holds some,
  // however often those repeat. Ranks are normalised by length, so long chunks do not win by size alone.
  const anyTerm = terms.join(' | ');
  const allTerms = terms.join(' & ');

  const vectorPart: SQL = queryVector
    ? sql`
      select c.id, ${runtime.vectors.similarity(queryVector)} as similarity,
             row_number() over (order by ${runtime.vectors.distance(queryVector)}) as rank
      from scrape_chunks c
      join scrape_embeddings e on e.workspace_id = c.workspace_id and e.model = c.embedding_model and e.content_hash = c.content_hash
      where c.workspace_id = ${workspaceId} and c.embedding_model = ${embedder!.model} ${inScrape}
      order by ${runtime.vectors.distance(queryVector)} limit ${candidates}`
    : sql`select null::uuid as id, null::float8 as similarity, null::bigint as rank where false`;
  const textRank = sql`(ts_rank_cd(c.search, q, 1) + case when c.search @@ qa then 1 else 0 end)`;
  const textPart: SQL = anyTerm
    ? sql`
      select c.id, ${textRank} as text_rank, row_number() over (order by ${textRank} desc) as rank
      from scrape_chunks c, to_tsquery('simple', ${anyTerm}) q, to_tsquery('simple', ${allTerms}) qa
      where c.workspace_id = ${workspaceId} and c.search @@ q ${inScrape}
      order by text_rank desc limit ${candidates}`
    : sql`select null::uuid as id, null::float4 as text_rank, null::bigint as rank where false`;

  const rows = rowsOf<Record<string, any>>(
    await hub.db.execute(sql`
      with vec as (${vectorPart}), txt as (${textPart}),
      fused as (
        select coalesce(vec.id, txt.id) as id, vec.similarity, txt.text_rank,
               coalesce(1.0 / (${RRF_K} + vec.rank), 0) + coalesce(1.0 / (${RRF_K} + txt.rank), 0) as score
        from vec full outer join txt on vec.id = txt.id
      )
      select f.score, f.similarity, f.text_rank, c.id, c.scrape_id, c.page_id, c.url, c.position, c.heading_path, c.content,
             c.content_hash, c.embedding_model, p.title
      from fused f join scrape_chunks c on c.id = f.id join scrape_pages p on p.id = c.page_id
      order by f.score desc, c.id desc
      limit ${candidates}`),
  );
  // A re-crawl stores unchanged chunks again under the new scrape: show each content once (the newest).
  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  for (const row of rows) {
    if (seen.has(row.content_hash)) continue;
    seen.add(row.content_hash);
    hits.push({
      id: row.id,
      scrapeId: row.scrape_id,
      pageId: row.page_id,
      url: row.url,
      title: row.title ?? null,
      position: Number(row.position),
      headingPath: typeof row.heading_path === 'string' ? JSON.parse(row.heading_path) : row.heading_path,
      content: row.content,
      contentHash: row.content_hash,
      embeddingModel: row.embedding_model ?? null,
      score: Number(row.score),
      similarity: row.similarity === null || row.similarity === undefined ? null : Number(row.similarity),
      textRank: row.text_rank === null || row.text_rank === undefined ? null : Number(row.text_rank),
    });
    if (hits.length >= input.k) break;
  }
  return { hits, model: embedder?.model ?? null };
}

async function defaultEmbeddings(hub: HubContext, workspaceId: string): Promise<ScrapeOptions['embeddings']> {
  const defaults = (await loadDefaults(hub.db, workspaceId)).embeddings;
  return defaults ? { ...defaults, batchSize: defaults.batchSize ?? BUILT_IN_DEFAULTS.embeddings.batchSize } : BUILT_IN_DEFAULTS.embeddings;
}
