// Runs on a real hub against the local Livy and n8n fixtures: Spark batches through every state (success, dead,
// killed, error) and cancel, n8n workflows through the n8n connector and a custom n8n-workflow connector, custom
// Spark connectors with templated arguments, events, input validation and workspace isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../access/api-keys.ts';
import { newId } from '../platform/ids.ts';
import { workspaces } from '../platform/db/schema.ts';
import { backends } from '../../test/support/databases.ts';
import { startLivyFixture, type LivyFixture } from '../../test/support/livy-fixture.ts';
import { startN8nFixture, type N8nFixture } from '../../test/support/n8n-fixture.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';

const POLL = { initialSeconds: 0.05, maxSeconds: 0.2 };

describe.each(backends)('integration runs on $name', (backend) => {
  let t: TestHub;
  let livy: LivyFixture;
  let n8n: N8nFixture;
  let livyId: string;
  let n8nId: string;

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = t.auth) => {
    const response = await t.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: response.statusCode, body: response.body ? response.json() : null };
  };

  /** Reads the run until it ends (or `until` holds); the suite's timeout bounds the wait. */
  async function waitForRun(integrationId: string, runId: string, until: (run: Record<string, unknown>) => boolean = (run) => ['succeeded', 'failed', 'cancelled'].includes(run.status as string)) {
    for (;;) {
      const { body } = await api('GET', `/api/v1/integrations/${integrationId}/runs/${runId}`);
      if (until(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    livy = await startLivyFixture();
    n8n = await startN8nFixture();
    t = await startTestHub(backend, { env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
    const connectedLivy = await api('POST', '/api/v1/integrations', { connectorId: 'livy', name: 'Spark cluster', config: { baseUrl: livy.baseUrl } });
    expect(connectedLivy.status, JSON.stringify(connectedLivy.body)).toBe(201);
    livyId = connectedLivy.body.id;
    const connectedN8n = await api('POST', '/api/v1/integrations', { connectorId: 'n8n', name: 'Automation', config: { instanceUrl: n8n.baseUrl }, credentials: { apiKey: n8n.apiKey } });
    expect(connectedN8n.status, JSON.stringify(connectedN8n.body)).toBe(201);
    n8nId = connectedN8n.body.id;
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await livy?.close();
    await n8n?.close();
  }, 60_000);

  it('runs a Spark batch to success: submit, state polled with progress, log kept, run.completed emitted', async () => {
    const started = await api('POST', `/api/v1/integrations/${livyId}/run`, { input: { file: 'local:/jobs/etl.py', args: ['--day', '2026-01-03'], conf: { 'spark.executor.instances': '2' } }, poll: POLL });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ kind: 'spark', action: 'submitBatch', status: 'queued', connectorId: 'livy' });
    const run = await waitForRun(livyId, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded', externalState: 'success', output: { state: 'success' }, error: null });
    const batch = livy.batches.get(Number(run.externalId))!;
    expect(batch.body).toEqual({ file: 'local:/jobs/etl.py', args: ['--day', '2026-01-03'], conf: { 'spark.executor.instances': '2' } });
    expect(run.log).toEqual(expect.arrayContaining(['Submitting local:/jobs/etl.py', 'state running', 'state success']));
    const polls = livy.requests.filter((r) => r.path === `/batches/${run.externalId}/state`);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    // The run ends in the job's last transaction; pg-boss marks the job completed just after.
    let job = await api('GET', `/api/v1/jobs/${run.jobId}`);
    while (job.body.state === 'active') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await api('GET', `/api/v1/jobs/${run.jobId}`);
    }
    expect(job.body).toMatchObject({ state: 'completed', progress: { step: 'success', processed: 4, total: 4 } });
    const events = await api('GET', `/api/v1/events?type=run.*&integrationId=${livyId}`);
    expect(events.body.items.find((e: { payload: { runId: string } }) => e.payload.runId === run.id)).toMatchObject({ type: 'run.completed', payload: { kind: 'spark', externalState: 'success', externalId: run.externalId } });
  });

  it.each([
    ['dead', 'local:/jobs/fail.py'],
    ['killed', 'local:/jobs/kill.py'],
    ['error', 'local:/jobs/error.py'],
  ])('fails a run whose batch ends %s, with run.failed', async (state, file) => {
    const started = await api('POST', `/api/v1/integrations/${livyId}/run`, { input: { file }, poll: POLL });
    const run = await waitForRun(livyId, started.body.id);
    expect(run).toMatchObject({ status: 'failed', externalState: state });
    expect(run.error).toContain(`ended ${state}`);
    const events = await api('GET', `/api/v1/events?type=run.failed&integrationId=${livyId}`);
    expect(events.body.items.some((e: { payload: { runId: string; error: string } }) => e.payload.runId === run.id && e.payload.error.includes(state))).toBe(true);
  });

  it('cancels a running Spark run: the batch is killed with DELETE /batches/:id and run.cancelled emitted', async () => {
    const started = await api('POST', `/api/v1/integrations/${livyId}/run`, { input: { file: 'local:/jobs/hang.py' }, poll: POLL });
    const running = await waitForRun(livyId, started.body.id, (run) => run.externalState === 'running');
    const cancelled = await api('POST', `/api/v1/integrations/${livyId}/runs/${running.id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const run = await waitForRun(livyId, running.id);
    expect(run).toMatchObject({ status: 'cancelled', externalState: 'killed' });
    expect(livy.requests.some((r) => r.method === 'DELETE' && r.path === `/batches/${run.externalId}` && r.headers['x-requested-by'] === 'switchboard')).toBe(true);
    expect(livy.batches.get(Number(run.externalId))?.deleted).toBe(true);
    const events = await api('GET', `/api/v1/events?type=run.cancelled&integrationId=${livyId}`);
    expect(events.body.items.some((e: { payload: { runId: string } }) => e.payload.runId === run.id)).toBe(true);
    expect((await api('POST', `/api/v1/integrations/${livyId}/runs/${run.id}/cancel`)).status).toBe(409);
  });

  it('refuses bad input before queueing anything, naming the field', async () => {
    const before = (await api('GET', `/api/v1/integrations/${livyId}/runs?limit=200`)).body.items.length;
    const bad = await api('POST', `/api/v1/integrations/${livyId}/run`, { input: { className: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.input.file');
    const unknown = await api('POST', `/api/v1/integrations/${livyId}/run`, { action: 'nope' });
    expect(unknown.body.error.details[0].field).toBe('body.action');
    expect((await api('GET', `/api/v1/integrations/${livyId}/runs?limit=200`)).body.items.length).toBe(before);
  });

  it("runs an n8n workflow through the n8n connector's default action and returns its answer", async () => {
    const started = await api('POST', `/api/v1/integrations/${n8nId}/run`, { input: { path: 'orders/new', payload: { orderId: 42 } } });
    expect(started.body).toMatchObject({ kind: 'action', action: 'triggerWebhook' });
    const run = await waitForRun(n8nId, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded', output: { status: 200, body: { received: { orderId: 42 }, workflow: 'Orders' } } });
    const hook = n8n.requests.find((r) => r.path === '/webhook/orders/new');
    expect(hook?.headers['x-n8n-api-key']).toBeUndefined();
  });

  it('fails an n8n run when the workflow fails or is not active, with n8n’s words', async () => {
    const broken = await waitForRun(n8nId, (await api('POST', `/api/v1/integrations/${n8nId}/run`, { input: { path: 'broken', payload: {} } })).body.id);
    expect(broken).toMatchObject({ status: 'failed', error: 'n8n answered 500: Error in workflow' });
    const inactive = await waitForRun(n8nId, (await api('POST', `/api/v1/integrations/${n8nId}/run`, { input: { path: 'report', payload: {} } })).body.id);
    expect(inactive.status).toBe('failed');
    expect(inactive.error).toContain('is not registered');
    expect(inactive.error).toContain('must be active');
  });

  it('runs a custom n8n-workflow connector found by workflow id, reading the result at its path', async () => {
    const defined = await api('POST', '/api/v1/connectors/custom', {
      kind: 'n8n-workflow',
      slug: 'order-intake',
      title: 'Order intake',
      description: 'Sends an order to the Orders workflow',
      integrationId: n8nId,
      workflow: { workflowId: 'wfOrders00000001' },
      input: { type: 'object', properties: { orderId: { type: 'integer' } }, required: ['orderId'] },
      result: { path: 'result' },
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const connected = await api('POST', '/api/v1/integrations', { connectorId: 'custom-order-intake', name: 'Order intake' });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    expect(connected.body.account.name).toBe('Order intake (orders/new)');
    const bad = await api('POST', `/api/v1/integrations/${connected.body.id}/run`, { input: { orderId: 'seven' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.input.orderId');
    const started = await api('POST', `/api/v1/integrations/${connected.body.id}/run`, { input: { orderId: 7 } });
    expect(started.body).toMatchObject({ kind: 'action', action: 'run', connectorVersion: 1 });
    const run = await waitForRun(connected.body.id, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded', output: { status: 200, result: { ok: true, items: 3 } } });
    expect(n8n.executions.at(-1)).toMatchObject({ workflowId: 'wfOrders00000001', payload: { orderId: 7 } });
  });

  it('runs a custom Spark connector: arguments and conf filled from the input, followed to the end', async () => {
    const defined = await api('POST', '/api/v1/connectors/custom', {
      kind: 'spark',
      slug: 'daily-etl',
      title: 'Daily ETL',
      description: 'The nightly ETL for one day',
      integrationId: livyId,
      file: 'hdfs:///jobs/etl-{{input.variant}}.jar',
      className: 'com.example.Etl',
      args: ['--day', '{{input.day}}'],
      conf: { 'spark.app.name': 'etl {{input.day}}' },
      input: { type: 'object', properties: { day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, variant: { type: 'string' } }, required: ['day', 'variant'] },
      poll: POLL,
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    const connected = await api('POST', '/api/v1/integrations', { connectorId: 'custom-daily-etl', name: 'Daily ETL' });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const started = await api('POST', `/api/v1/integrations/${connected.body.id}/run`, { input: { day: '2026-01-03', variant: 'full' } });
    expect(started.body).toMatchObject({ kind: 'spark', action: 'submit' });
    const run = await waitForRun(connected.body.id, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded', externalState: 'success' });
    expect(livy.batches.get(Number(run.externalId))?.body).toEqual({ file: 'hdfs:///jobs/etl-full.jar', className: 'com.example.Etl', args: ['--day', '2026-01-03'], conf: { 'spark.app.name': 'etl 2026-01-03' } });
    const badDay = await api('POST', `/api/v1/integrations/${connected.body.id}/run`, { input: { day: 'tomorrow', variant: 'full' } });
    expect(badDay.body.error.details[0].field).toBe('body.input.day');
  });

  it('keeps runs and custom connectors to their workspace', async () => {
    const otherId = newId();
    await t.hub.context.db.insert(workspaces).values({ id: otherId, slug: `other-runs-${otherId.slice(-6)}`, name: 'Other' });
    const otherKey = await createApiKey(t.hub.context.db, { workspaceId: otherId, name: 'other owner', role: 'owner', scopes: ['read', 'write'], createdByUserId: null });
    const outsider = { authorization: `Bearer ${otherKey.key}` };
    expect((await api('GET', `/api/v1/integrations/${livyId}/runs`, undefined, outsider)).status).toBe(404);
    expect((await api('POST', `/api/v1/integrations/${livyId}/run`, { input: { file: 'x.py' } }, outsider)).status).toBe(404);
    const catalogue = await api('GET', '/api/v1/connectors', undefined, outsider);
    expect(catalogue.body.items.map((c: { id: string }) => c.id)).not.toContain('custom-daily-etl');
    expect((await api('GET', '/api/v1/connectors/custom-daily-etl', undefined, outsider)).status).toBe(404);
    // A definition may not run through another workspace's Livy.
    const borrowed = await api('POST', '/api/v1/connectors/custom', { kind: 'spark', slug: 'borrowed', title: 'B', description: 'b', integrationId: livyId, file: 'x.py' }, outsider);
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.details[0].field).toBe('body.integrationId');
  });
});
