import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startHub, type RunningHub } from '../hub.ts';
import { createPostgresDatabase, TEST_MASTER_KEY } from '../../test/support/databases.ts';
import { BOOTSTRAP_KEY } from '../../test/support/test-hub.ts';
import { loadConfig } from './config.ts';
import { createSharedState } from './shared-state.ts';

const redisUrl = process.env.TEST_REDIS_URL;
const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!redisUrl)('shared state on Redis', () => {
  it('counts one rate-limit budget across limiter instances, as separate nodes would', async () => {
    const nodes = [await createSharedState(redisUrl), await createSharedState(redisUrl)];
    const keyPrefix = `test-${Date.now()}-${Math.random()}`;
    const limiters = nodes.map((node) => node.rateLimiter({ keyPrefix, points: 3, durationSeconds: 60 }));
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await limiters[i % 2]!.consume('caller').then(() => 'ok', () => 'limited'));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'limited']);
    for (const node of nodes) await node.close();
  });

  it('keeps limiting in memory while Redis is unreachable instead of failing requests', async () => {
    let warned = '';
    const unreachable = await createSharedState('redis://127.0.0.1:1', (error) => (warned = error.message));
    expect(warned).not.toBe('');
    const limiter = unreachable.rateLimiter({ keyPrefix: 'offline', points: 2, durationSeconds: 60 });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await limiter.consume('caller').then(() => 'ok', (e) => (e instanceof Error ? `error: ${e.message}` : 'limited')));
    expect(outcomes).toEqual(['ok', 'ok', 'limited']);
    await unreachable.close();
  });
});

describe.skipIf(!redisUrl || !databaseUrl)('two API nodes on one PostgreSQL and one Redis', () => {
  const hubs: RunningHub[] = [];
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    const config = loadConfig({
      DATABASE_URL: database.url,
      SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY,
      REDIS_URL: redisUrl,
      SWITCHBOARD_PORT: '0',
      SWITCHBOARD_API_RATE_LIMIT: '4',
      SWITCHBOARD_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
      SWITCHBOARD_ADMIN_PASSWORD: 'owner-password-1234',
    });
    const logger = pino({ level: 'silent' });
    // Started one after the other so the second finds the installation the first created.
    hubs.push(await startHub(config, { api: true, worker: false }, { logger }));
    hubs.push(await startHub(config, { api: true, worker: false }, { logger }));
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    await drop?.();
  });

  it('share one rate limit per key across nodes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${hubs[i % 2]!.url}/api/v1/workspaces/current`, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('report Redis in their readiness checks', async () => {
    const ready = (await (await fetch(`${hubs[0]!.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.sharedState).toBe('ok (redis)');
  });
});
