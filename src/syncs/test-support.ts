// Test support for the sync engine: a small provider served over HTTP on 127.0.0.1 (contacts behind a
// cursor, deals changed since a time), a connector whose syncs read it, and helpers to connect, run and wait.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineConnector, type ConnectorDefinition } from '../connectors/sdk/define.ts';
import { defineSync } from '../connectors/sdk/sync.ts';
import { rowsOf } from '../platform/db/database.ts';
import type { TestHub } from '../../test/support/test-hub.ts';

export interface Contact {
  id: string;
  name: string;
  email?: string;
  updatedAt: string;
}

export interface ProviderRequestLog {
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FixtureProvider {
  url: string;
  contacts: Contact[];
  deals: { id: string; amount: number; updatedAt: string }[];
  requests: ProviderRequestLog[];
  /** Decides an answer before the normal one: return a status (and body) to fail the request. */
  failWith: ((request: { path: string; query: Record<string, string> }) => { status: number; body?: unknown; headers?: Record<string, string> } | null) | null;
  /** Waits this long before answering each contacts page (a worker can be killed mid-sync). */
  pageDelayMs: number;
  close(): Promise<void>;
}

const PAGE = 10;

export async function startFixtureProvider(options: { contacts?: number } = {}): Promise<FixtureProvider> {
  const state: Omit<FixtureProvider, 'url' | 'close'> = {
    contacts: Array.from({ length: options.contacts ?? 25 }, (_, i) => contact(i)),
    deals: [],
    requests: [],
    failWith: null,
    pageDelayMs: 0,
  };
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const query = Object.fromEntries(url.searchParams);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      state.requests.push({ path: url.pathname, query, status });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.headers['x-api-key'] !== 'fixture-key') return reply(401, { error: { message: 'bad api key' } });
    const failure = state.failWith?.({ path: url.pathname, query });
    if (failure) return reply(failure.status, failure.body ?? { error: { message: `fixture answered ${failure.status}` } }, failure.headers);
    if (url.pathname === '/me') return reply(200, { id: 'acct-1', name: 'Fixture CRM' });
    if (url.pathname === '/contacts') {
      if (state.pageDelayMs) await new Promise((resolve) => setTimeout(resolve, state.pageDelayMs));
      const start = Number(query.cursor ?? 0);
      const items = state.contacts.slice(start, start + PAGE);
      const next = start + PAGE < state.contacts.length ? String(start + PAGE) : null;
      return reply(200, { items, next, total: state.contacts.length });
    }
    if (url.pathname === '/deals') {
      const after = query.updated_after ?? '';
      return reply(200, { items: state.deals.filter((deal) => deal.updatedAt > after).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)) });
    }
    return reply(404, { error: { message: `no route ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as FixtureProvider;
}

export function contact(i: number, name = `Contact ${i}`): Contact {
  return { id: `c${String(i).padStart(4, '0')}`, name, email: `c${i}@example.com`, updatedAt: '2026-01-01T00:00:00Z' };
}

const contactSchema = z.object({ id: z.string(), name: z.string(), email: z.string().optional(), updatedAt: z.string() });
const dealSchema = z.object({ id: z.string(), amount: z.number(), updatedAt: z.string() });

/** The connector the sync tests run: contacts (full sync, cursor pages, a checkpoint per page) and deals (incremental). */
export function fixtureConnector(): ConnectorDefinition<{ baseUrl: string }> {
  return defineConnector<{ baseUrl: string }>({
    id: 'fixture-crm',
    title: 'Fixture CRM',
    category: 'data',
    description: 'A provider served by the sync tests.',
    logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" fill="#0ea5e9"/></svg>',
    docsUrl: 'https://example.com/docs',
    baseUrl: (config) => config.baseUrl,
    auth: { kind: 'apiKey', fields: { apiKey: { label: 'API key', placement: 'header', name: 'x-api-key' } } },
    config: z.object({ baseUrl: z.string() }),
    async checkConnection(ctx) {
      const answer = await ctx.http.get<{ id: string; name: string }>('me');
      return { ok: true, account: { id: answer.data.id, name: answer.data.name } };
    },
    actions: [],
    syncs: [
      defineSync<{ baseUrl: string }, Contact>({
        name: 'contacts',
        title: 'Contacts',
        description: 'Every contact, page by page.',
        model: 'Contact',
        schema: contactSchema,
        idOf: (record) => record.id,
        frequency: 'every 1d',
        incremental: false,
        async run(ctx) {
          let processed = 0;
          const resumeFrom = await ctx.checkpoint.get<string>();
          for await (const page of ctx.paginate<Contact>(
            // One try per call: each failing sync attempt is then one failed request, and the outbound client's
            // breaker (on real time, while the tests move the job clock) stays closed through two failures.
            { path: 'contacts', retry: { maxAttempts: 1 } },
            { kind: 'cursor', itemsPath: 'items', cursorPath: 'next', cursorParam: 'cursor' },
            { resumeFrom: resumeFrom ?? null },
          )) {
            await ctx.records.upsert(page.items);
            await ctx.checkpoint.save(page.next);
            processed += page.items.length;
            await ctx.progress(processed, (page.response.data as { total: number }).total, 'contacts');
          }
          const today = new Date().toISOString().slice(0, 10);
          await ctx.metrics.record([{ metric: 'contacts_synced', date: today, value: processed, unit: 'count' }]);
        },
      }),
      defineSync<{ baseUrl: string }, { id: string; amount: number; updatedAt: string }>({
        name: 'deals',
        title: 'Deals',
        description: 'Deals changed since the last run.',
        model: 'Deal',
        schema: dealSchema,
        idOf: (record) => record.id,
        frequency: 'every 1h',
        incremental: true,
        async run(ctx) {
          const since = (await ctx.checkpoint.get<string>()) ?? '';
          const answer = await ctx.http.get<{ items: unknown[] }>('deals', { query: { updated_after: since || undefined } });
          const items = answer.data.items as { id: string; amount: number; updatedAt: string }[];
          await ctx.records.upsert(items);
          if (items.length) await ctx.checkpoint.save(items.at(-1)!.updatedAt);
        },
      }),
    ],
  });
}

export async function connectFixture(t: TestHub, provider: FixtureProvider, headers: Record<string, string> = t.auth, name = 'CRM'): Promise<string> {
  const response = await t.inject({
    method: 'POST',
    url: '/api/v1/integrations',
    headers,
    payload: { connectorId: 'fixture-crm', name, config: { baseUrl: provider.url }, credentials: { apiKey: 'fixture-key' } },
  });
  if (response.statusCode !== 201) throw new Error(`connect failed: ${response.statusCode} ${response.body}`);
  const id = response.json().id as string;
  // Tests start their runs themselves: no scheduled run may slip in between.
  for (const sync of ['contacts', 'deals']) {
    const paused = await t.inject({ method: 'PATCH', url: `/api/v1/integrations/${id}/syncs/${sync}`, headers, payload: { paused: true } });
    if (paused.statusCode !== 200) throw new Error(`pause failed: ${paused.statusCode} ${paused.body}`);
  }
  return id;
}

export async function startRun(t: TestHub, integrationId: string, sync: string, headers: Record<string, string> = t.auth): Promise<any> {
  const response = await t.inject({ method: 'POST', url: `/api/v1/integrations/${integrationId}/syncs/${sync}/run`, headers });
  if (response.statusCode !== 202 && response.statusCode !== 200) throw new Error(`run failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function getRun(t: TestHub, runId: string): Promise<any> {
  return (await t.inject({ method: 'GET', url: `/api/v1/sync-runs/${runId}`, headers: t.auth })).json();
}

export async function eventually<T>(check: () => T | Promise<T>, what: string, attempts = 600): Promise<NonNullable<T>> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export async function waitForRun(t: TestHub, runId: string, statuses = ['completed', 'failed', 'dead', 'cancelled']): Promise<any> {
  return eventually(async () => {
    const run = await getRun(t, runId);
    return statuses.includes(run.status) ? run : null;
  }, `run ${runId} to reach ${statuses.join('/')}`);
}

export async function eventsOf(t: TestHub, integrationId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  return rowsOf<{ type: string; payload: Record<string, unknown> }>(
    await t.hub.context.db.execute(sql`select type, payload from events where integration_id = ${integrationId}::uuid order by id`),
  );
}
