import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backends } from '../../test/support/databases.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { defineJob, PermanentJobError } from '../platform/jobs/define.ts';

const longTask = defineJob({
  name: 'test.long-task',
  payload: z.object({ steps: z.number() }),
  async handler(payload, ctx) {
    for (let i = 1; i <= payload.steps && !ctx.signal.aborted; i++) {
      await sleep(100);
      await ctx.progress({ step: 'counting', processed: i, total: payload.steps });
    }
  },
});
const refused = defineJob({
  name: 'test.refused',
  payload: z.object({}),
  async handler() {
    throw new PermanentJobError('403 from the provider');
  },
});

describe.each(backends)('the jobs API on $name', (backend) => {
  let t: TestHub;
  let workspaceId: string;
  beforeAll(async () => {
    t = await startTestHub(backend, { extraJobs: [longTask, refused] });
    workspaceId = (await t.inject({ method: 'GET', url: '/api/v1/workspaces/current', headers: t.auth })).json().workspace.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function getJob(id: string) {
    return (await t.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: t.auth })).json();
  }

  it('shows progress with percentage, step and ETA, and cancels a running job', async () => {
    const id = await t.hub.context.jobs.send(longTask, { steps: 200 }, { workspaceId });
    let job = await getJob(id);
    for (let i = 0; i < 100 && !(job.state === 'active' && job.progress?.processed >= 5); i++) {
      await sleep(100);
      job = await getJob(id);
    }
    expect(job.progress).toMatchObject({ step: 'counting', total: 200 });
    expect(job.progress.percentage).toBeGreaterThan(0);
    expect(job.progress.etaSeconds).toBeGreaterThan(0);
    const cancelled = await t.inject({ method: 'POST', url: `/api/v1/jobs/${id}/cancel`, headers: t.auth });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().state).toBe('cancelled');
    const again = await t.inject({ method: 'POST', url: `/api/v1/jobs/${id}/cancel`, headers: t.auth });
    expect(again.statusCode).toBe(409);
  });

  it('lists failed jobs as the dead-letter list and retries one', async () => {
    const id = await t.hub.context.jobs.send(refused, {}, { workspaceId });
    let job = await getJob(id);
    for (let i = 0; i < 100 && job.state !== 'failed'; i++) {
      await sleep(100);
      job = await getJob(id);
    }
    expect(job).toMatchObject({ state: 'failed', output: { error: '403 from the provider' } });
    const failed = (await t.inject({ method: 'GET', url: '/api/v1/jobs?state=failed', headers: t.auth })).json();
    expect(failed.items.map((j: { id: string }) => j.id)).toContain(id);
    const retried = await t.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry`, headers: t.auth });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().state).not.toBe('failed');
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=job.*', headers: t.auth })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['job.retried', 'job.cancelled']));
  });

  it('answers 404 for a job id that is not in the workspace, and 400 for a malformed one', async () => {
    expect((await t.inject({ method: 'GET', url: '/api/v1/jobs/00000000-0000-7000-8000-000000000000', headers: t.auth })).statusCode).toBe(404);
    const malformed = await t.inject({ method: 'GET', url: '/api/v1/jobs/42', headers: t.auth });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0].field).toBe('params.id');
  });
});
