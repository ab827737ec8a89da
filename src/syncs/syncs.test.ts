// The sync engine through the API on a real hub: one run at a time, dedup by content hash (no write, no
// history), change history, full-sync delete detection, stable record paging, non-retryable failures,
// stale records while the provider fails, cancel, KPIs, workspace isolation and validation errors.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../platform/db/database.ts';
import { backends } from '../../test/support/databases.ts';
import { signIn, startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { scheduleDueSyncs } from './schedule.ts';
import { connectFixture, contact, eventsOf, fixtureConnector, getRun, startFixtureProvider, startRun, waitForRun, type FixtureProvider } from './test-support.ts';

describe.each(backends)('syncs on $name', (backend) => {
  let t: TestHub;
  let provider: FixtureProvider;
  beforeAll(async () => {
    provider = await startFixtureProvider({ contacts: 25 });
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' }, extraConnectors: [fixtureConnector()] });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await provider?.close();
  });

  const get = async (url: string, headers: Record<string, string> = t.auth) => t.inject({ method: 'GET', url, headers });
  const records = async (integrationId: string, query = '') => (await get(`/api/v1/integrations/${integrationId}/records?model=Contact${query}`)).json();

  it('stores records once, keeps their history, skips unchanged ones and marks what a full run no longer sees as deleted', async () => {
    provider.contacts = Array.from({ length: 25 }, (_, i) => contact(i));
    const id = await connectFixture(t, provider, t.auth, 'CRM dedup');
    const first = await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    expect(first).toMatchObject({ status: 'completed', fullSync: true, attempt: 1, counts: { added: 25, updated: 0, unchanged: 0, deleted: 0 } });
    expect(first.progress).toMatchObject({ processed: 25, total: 25, percentage: 100 });

    const historyRows = async () =>
      Number(rowsOf<{ n: number }>(await t.hub.context.db.execute(sql`select count(*)::int as n from sync_record_changes where integration_id = ${id}::uuid`))[0]!.n);
    const seqs = async () => rowsOf<{ seq: string }>(await t.hub.context.db.execute(sql`select seq::text from sync_records where integration_id = ${id}::uuid order by seq`)).map((r) => r.seq);
    expect(await historyRows()).toBe(25);
    const seqBefore = await seqs();

    // Nothing changed at the provider: nothing is written, no history.
    const second = await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    expect(second.counts).toEqual({ added: 0, updated: 0, unchanged: 25, deleted: 0 });
    expect(await historyRows()).toBe(25);
    expect(await seqs()).toEqual(seqBefore);

    // One renamed, one gone, one new (same fields in another key order: the hash is of canonical JSON).
    const before = new Date().toISOString();
    provider.contacts[3] = contact(3, 'Renamed');
    provider.contacts.splice(7, 1);
    provider.contacts.push({ updatedAt: '2026-01-01T00:00:00Z', name: 'New one', id: 'c9999' });
    provider.contacts[0] = { updatedAt: provider.contacts[0]!.updatedAt, email: provider.contacts[0]!.email!, name: provider.contacts[0]!.name, id: provider.contacts[0]!.id };
    const third = await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    expect(third.counts).toEqual({ added: 1, updated: 1, unchanged: 23, deleted: 1 });
    expect(await historyRows()).toBe(28);

    const history = (await get(`/api/v1/integrations/${id}/records/Contact/c0003/history`)).json();
    expect(history.record).toMatchObject({ externalId: 'c0003', lastChange: 'updated', data: { name: 'Renamed' } });
    expect(history.items.map((change: { kind: string }) => change.kind)).toEqual(['updated', 'added']);
    expect(history.items[0].previousHash).toBe(history.items[1].contentHash);
    expect(history.items[0].contentHash).toBe(history.record.contentHash);

    const deleted = await records(id, '&filter=deleted');
    expect(deleted.items.map((r: { externalId: string }) => r.externalId)).toEqual(['c0007']);
    expect(deleted.items[0].deleted).toBe(true);
    const changedSince = await records(id, `&modifiedAfter=${encodeURIComponent(before)}`);
    expect(changedSince.items.map((r: { externalId: string }) => r.externalId).sort()).toEqual(['c0003', 'c0007', 'c9999']);
    expect(changedSince.stale).toBe(false);

    // Events: started and completed per run, data.synced only when something changed.
    const types = (await eventsOf(t, id)).map((event) => event.type);
    expect(types.filter((type) => type === 'sync.started')).toHaveLength(3);
    expect(types.filter((type) => type === 'sync.completed')).toHaveLength(3);
    expect(types.filter((type) => type === 'data.synced')).toHaveLength(2);
    const completed = (await eventsOf(t, id)).filter((event) => event.type === 'sync.completed').at(-1)!;
    expect(completed.payload).toMatchObject({ runId: third.id, sync: 'contacts', added: 1, updated: 1, deleted: 1 });

    // The syncs list shows the state.
    const syncs = (await get(`/api/v1/integrations/${id}/syncs`)).json().items;
    expect(syncs.find((s: { name: string }) => s.name === 'contacts')).toMatchObject({ status: 'completed', recordsCount: 25, paused: true, frequency: 'every 1d', lastError: null });
  }, 120_000);

  it('pages records by a stable cursor: a record changed while paging moves to the end, none is skipped or repeated otherwise', async () => {
    provider.contacts = Array.from({ length: 12 }, (_, i) => contact(i));
    const id = await connectFixture(t, provider, t.auth, 'CRM paging');
    await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    const seen: string[] = [];
    let page = await records(id, '&limit=5');
    seen.push(...page.items.map((r: { externalId: string }) => r.externalId));
    // c0001 (already read) and c0008 (not yet read) change between pages.
    provider.contacts[1] = contact(1, 'changed');
    provider.contacts[8] = contact(8, 'changed');
    await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    while (page.nextCursor) {
      page = await records(id, `&limit=5&cursor=${page.nextCursor}`);
      seen.push(...page.items.map((r: { externalId: string }) => r.externalId));
    }
    const expected = Array.from({ length: 12 }, (_, i) => contact(i).id);
    expect(new Set(seen)).toEqual(new Set(expected));
    // Only the record read before its change is read twice (again with its new content).
    expect(seen.filter((s) => s === 'c0001')).toHaveLength(2);
    expect(seen.filter((s) => s === 'c0008')).toHaveLength(1);
  }, 120_000);

  it('returns the running run to a second request, cancels it, and retries it from where it stopped', async () => {
    provider.contacts = Array.from({ length: 40 }, (_, i) => contact(i));
    provider.pageDelayMs = 400;
    try {
      const id = await connectFixture(t, provider, t.auth, 'CRM cancel');
      const run = await startRun(t, id, 'contacts');
      const again = await t.inject({ method: 'POST', url: `/api/v1/integrations/${id}/syncs/contacts/run`, headers: t.auth });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(run.id);
      await waitForRun(t, run.id, ['running']);
      const cancelled = await t.inject({ method: 'POST', url: `/api/v1/sync-runs/${run.id}/cancel`, headers: t.auth });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json().status).toBe('cancelled');
      const twice = await t.inject({ method: 'POST', url: `/api/v1/sync-runs/${run.id}/cancel`, headers: t.auth });
      expect(twice.statusCode).toBe(409);
      provider.pageDelayMs = 0;
      const retried = await t.inject({ method: 'POST', url: `/api/v1/sync-runs/${run.id}/retry`, headers: t.auth });
      expect(retried.statusCode).toBe(202);
      const done = await waitForRun(t, run.id);
      expect(done.status).toBe('completed');
      expect((await records(id, '&limit=500')).items).toHaveLength(40);
    } finally {
      provider.pageDelayMs = 0;
    }
  }, 120_000);

  it("fails at once on a 404 with the provider's message, serves the last good records as stale, and counts KPIs", async () => {
    provider.contacts = Array.from({ length: 5 }, (_, i) => contact(i));
    const id = await connectFixture(t, provider, t.auth, 'CRM failing');
    await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    provider.failWith = ({ path }) => (path === '/contacts' ? { status: 404, body: { error: { message: 'list was archived' } } } : null);
    try {
      const failed = await waitForRun(t, (await startRun(t, id, 'contacts')).id);
      expect(failed.status).toBe('failed');
      expect(failed.attempt).toBe(1);
      expect(failed.error).toBe('Fixture CRM answered 404: list was archived');
      expect(failed.errors).toEqual([expect.objectContaining({ attempt: 1, status: 404, retryable: false })]);
      const stale = await records(id);
      expect(stale).toMatchObject({ stale: true, staleReason: expect.stringContaining('list was archived') });
      expect(stale.lastSuccessAt).not.toBeNull();
      expect(stale.items).toHaveLength(5);
      const failure = (await eventsOf(t, id)).find((event) => event.type === 'sync.failed')!;
      expect(failure.payload).toMatchObject({ willRetry: false, attempt: 1, error: 'Fixture CRM answered 404: list was archived' });
      expect((await eventsOf(t, id)).some((event) => event.type === 'sync.dead')).toBe(false);
    } finally {
      provider.failWith = null;
    }
    const kpis = (await get(`/api/v1/kpis?metric=contacts_synced&groupBy=integration&integrationId=${id}`)).json();
    expect(kpis.items).toEqual([expect.objectContaining({ metric: 'contacts_synced', integrationId: id, value: 5, unit: 'count' })]);
  }, 120_000);

  it('continues an incremental sync from its checkpoint in the next run', async () => {
    provider.deals = [
      { id: 'd1', amount: 10, updatedAt: '2026-01-01T00:00:00Z' },
      { id: 'd2', amount: 20, updatedAt: '2026-01-02T00:00:00Z' },
    ];
    const id = await connectFixture(t, provider, t.auth, 'CRM deals');
    const first = await waitForRun(t, (await startRun(t, id, 'deals')).id);
    expect(first).toMatchObject({ status: 'completed', fullSync: true, counts: { added: 2 } });
    provider.deals.push({ id: 'd3', amount: 30, updatedAt: '2026-01-03T00:00:00Z' });
    provider.requests.length = 0;
    const second = await waitForRun(t, (await startRun(t, id, 'deals')).id);
    expect(second).toMatchObject({ status: 'completed', fullSync: false, counts: { added: 1, updated: 0, deleted: 0 } });
    expect(provider.requests.find((r) => r.path === '/deals')?.query).toEqual({ updated_after: '2026-01-02T00:00:00Z' });
    // An incremental run that saw only d3 deletes nothing.
    const all = (await get(`/api/v1/integrations/${id}/records?model=Deal`)).json();
    expect(all.items.filter((r: { deleted: boolean }) => !r.deleted)).toHaveLength(3);
  }, 120_000);

  it('schedules runs from the frequency, not while paused, and uses an override', async () => {
    provider.contacts = Array.from({ length: 3 }, (_, i) => contact(i));
    const id = await connectFixture(t, provider, t.auth, 'CRM scheduled');
    const runsOf = async () => (await get(`/api/v1/sync-runs?integrationId=${id}`)).json().items;
    await scheduleDueSyncs(t.hub.context);
    expect(await runsOf()).toHaveLength(0);
    const resumed = await t.inject({ method: 'PATCH', url: `/api/v1/integrations/${id}/syncs/deals`, headers: t.auth, payload: { paused: false, frequency: 'every 2h' } });
    expect(resumed.json()).toMatchObject({ paused: false, frequency: 'every 2h', frequencyOverride: 'every 2h', defaultFrequency: 'every 1h' });
    // Due now: the override put the next run 2 h out, so move it back as if the time had come.
    await t.hub.context.db.execute(sql`update sync_states set next_run_at = now() - interval '1 second' where integration_id = ${id}::uuid and sync_name = 'deals'`);
    await scheduleDueSyncs(t.hub.context);
    const runs = await runsOf();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ sync: 'deals', trigger: 'schedule' });
    const next = (await get(`/api/v1/integrations/${id}/syncs`)).json().items.find((s: { name: string }) => s.name === 'deals').nextRunAt;
    expect(Date.parse(next) - Date.now()).toBeGreaterThan(100 * 60_000);
    await waitForRun(t, runs[0].id);
  }, 120_000);

  it('keeps each workspace to its own syncs, runs and records', async () => {
    provider.contacts = Array.from({ length: 3 }, (_, i) => contact(i));
    const id = await connectFixture(t, provider, t.auth, 'CRM isolated');
    const run = await waitForRun(t, (await startRun(t, id, 'contacts')).id);
    const session = await signIn(t);
    const second = await t.inject({ method: 'POST', url: '/api/v1/workspaces', headers: session, payload: { name: `Other ${backend.name}`, slug: `other-${backend.name}` } });
    await t.inject({ method: 'POST', url: '/api/v1/session/workspace', headers: session, payload: { workspaceId: second.json().workspace.id } });
    const key = (await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: session, payload: { name: 'other', role: 'owner' } })).json().key;
    const other = { authorization: `Bearer ${key}` };
    for (const url of [
      `/api/v1/integrations/${id}/syncs`,
      `/api/v1/integrations/${id}/records`,
      `/api/v1/integrations/${id}/records/Contact/c0001/history`,
      `/api/v1/sync-runs/${run.id}`,
    ]) {
      const response = await get(url, other);
      expect(response.statusCode, url).toBe(404);
    }
    expect((await t.inject({ method: 'POST', url: `/api/v1/integrations/${id}/syncs/contacts/run`, headers: other })).statusCode).toBe(404);
    expect((await t.inject({ method: 'POST', url: `/api/v1/sync-runs/${run.id}/retry`, headers: other })).statusCode).toBe(404);
    expect((await get('/api/v1/sync-runs', other)).json().items).toEqual([]);
    expect((await get('/api/v1/kpis?metric=contacts_synced&groupBy=integration', other)).json().items).toEqual([]);
    expect((await getRun(t, run.id)).status).toBe('completed');
  }, 120_000);

  it('answers bad input with a 400 naming the field and the fix', async () => {
    const id = await connectFixture(t, provider, t.auth, 'CRM validation');
    const problems: [string, string, unknown, string][] = [
      ['PATCH', `/api/v1/integrations/${id}/syncs/contacts`, { frequency: 'every 10s' }, 'body.frequency'],
      ['PATCH', `/api/v1/integrations/${id}/syncs/contacts`, { frequency: '61 * * * *' }, 'body.frequency'],
      ['PATCH', `/api/v1/integrations/${id}/syncs/contacts`, {}, 'body'],
      ['PATCH', `/api/v1/integrations/${id}/syncs/contacts`, { paused: 'yes' }, 'body.paused'],
      ['GET', '/api/v1/sync-runs?status=exploded', undefined, 'query.status'],
      ['GET', `/api/v1/integrations/${id}/records?cursor=abc`, undefined, 'query.cursor'],
      ['GET', `/api/v1/integrations/${id}/records?filter=renamed`, undefined, 'query.filter'],
      ['GET', `/api/v1/integrations/${id}/records?modifiedAfter=yesterday`, undefined, 'query.modifiedAfter'],
      ['GET', '/api/v1/kpis?metric=Sessions', undefined, 'query.metric'],
      ['GET', '/api/v1/kpis?metric=sessions&from=2026-02-01&to=2026-01-01', undefined, 'query.from'],
      ['GET', '/api/v1/kpis?metric=sessions&groupBy=year', undefined, 'query.groupBy'],
    ];
    for (const [method, url, payload, field] of problems) {
      const response = await t.inject({ method: method as 'GET', url, headers: t.auth, ...(payload !== undefined ? { payload: payload as object } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
      expect(JSON.stringify(response.json().error.details), `${method} ${url}`).toContain(field);
    }
    const unknownSync = await t.inject({ method: 'POST', url: `/api/v1/integrations/${id}/syncs/orders/run`, headers: t.auth });
    expect(unknownSync.statusCode).toBe(404);
    expect(unknownSync.json().error.message).toContain('its syncs are contacts, deals');
  }, 120_000);
});
