// Starts a real hub in this process on a fresh database of the given backend, for API tests.
import { Writable } from 'node:stream';
import type { Clock } from 'pg-boss';
import pino from 'pino';
import { startHub, type RunningHub } from '../../src/hub.ts';
import type { ConnectorDefinition } from '../../src/connectors/sdk/define.ts';
import type { App } from '../../src/platform/http/server.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { JobDefinition } from '../../src/platform/jobs/define.ts';
import { REDACTED_PATHS } from '../../src/platform/observability/logger.ts';
import type { Backend, TestDatabase } from './databases.ts';

export const OWNER_EMAIL = 'owner@example.com';
export const OWNER_PASSWORD = 'owner-password-1234';
export const BOOTSTRAP_KEY = 'sb_test_bootstrap_key_0123456789abcdef';

export interface TestHub {
  hub: RunningHub;
  database: TestDatabase;
  /** Every log line the hub wrote, as text (for "no secret in logs" checks). */
  logs: string[];
  inject: App['inject'];
  /** Request headers with the bootstrap owner key. */
  auth: { authorization: string };
  stop(): Promise<void>;
}

export async function startTestHub(
  backend: Backend,
  options: { env?: Record<string, string>; extraJobs?: JobDefinition<any>[]; extraConnectors?: ConnectorDefinition[]; jobClock?: Clock } = {},
): Promise<TestHub> {
  const database = await backend.create({ migrate: false });
  // The hub opens its own connection (PGlite allows one process per directory), so hand it over.
  await database.handle.close();
  const config = loadConfig({
    SWITCHBOARD_PORT: '0',
    SWITCHBOARD_LOG_LEVEL: 'info',
    SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL,
    SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD,
    SWITCHBOARD_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
    ...database.env,
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  const hub = await startHub(config, { api: true, worker: true }, { logger, extraJobs: options.extraJobs ?? [], extraConnectors: options.extraConnectors ?? [], ...(options.jobClock ? { jobClock: options.jobClock } : {}) });
  const app = hub.app!;
  return {
    hub,
    database,
    logs,
    inject: app.inject.bind(app) as App['inject'],
    auth: { authorization: `Bearer ${BOOTSTRAP_KEY}` },
    async stop() {
      await hub.stop();
      await database.dispose();
    },
  };
}

/** Signs in as the owner and returns the Cookie header for later requests. */
export async function signIn(test: TestHub, email = OWNER_EMAIL, password = OWNER_PASSWORD): Promise<{ cookie: string }> {
  const response = await test.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'sb_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `sb_session=${cookie.value}` };
}
