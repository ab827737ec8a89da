// Embeddings through an integration's OpenAI-compatible endpoint, end to end: chunks are sent in batches of
// `batchSize`, a 429 is retried, vectors are stored with their model, search finds the page, and a re-run
// sends nothing (every chunk's content already has a vector of that model).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site/index.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
// The AI capability's local stand-in for OpenAI's wire format (test support, no network).
import { PROVIDER_ERRORS, providerError, startFakeUpstream, type FakeUpstream } from '../../ai/testing/fake-upstreams.ts';

const MODEL = 'text-embedding-3-small';

describe.each(backends)('embeddings through an integration on $name', (backend) => {
  let hub: TestHub;
  let upstream: FakeUpstream;
  let site: FixtureSite;
  let integrationId: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream('openai');
    site = await startFixtureSite({ pages: 2 });
    hub = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
    const created = await hub.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: hub.auth,
      payload: { connectorId: 'openai', name: 'embeddings', config: { baseUrl: upstream.baseUrl }, credentials: { apiKey: upstream.apiKey } },
    });
    expect(created.statusCode).toBe(201);
    integrationId = created.json().id;
  });
  afterAll(async () => {
    await hub?.stop();
    await upstream?.close();
    await site?.close();
  });

  async function crawl(): Promise<{ id: string; progress: Record<string, number>; status: string }> {
    const created = await hub.inject({
      method: 'POST',
      url: '/api/v1/scrapes',
      headers: hub.auth,
      payload: { urls: [`${site.url}/page/0`], maxDepth: 0, chunkSize: 300, chunkOverlap: 0, embeddings: { provider: 'integration', integrationId, model: MODEL, batchSize: 2 } },
    });
    expect(created.statusCode).toBe(201);
    for (;;) {
      const scrape = (await hub.inject({ method: 'GET', url: `/api/v1/scrapes/${created.json().id}`, headers: hub.auth })).json();
      if (['completed', 'failed', 'cancelled'].includes(scrape.status)) return scrape;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('embeds chunks in batches, retries a 429, and embeds nothing again on a re-run', async () => {
    upstream.reset();
    upstream.script(providerError({ ...PROVIDER_ERRORS.openAiRateLimited, headers: { 'retry-after': '0' } }));
    const first = await crawl();
    expect(first.status).toBe('completed');
    const calls = upstream.calls.filter((call) => call.path.endsWith('/embeddings'));
    const inputs = calls.map((call) => (Array.isArray(call.body.input) ? call.body.input.length : 1));
    // The first call was refused (429) and sent again with the same batch.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls[1]!.body.input).toEqual(calls[0]!.body.input);
    expect(Math.max(...inputs)).toBeLessThanOrEqual(2);
    expect(calls.map((call) => [call.body.model, call.headers.authorization])).toEqual(calls.map(() => [MODEL, `Bearer ${upstream.apiKey}`]));
    expect(first.progress.chunks).toBeGreaterThan(2);
    expect(first.progress.embedded).toBe(first.progress.chunks);

    const chunks = (await hub.inject({ method: 'GET', url: `/api/v1/scrapes/${first.id}/chunks?limit=100`, headers: hub.auth })).json().items as { embeddingModel: string }[];
    expect(chunks.length).toBe(first.progress.chunks);
    // Recorded per vector with the connector, so two providers' models of one name never mix.
    expect(new Set(chunks.map((chunk) => chunk.embeddingModel))).toEqual(new Set([`openai:${MODEL}`]));

    const search = await hub.inject({ method: 'POST', url: '/api/v1/search', headers: hub.auth, payload: { query: 'Measurements', k: 3, scrapeId: first.id } });
    expect(search.statusCode).toBe(200);
    expect(search.json().items.length).toBeGreaterThan(0);

    upstream.reset();
    const again = await crawl();
    expect(again.status).toBe('completed');
    expect(again.progress.embedded).toBe(0);
    expect(upstream.calls.filter((call) => call.path.endsWith('/embeddings'))).toEqual([]);
  });
});
