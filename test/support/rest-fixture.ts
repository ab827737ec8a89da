// A small REST API for run-time connector tests: bearer auth, an identity route, a list paged by `page` and
// `per_page`, one item by id, and a create route that echoes its JSON body. Records every request.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RestFixture {
  baseUrl: string;
  token: string;
  requests: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: string }[];
  close(): Promise<void>;
}

const ITEMS = Array.from({ length: 5 }, (_, i) => ({ id: `item-${i + 1}`, name: `Item ${i + 1}` }));

export async function startRestFixture(token = 'fixture-token-5678'): Promise<RestFixture> {
  const requests: RestFixture['requests'] = [];
  const send = (response: ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fixture');
      requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body: raw });
      if (request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: { message: 'bad token', code: 'unauthorized' } });
      if (url.pathname === '/v1/me') return send(response, 200, { user: { login: 'ada', plan: 'pro' }, active: true });
      if (url.pathname === '/v1/items' && request.method === 'GET') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 2);
        return send(response, 200, { data: ITEMS.slice((page - 1) * perPage, page * perPage), page });
      }
      if (url.pathname === '/v1/items' && request.method === 'POST') return send(response, 201, { created: JSON.parse(raw || 'null') });
      const one = /^\/v1\/items\/(.+)$/.exec(url.pathname);
      if (one) {
        const id = decodeURIComponent(one[1]!);
        const item = ITEMS.find((candidate) => candidate.id === id);
        return item ? send(response, 200, { item, rawPath: url.pathname }) : send(response, 404, { error: { message: `no item ${id}` }, rawPath: url.pathname });
      }
      return send(response, 404, { error: { message: 'no such route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    token,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
