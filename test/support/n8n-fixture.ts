// A local n8n for tests: the public API's workflow and execution routes (X-N8N-API-KEY, cursor pages of
// `{ data, nextCursor }`, errors `{ message }`) and Webhook-node triggers at /webhook/<path> (active workflows)
// and /webhook-test/<path> (only while `listeningForTest`), answering 404 `{ code, message, hint }` otherwise.
// A workflow answers `{ received, workflow }`; one whose path contains `broken` fails with 500.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureWorkflow {
  id: string;
  name: string;
  active: boolean;
  webhookPath: string;
  method: string;
}

export interface N8nFixture {
  baseUrl: string;
  apiKey: string;
  workflows: FixtureWorkflow[];
  executions: { id: number; workflowId: string; status: string; mode: string; payload: unknown }[];
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }[];
  listeningForTest: boolean;
  close(): Promise<void>;
}

export async function startN8nFixture(apiKey = 'n8n_api_fixture_key_0123456789'): Promise<N8nFixture> {
  const fixture: Omit<N8nFixture, 'baseUrl' | 'close'> = {
    apiKey,
    workflows: [
      { id: 'wfOrders00000001', name: 'Orders', active: true, webhookPath: 'orders/new', method: 'POST' },
      { id: 'wfReport00000002', name: 'Report', active: false, webhookPath: 'report', method: 'POST' },
      { id: 'wfBroken00000003', name: 'Broken', active: true, webhookPath: 'broken', method: 'POST' },
    ],
    executions: [],
    requests: [],
    listeningForTest: false,
  };
  const send = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  const summary = (w: FixtureWorkflow) => ({ id: w.id, name: w.name, active: w.active, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z', tags: [] });

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://n8n');
      fixture.requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body: raw });
      const hook = /^\/(webhook|webhook-test)\/(.+)$/.exec(url.pathname);
      if (hook) {
        const path = decodeURIComponent(hook[2]!);
        const workflow = fixture.workflows.find((w) => w.webhookPath === path && w.method === request.method);
        const live = hook[1] === 'webhook' ? workflow?.active : fixture.listeningForTest;
        if (!workflow || !live) {
          return send(response, 404, {
            code: 404,
            message: `The requested webhook "${request.method} ${path}" is not registered.`,
            hint: hook[1] === 'webhook' ? 'The workflow must be active for a production URL to run successfully.' : "Click the 'Execute workflow' button on the canvas, then try again.",
          });
        }
        const payload = raw ? (JSON.parse(raw) as unknown) : Object.fromEntries(url.searchParams);
        const failed = path.includes('broken');
        fixture.executions.push({ id: fixture.executions.length + 1, workflowId: workflow.id, status: failed ? 'error' : 'success', mode: hook[1] === 'webhook' ? 'webhook' : 'manual', payload });
        if (failed) return send(response, 500, { message: 'Error in workflow' });
        return send(response, 200, { received: payload, workflow: workflow.name, result: { ok: true, items: 3 } });
      }
      if (!url.pathname.startsWith('/api/v1/')) return send(response, 404, { message: 'not found' });
      if (request.headers['x-n8n-api-key'] !== fixture.apiKey) return send(response, 401, { message: 'unauthorized' });
      if (request.method === 'GET' && url.pathname === '/api/v1/workflows') {
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const start = Number(url.searchParams.get('cursor') ? Buffer.from(url.searchParams.get('cursor')!, 'base64').toString() : 0);
        const page = fixture.workflows.slice(start, start + limit);
        const next = start + limit < fixture.workflows.length ? Buffer.from(String(start + limit)).toString('base64') : null;
        return send(response, 200, { data: page.map(summary), nextCursor: next });
      }
      if (request.method === 'GET' && url.pathname === '/api/v1/executions') {
        const workflowId = url.searchParams.get('workflowId');
        const data = fixture.executions.filter((e) => !workflowId || e.workflowId === workflowId).map(({ payload: _p, ...e }) => ({ ...e, finished: true, startedAt: '2026-01-03T00:00:00.000Z', stoppedAt: '2026-01-03T00:00:01.000Z' }));
        return send(response, 200, { data, nextCursor: null });
      }
      const one = /^\/api\/v1\/workflows\/([^/]+)(\/activate|\/deactivate)?$/.exec(url.pathname);
      const workflow = one && fixture.workflows.find((w) => w.id === one[1]);
      if (!one || !workflow) return send(response, 404, { message: 'Not Found' });
      if (request.method === 'POST' && one[2]) {
        workflow.active = one[2] === '/activate';
        return send(response, 200, summary(workflow));
      }
      if (request.method === 'GET' && !one[2]) {
        return send(response, 200, {
          ...summary(workflow),
          nodes: [
            { name: 'Webhook', type: 'n8n-nodes-base.webhook', parameters: { path: workflow.webhookPath, httpMethod: workflow.method } },
            { name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', parameters: {} },
          ],
        });
      }
      return send(response, 405, { message: 'method not allowed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fixture, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
