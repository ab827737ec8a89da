// Fault test on PostgreSQL with real processes: a WooCommerce customers sync (the catalogue connector, over
// HTTPS to a local store whose certificate the hub trusts through NODE_EXTRA_CA_CERTS) is read page by page
// while the worker is killed with SIGKILL; a new worker resumes the run from its checkpoint, and the records
// are exactly the store's customers: none missing, none twice, one `added` history row each.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, TEST_MASTER_KEY } from '../../test/support/databases.ts';
import { runCli, startHubProcess, type HubProcess } from '../../test/support/hub-process.ts';

const KEY = 'sb_sync_crash_test_key_0123456789abcd';
const CONSUMER_KEY = 'ck_0123456789abcdef';
const CONSUMER_SECRET = 'cs_0123456789abcdef';
const CUSTOMERS = 1000;

function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer; certPath: string } {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('a sync run when its worker is killed (PostgreSQL, api + worker processes)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('resumes from the checkpoint after a SIGKILL and stores every record exactly once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const tls = selfSignedCertificate(dir);
    const pageRequests: number[] = [];
    const store = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/wp-json/') return json(200, { name: 'Crash Test Store', url: 'https://127.0.0.1' });
      const expected = `Basic ${Buffer.from(`${CONSUMER_KEY}:${CONSUMER_SECRET}`).toString('base64')}`;
      if (request.headers.authorization !== expected) return json(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      if (url.pathname === '/wp-json/wc/v3/system_status') return json(200, { environment: { home_url: 'https://127.0.0.1', wc_version: '9.8.5' } });
      if (url.pathname === '/wp-json/wc/v3/customers') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 10);
        pageRequests.push(page);
        const items = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: i + 1, email: `c${i + 1}@example.test`, first_name: 'C', last_name: String(i + 1) })).slice((page - 1) * perPage, page * perPage);
        // Slow pages keep the run going long enough to be killed in the middle.
        setTimeout(() => json(200, items, { 'x-wp-total': String(CUSTOMERS), 'x-wp-totalpages': String(Math.ceil(CUSTOMERS / perPage)) }), 400);
        return;
      }
      return json(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    });
    await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => store.close(resolve)));
    const storeUrl = `https://127.0.0.1:${(store.address() as { port: number }).port}`;

    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY,
      SWITCHBOARD_BOOTSTRAP_API_KEY: KEY,
      SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      NODE_EXTRA_CA_CERTS: tls.certPath,
    };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const api = await startHubProcess({ command: 'api', env });
    cleanups.push(() => api.stop());
    let worker: HubProcess = await startHubProcess({ command: 'worker', env });
    cleanups.push(() => worker.stop());

    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${api.url}/api/v1${url}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as any;
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    const integration = await call('POST', '/integrations', {
      connectorId: 'woocommerce',
      name: 'Crash store',
      config: { storeUrl },
      credentials: { consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET },
    });
    for (const sync of ['customers', 'orders']) await call('PATCH', `/integrations/${integration.id}/syncs/${sync}`, { paused: true });
    const run = await call('POST', `/integrations/${integration.id}/syncs/customers/run`);

    const until = async (check: () => boolean | Promise<boolean>, what: string, seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      while (Date.now() < deadline) {
        if (await check()) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`Timed out after ${seconds} s waiting for ${what}`);
    };
    await until(() => pageRequests.length >= 4, 'four pages read', 60);
    await worker.kill('SIGKILL');
    const readBeforeKill = pageRequests.length;
    expect((await call('GET', `/sync-runs/${run.id}`)).status).toBe('running');

    worker = await startHubProcess({ command: 'worker', env });
    // The killed worker's job comes back once the job layer sees its heartbeat lapse (its supervisor checks every minute).
    await until(async () => (await call('GET', `/sync-runs/${run.id}`)).status === 'completed', 'the run completed', 240);

    const done = await call('GET', `/sync-runs/${run.id}`);
    expect(done).toMatchObject({ status: 'completed', attempt: 1, counts: { added: CUSTOMERS, updated: 0, deleted: 0 } });
    // The second worker began where the checkpoint was, not at page one.
    expect(pageRequests.filter((page) => page === 1)).toHaveLength(1);
    expect(pageRequests.length).toBeLessThanOrEqual(readBeforeKill + 10);
    const resumedAt = pageRequests[readBeforeKill]!;
    expect(resumedAt).toBeGreaterThan(1);

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { externalId: string; deleted: boolean }[]; nextCursor: string | null } = await call(
        'GET',
        `/integrations/${integration.id}/records?model=Customer&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.items.map((item) => item.externalId));
      expect(page.items.every((item) => !item.deleted)).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(CUSTOMERS);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: CUSTOMERS }, (_, i) => String(i + 1))));

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const history = await client.query(`select kind, count(*)::int as n, count(distinct external_id)::int as ids from sync_record_changes group by kind`);
      expect(history.rows).toEqual([{ kind: 'added', n: CUSTOMERS, ids: CUSTOMERS }]);
      const seen = await client.query('select count(*)::int as n from sync_run_seen');
      expect(seen.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  }, 360_000);
});
