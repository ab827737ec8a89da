import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../../test/support/databases.ts';
import { rowsOf } from '../db/database.ts';
import { workspaces } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { defineJob, PermanentJobError } from './define.ts';
import { JobEngine } from './engine.ts';

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(backends)('job engine on $name', (backend) => {
  let database: TestDatabase;
  let engine: JobEngine;
  const workspaceId = newId();
  const otherWorkspaceId = newId();
  const seen: string[] = [];
  let flakyCalls = 0;

  const echo = defineJob({
    name: 'test.echo',
    payload: z.object({ text: z.string() }),
    async handler(payload, ctx) {
      seen.push(payload.text);
      await ctx.progress({ step: 'echo', processed: 1, total: 1 });
      return { echoed: payload.text };
    },
  });
  const flaky = defineJob({
    name: 'test.flaky',
    payload: z.object({}),
    retry: { limit: 2, delaySeconds: 1, backoff: false },
    async handler() {
      flakyCalls++;
      if (flakyCalls < 2) throw new Error('transient failure');
      return { calls: flakyCalls };
    },
  });
  const doomed = defineJob({
    name: 'test.doomed',
    payload: z.object({}),
    retry: { limit: 5, delaySeconds: 1, backoff: false },
    async handler() {
      throw new PermanentJobError('the provider said 403');
    },
  });
  const slow = defineJob({
    name: 'test.slow',
    payload: z.object({}),
    async handler(_payload, ctx) {
      for (let i = 0; i < 600 && !ctx.signal.aborted; i++) {
        await ctx.progress({ step: 'waiting', processed: i, total: 600 });
        await sleep(50);
      }
      return { aborted: ctx.signal.aborted };
    },
  });

  beforeAll(async () => {
    database = await backend.create();
    await database.handle.db.insert(workspaces).values([
      { id: workspaceId, slug: `w-${workspaceId}`, name: 'W' },
      { id: otherWorkspaceId, slug: `o-${otherWorkspaceId}`, name: 'O' },
    ]);
    engine = new JobEngine({
      database: database.handle,
      definitions: [echo, flaky, doomed, slow],
      logger: pino({ level: 'silent' }),
      defaultConcurrency: 2,
      maintenance: true,
    });
    await engine.start();
    await engine.work();
  });

  afterAll(async () => {
    await engine?.stop(2000);
    await database?.dispose();
  });

  it('runs a job and reports its output and progress', async () => {
    const id = await engine.send(echo, { text: 'hello' }, { workspaceId });
    const job = await waitFor(() => engine.get(id, workspaceId), (j) => j?.state === 'completed', 'echo');
    expect(job?.output).toEqual({ echoed: 'hello' });
    expect(job?.progress).toMatchObject({ step: 'echo', processed: 1, total: 1, percentage: 100 });
  });

  it('sends inside a transaction: a rollback drops the job with the row (the outbox)', async () => {
    const slug = `tx-${newId()}`;
    await expect(
      database.handle.db.transaction(async (tx) => {
        await tx.insert(workspaces).values({ id: newId(), slug, name: 'rolled back' });
        await engine.send(echo, { text: 'never' }, { workspaceId, tx });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    let committedId = '';
    await database.handle.db.transaction(async (tx) => {
      await tx.insert(workspaces).values({ id: newId(), slug: `${slug}-2`, name: 'kept' });
      committedId = await engine.send(echo, { text: 'committed' }, { workspaceId, tx });
    });
    await waitFor(() => engine.get(committedId, workspaceId), (j) => j?.state === 'completed', 'committed job');
    await sleep(300);
    expect(seen).toContain('committed');
    expect(seen).not.toContain('never');
    const rows = rowsOf<{ n: number }>(await database.handle.db.execute(sql`select count(*)::int as n from workspaces where slug = ${slug}`));
    expect(rows[0]?.n).toBe(0);
  });

  it('retries a failing job and then succeeds', async () => {
    const id = await engine.send(flaky, {}, { workspaceId });
    const job = await waitFor(() => engine.get(id, workspaceId), (j) => j?.state === 'completed', 'flaky');
    expect(job?.attempt).toBe(2);
    expect(job?.output).toEqual({ calls: 2 });
  });

  it('fails a permanent error at once, lists it as failed and retries it on request', async () => {
    const id = await engine.send(doomed, {}, { workspaceId });
    const job = await waitFor(() => engine.get(id, workspaceId), (j) => j?.state === 'failed', 'doomed');
    expect(job?.attempt).toBe(1);
    expect(job?.output).toEqual({ error: 'the provider said 403' });
    const failed = await engine.list({ workspaceId, state: 'failed', limit: 10 });
    expect(failed.map((j) => j.id)).toContain(id);
    const retried = await engine.retry(id, workspaceId);
    expect(['retry', 'created', 'active', 'failed']).toContain(retried?.state);
    await waitFor(() => engine.get(id, workspaceId), (j) => j?.state === 'failed' && j.attempt >= 1 && j.finishedAt !== null, 'doomed again');
  });

  it('cancels a running job: its handler sees the signal abort', async () => {
    const id = await engine.send(slow, {}, { workspaceId });
    await waitFor(() => engine.get(id, workspaceId), (j) => j?.state === 'active' && (j.progress?.processed ?? 0) > 2, 'slow to start');
    const cancelled = await engine.cancel(id, workspaceId);
    expect(cancelled?.state).toBe('cancelled');
    const started = Date.now();
    await waitFor(
      async () => (await engine.get(id, workspaceId))?.progress?.updatedAt.getTime() ?? 0,
      (updatedAt) => Date.now() - updatedAt > 1000,
      'progress to stop',
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await engine.get(id, workspaceId))?.state).toBe('cancelled');
  });

  it('keeps workspaces apart: another workspace cannot see, cancel or retry a job', async () => {
    const id = await engine.send(echo, { text: 'mine' }, { workspaceId });
    expect(await engine.get(id, otherWorkspaceId)).toBeNull();
    expect(await engine.cancel(id, otherWorkspaceId)).toBeNull();
    expect(await engine.retry(id, otherWorkspaceId)).toBeNull();
    const list = await engine.list({ workspaceId: otherWorkspaceId, limit: 100 });
    expect(list.map((j) => j.id)).not.toContain(id);
  });

  it('pages through jobs with a cursor, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await engine.send(echo, { text: `page-${i}` }, { workspaceId: otherWorkspaceId }));
    const first = await engine.list({ workspaceId: otherWorkspaceId, limit: 3 });
    const second = await engine.list({ workspaceId: otherWorkspaceId, limit: 3, cursor: first.at(-1)?.id });
    expect([...first, ...second].map((j) => j.id)).toEqual([...ids].reverse());
  });

  it('refuses a payload that does not match the job schema', async () => {
    await expect(engine.send(echo, { text: 42 } as never, { workspaceId })).rejects.toThrow();
  });
});
