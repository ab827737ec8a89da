import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, TEST_MASTER_KEY } from './support/databases.ts';
import { runCli, startHubProcess } from './support/hub-process.ts';

describe('the switchboard command', () => {
  it('lists its commands and explains each one', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['start', 'api', 'worker', 'migrate', 'api-key create', 'user reset-password']) expect(help.stdout).toContain(command);
    const keyHelp = await runCli(['api-key', 'create', '--help'], {});
    expect(keyHelp.stdout).toContain('--workspace <slug>');
    const unknown = await runCli(['launch'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "launch"');
  });

  it('stops at boot on a bad setting, naming it', async () => {
    const result = await runCli(['start'], { SWITCHBOARD_PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SWITCHBOARD_PORT="eighty" is invalid');
    const split = await runCli(['api'], { SWITCHBOARD_DATA_DIR: os.tmpdir() });
    expect(split.code).toBe(2);
    expect(split.stderr).toContain('set DATABASE_URL');
  });

  describe('on the embedded database', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('prints how to sign in on first start, refuses a second process on the folder, and stops cleanly on SIGTERM', async () => {
      const hub = await startHubProcess({ dataDir });
      try {
        expect(hub.output()).toMatch(/First start: created the "default" workspace/);
        expect(hub.output()).toMatch(/as admin@switchboard\.local\s+with the password \S{20,}/);
        const second = await runCli(['start'], { SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0' });
        expect(second.code).toBe(2);
        expect(second.stderr).toContain(`The data directory ${dataDir} is in use by another Switchboard process`);
      } finally {
        expect(await hub.stop()).toBe(0);
      }
    });

    it('creates an API key and resets a password from the command line, then the restarted hub honours both', async () => {
      const key = await runCli(['api-key', 'create', '--workspace', 'default', '--role', 'member', '--name', 'from cli'], { SWITCHBOARD_DATA_DIR: dataDir });
      expect(key.code).toBe(0);
      const apiKey = key.stdout.trim();
      expect(apiKey).toMatch(/^sb_/);
      const reset = await runCli(['user', 'reset-password', '--email', 'admin@switchboard.local'], { SWITCHBOARD_DATA_DIR: dataDir });
      expect(reset.code).toBe(0);
      const password = reset.stdout.trim();
      const badWorkspace = await runCli(['api-key', 'create', '--workspace', 'nope'], { SWITCHBOARD_DATA_DIR: dataDir });
      expect(badWorkspace.code).toBe(2);
      expect(badWorkspace.stderr).toContain('No workspace with the slug "nope"');

      const hub = await startHubProcess({ dataDir });
      try {
        expect(hub.output()).not.toContain('First start');
        const current = await fetch(`${hub.url}/api/v1/workspaces/current`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(await current.json()).toMatchObject({ role: 'member', workspace: { slug: 'default' } });
        const signIn = await fetch(`${hub.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@switchboard.local', password }),
        });
        expect(signIn.status).toBe(200);
        expect(((await signIn.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
      } finally {
        await hub.stop();
      }
      // Three CLI runs and a hub start, each opening the embedded database: minutes on a loaded machine.
    }, 180_000);
  });

  describe.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, as separate api and worker processes', () => {
    it('runs one api and two workers on one database', async () => {
      const database = await createPostgresDatabase();
      const env = { DATABASE_URL: database.url, SWITCHBOARD_MASTER_KEY: TEST_MASTER_KEY, SWITCHBOARD_BOOTSTRAP_API_KEY: 'sb_cli_test_key_0123456789abcdef' };
      const migrate = await runCli(['migrate'], env);
      expect(migrate.code).toBe(0);
      const processes = [];
      try {
        processes.push(await startHubProcess({ command: 'api', env }));
        processes.push(await startHubProcess({ command: 'worker', env }));
        processes.push(await startHubProcess({ command: 'worker', env }));
        const api = processes[0]!;
        expect(api.output()).toContain('Switchboard api ready');
        expect(processes[1]!.output()).toContain('Switchboard worker ready');
        const current = await fetch(`${api.url}/api/v1/workspaces/current`, { headers: { authorization: `Bearer ${env.SWITCHBOARD_BOOTSTRAP_API_KEY}` } });
        expect(current.status).toBe(200);
      } finally {
        for (const hub of processes) expect(await hub.stop()).toBe(0);
        await database.drop();
      }
    });
  });
});
