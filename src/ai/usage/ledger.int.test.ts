// The ledger writer on a real database: recording an attempt only queues it (the response waits for no
// statement), queued rows are stored in one batch on flush, costs come from the price table in the
// provider's currency and in USD, and a model without a price is stored with a null cost, counted in a
// metric and logged (once per model per hour), never priced at zero.
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import { workspaces } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { createMetrics } from '../../platform/observability/metrics.ts';
import { aiUsage } from '../tables.ts';
import { createLedger, type LedgerEntry } from './ledger.ts';

describe.each(backends)('AI usage ledger on $name', (backend) => {
  let database: TestDatabase;
  const workspaceId = newId();

  beforeAll(async () => {
    database = await backend.create();
    await database.handle.db.insert(workspaces).values({ id: workspaceId, slug: 'ledger', name: 'Ledger' });
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
  });

  const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({
    workspaceId,
    requestId: 'req-1',
    attempt: 1,
    route: 'default',
    taskType: 'default',
    kind: 'chat',
    provider: 'glm',
    model: 'glm-4-plus',
    integrationId: null,
    streamed: false,
    usage: { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
    latencyMs: 12.4,
    success: true,
    at: new Date('2026-06-01T10:00:00Z'),
    ...overrides,
  });

  it('queues rows without a statement, stores them on flush, and reports unpriced models by metric and log', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const metrics = createMetrics();
    const ledger = createLedger({ db: database.handle.db, logger: pino({ level: 'info' }, sink), metrics });
    const rows = () => database.handle.db.select().from(aiUsage).where(eq(aiUsage.workspaceId, workspaceId));

    const priced = ledger.record(entry({}));
    // 1M prompt tokens of glm-4-plus at 5 CNY per million; 0.14 USD per CNY.
    expect(priced).toEqual({ amount: 5, currency: 'CNY', usd: 0.7 });
    const unpriced = ledger.record(entry({ attempt: 2, provider: 'openai', model: 'gpt-unpriced-ledger', success: false, errorClass: 'server_error', errorMessage: 'boom' }));
    expect(unpriced).toBeUndefined();
    ledger.record(entry({ attempt: 3, provider: 'openai', model: 'gpt-unpriced-ledger' }));
    // Nothing was written yet: recording is a push onto the in-memory queue.
    expect(await rows()).toHaveLength(0);

    await ledger.flush();
    const stored = (await rows()).sort((a, b) => a.attempt - b.attempt);
    expect(stored.map((row) => [row.attempt, row.provider, row.cost, row.currency, row.costUsd, row.priceVersion, row.latencyMs])).toEqual([
      [1, 'glm', 5, 'CNY', 0.7, '2026-01', 12],
      [2, 'openai', null, null, null, '2026-01', 12],
      [3, 'openai', null, null, null, '2026-01', 12],
    ]);
    expect(stored[1]).toMatchObject({ success: false, errorClass: 'server_error', errorMessage: 'boom' });

    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(/switchboard_ai_missing_price_total\{provider="openai",model="gpt-unpriced-ledger"\} 2/);
    expect(exposition).not.toMatch(/switchboard_ai_missing_price_total\{provider="glm"/);
    const warnings = lines.filter((line) => line.msg === 'AI model has no price in the price table; its cost is recorded as unknown');
    expect(warnings).toEqual([expect.objectContaining({ level: 40, provider: 'openai', model: 'gpt-unpriced-ledger', priceVersion: '2026-01' })]);
    await ledger.close();
  });
});
