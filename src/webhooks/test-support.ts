// Helpers for the webhook tests: a scriptable receiver on 127.0.0.1 that records every delivery, and
// small API shortcuts against a test hub.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestHub } from '../../test/support/test-hub.ts';

export interface ReceivedDelivery {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

/** Decides the answer to each request; `hold` keeps the request open until released (or the hub gives up). */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hold';

export interface Receiver {
  url: string;
  received: ReceivedDelivery[];
  /** Changes how later requests are answered. */
  answer(reply: Reply | ((delivery: ReceivedDelivery, index: number) => Reply)): void;
  /** Answers every held request with 200. */
  release(): void;
  held(): number;
  close(): Promise<void>;
}

export async function startReceiver(initial: Reply = { status: 200, body: 'ok' }): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  let decide: (delivery: ReceivedDelivery, index: number) => Reply = () => initial;
  const holding = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const delivery = { url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const index = received.push(delivery) - 1;
      const reply = decide(delivery, index);
      if (reply === 'hold') {
        holding.add(response);
        response.on('close', () => holding.delete(response));
        return;
      }
      response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(reply) {
      decide = typeof reply === 'function' ? reply : () => reply;
    },
    release() {
      for (const response of holding) {
        response.writeHead(200);
        response.end('released');
      }
      holding.clear();
    },
    held: () => holding.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until the check passes (a condition, never a time budget the code under test must meet). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, tries = 600): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(50);
  }
  throw new Error(`Gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function createEndpoint(t: TestHub, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await t.inject({ method: 'POST', url: '/api/v1/webhooks/endpoints', headers: t.auth, payload: body });
  if (response.statusCode !== 201) throw new Error(`endpoint create failed: ${response.statusCode} ${response.body}`);
  const json = response.json();
  return { id: json.endpoint.id, secret: json.secret };
}

export async function emit(t: TestHub, type: string, payload: Record<string, unknown> = {}): Promise<string> {
  const response = await t.inject({ method: 'POST', url: '/api/v1/events', headers: t.auth, payload: { type, payload } });
  if (response.statusCode !== 201) throw new Error(`emit failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

export async function getEvent(t: TestHub, id: string) {
  return (await t.inject({ method: 'GET', url: `/api/v1/events/${id}`, headers: t.auth })).json();
}
