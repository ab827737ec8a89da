// Reading Notion answers we depend on, and finding the data source whose rows a database id names: shared by
// the queryDatabase action and the pages sync.
import { z } from 'zod';
import type { ConnectorContext } from '../../sdk/define.ts';
import { ProviderError } from '../../sdk/provider-http.ts';
import { notionCall, TITLE } from './errors.ts';

const database = z.object({ object: z.literal('database'), id: z.string(), data_sources: z.array(z.object({ id: z.string(), name: z.string().optional() })) });

export function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderError({
    code: 'invalid_response',
    message: `${TITLE} answered ${what} in an undocumented shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
    body: data,
  });
}

/**
 * Since 2025-09-03 rows belong to a database's data source. Most databases have exactly one, so a database
 * id is resolved to it; with several, the caller has to say which (a guess would query the wrong table).
 */
export async function dataSourceOf(ctx: ConnectorContext<unknown>, input: { databaseId?: string | undefined; dataSourceId?: string | undefined }): Promise<string> {
  if (input.dataSourceId) return input.dataSourceId;
  const databaseId = input.databaseId!;
  // Cached briefly: following pages or repeated queries should not re-resolve the same database each time.
  const answer = await notionCall(() => ctx.http.get(`databases/${encodeURIComponent(databaseId)}`, { cache: true }));
  const sources = read(database, answer.data, 'the database').data_sources;
  if (sources.length === 1) return sources[0]!.id;
  const listed = sources.map((source) => `${source.name ?? 'untitled'}: ${source.id}`).join(', ');
  throw new ProviderError({
    code: 'invalid_response',
    body: answer.data,
    message:
      sources.length === 0
        ? `Notion database ${databaseId} has no data source this integration can read; share it with the integration.`
        : `Notion database ${databaseId} has ${sources.length} data sources (${listed}); choose one with dataSourceId.`,
  });
}
