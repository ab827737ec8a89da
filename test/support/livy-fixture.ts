// A local Apache Livy for tests: the batch REST API (GET/POST /batches, /batches/:id, /state, /log, DELETE) with
// Livy's documented states. Each GET of a batch's state moves it one step along a script chosen by its file name:
//   …fail…  starting → running → dead        …kill…  starting → running → killed
//   …hang…  starting → running (until DELETE) …error… starting → error        otherwise starting → running → success
// POST and DELETE need `X-Requested-By` (Livy's CSRF protection); errors are `{ msg }` like Livy's.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LivyBatch {
  id: number;
  name: string | null;
  file: string;
  body: Record<string, unknown>;
  script: string[];
  step: number;
  state: string;
  deleted: boolean;
  log: string[];
}

export interface LivyFixture {
  baseUrl: string;
  batches: Map<number, LivyBatch>;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

function scriptFor(file: string): string[] {
  if (file.includes('fail')) return ['starting', 'running', 'dead'];
  if (file.includes('kill')) return ['starting', 'running', 'killed'];
  if (file.includes('hang')) return ['starting', 'running'];
  if (file.includes('error')) return ['starting', 'error'];
  return ['starting', 'running', 'success'];
}

export async function startLivyFixture(options: { basicAuth?: { username: string; password: string } } = {}): Promise<LivyFixture> {
  const batches = new Map<number, LivyBatch>();
  const requests: LivyFixture['requests'] = [];
  let nextId = 0;
  const send = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  const view = (batch: LivyBatch) => ({ id: batch.id, name: batch.name, state: batch.state, appId: `application_1700000000000_${String(batch.id).padStart(4, '0')}`, appInfo: { driverLogUrl: null, sparkUiUrl: null }, log: batch.log.slice(-2) });

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://livy');
      requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body: raw });
      if (options.basicAuth) {
        const expected = `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
        if (request.headers.authorization !== expected) {
          response.writeHead(401, { 'content-type': 'text/plain' });
          return response.end('Unauthorized');
        }
      }
      if ((request.method === 'POST' || request.method === 'DELETE') && !request.headers['x-requested-by']) {
        return send(response, 400, { msg: 'Missing Required Header for CSRF protection.' });
      }
      const match = /^\/batches(?:\/(\d+))?(\/state|\/log)?$/.exec(url.pathname);
      if (!match) return send(response, 404, { msg: `No route for ${url.pathname}` });
      const id = match[1] !== undefined ? Number(match[1]) : null;
      if (id === null) {
        if (request.method === 'GET') {
          const from = Number(url.searchParams.get('from') ?? 0);
          const size = Number(url.searchParams.get('size') ?? 20);
          const live = [...batches.values()].filter((b) => !b.deleted);
          return send(response, 200, { from, total: live.length, sessions: live.slice(from, from + size).map(view) });
        }
        if (request.method === 'POST') {
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(raw) as Record<string, unknown>;
          } catch {
            return send(response, 400, { msg: 'Rejected, Reason: invalid JSON' });
          }
          if (typeof body.file !== 'string' || body.file === '') return send(response, 400, { msg: 'Rejected, Reason: file is required' });
          const file = body.file;
          const batch: LivyBatch = {
            id: nextId++,
            name: typeof body.name === 'string' ? body.name : null,
            file,
            body,
            script: scriptFor(file),
            step: 0,
            state: 'starting',
            deleted: false,
            log: ['stdout: ', `Submitting ${file}`],
          };
          batches.set(batch.id, batch);
          return send(response, 201, view(batch));
        }
        return send(response, 405, { msg: 'Method not allowed' });
      }
      const batch = batches.get(id);
      if (!batch || batch.deleted) return send(response, 404, { msg: `Session '${id}' not found.` });
      if (request.method === 'DELETE' && !match[2]) {
        batch.deleted = true;
        batch.state = 'killed';
        batch.log.push('Killed by DELETE /batches');
        return send(response, 200, { msg: 'deleted' });
      }
      if (match[2] === '/state') {
        if (batch.step < batch.script.length - 1) {
          batch.step += 1;
          batch.state = batch.script[batch.step]!;
          batch.log.push(`state ${batch.state}`);
        }
        return send(response, 200, { id: batch.id, state: batch.state });
      }
      if (match[2] === '/log') {
        const from = Number(url.searchParams.get('from') ?? 0);
        const size = Number(url.searchParams.get('size') ?? 100);
        return send(response, 200, { id: batch.id, from, total: batch.log.length, log: batch.log.slice(from, from + size) });
      }
      return send(response, 200, view(batch));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    batches,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
