// The operation log's writer stores queued rows in batches, after a short delay or when asked (reads
// flush first), on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { backends } from '../../../test/support/databases.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import { rowsOf } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { createOperationLog } from './operation-log.ts';

describe.each(backends)('operation log writer on $name', (backend) => {
  let database: TestDatabase;
  let workspaceId: string;
  let integrationId: string;
  beforeAll(async () => {
    database = await backend.create({ migrate: true });
    workspaceId = newId();
    integrationId = newId();
    await database.handle.db.execute(sql`insert into workspaces (id, name, slug) values (${workspaceId}::uuid, 'W', ${`w-${workspaceId}`})`);
    await database.handle.db.execute(sql`insert into integrations (id, workspace_id, connector_id, name, status) values (${integrationId}::uuid, ${workspaceId}::uuid, 'rest', 'I', 'connected')`);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const count = async () => rowsOf<{ n: number }>(await database.handle.db.execute(sql`select count(*)::int as n from integration_operations`))[0]!.n;
  const row = () => ({ id: newId(), workspaceId, integrationId, operation: 'proxy', method: 'GET', url: 'http://x/y', status: 200, latencyMs: 1, attempts: 1, errorCode: null, createdAt: new Date() });

  it('stores nothing at once, then every queued row in one go when flushed', async () => {
    const log = createOperationLog({ db: database.handle.db, logger: pino({ level: 'silent' }) });
    for (let i = 0; i < 25; i++) log.record(row());
    expect(await count()).toBe(0);
    await log.flush();
    expect(await count()).toBe(25);
  });

  it('stores queued rows by itself shortly after', async () => {
    const log = createOperationLog({ db: database.handle.db, logger: pino({ level: 'silent' }) });
    const before = await count();
    log.record(row());
    for (let waited = 0; (await count()) === before && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await count()).toBe(before + 1);
  });

  it('logs a batch it cannot store and keeps working', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const log = createOperationLog({ db: database.handle.db, logger });
    log.record({ ...row(), integrationId: newId() });
    await log.flush();
    expect(lines.join('')).toContain('could not record integration operations');
    const before = await count();
    log.record(row());
    await log.flush();
    expect(await count()).toBe(before + 1);
  });
});
