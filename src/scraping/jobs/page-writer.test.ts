// The page writer gathers pages that end together into one commit, and a batch that fails is written again
// page by page, so one page's bad data fails only that page.
import { describe, expect, it } from 'vitest';
import type { CompletionOutcome, PageCompletion } from './complete-page.ts';
import { createPageWriter } from './page-writer.ts';

const completion = (id: string): PageCompletion => ({
  page: { id, scrapeId: 's', workspaceId: 'w', url: `https://example.com/${id}` },
  result: { status: 'done' },
});

/** Records the batches it was given; a batch holding a page named "bad" fails as a whole, like a transaction. */
function recordingCommit() {
  const batches: string[][] = [];
  const commit = async (completions: PageCompletion[]): Promise<CompletionOutcome[]> => {
    batches.push(completions.map((c) => c.page.id));
    if (completions.some((c) => c.page.id === 'bad')) throw new Error('value too long for type character varying');
    return completions.map(() => ({ finished: false, stored: true }));
  };
  return { batches, commit };
}

describe('page writer', () => {
  it('writes pages that end together in one batch, and later ones in the next', async () => {
    const { batches, commit } = recordingCommit();
    const writer = createPageWriter(commit, { lingerMs: 5 });
    await Promise.all(['a', 'b', 'c'].map((id) => writer.complete(completion(id))));
    await writer.complete(completion('d'));
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('writes a full batch without waiting', async () => {
    const { batches, commit } = recordingCommit();
    // A linger no test would wait for: only a full batch can be written.
    const writer = createPageWriter(commit, { lingerMs: 3_600_000, maxBatch: 2 });
    await Promise.all(['a', 'b'].map((id) => writer.complete(completion(id))));
    expect(batches).toEqual([['a', 'b']]);
  });

  it('fails only the page whose data fails, writing the others alone', async () => {
    const { batches, commit } = recordingCommit();
    const writer = createPageWriter(commit, { lingerMs: 5 });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => writer.complete(completion(id))));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/value too long/);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
