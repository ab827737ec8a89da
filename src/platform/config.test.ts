import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENVIRONMENT, loadConfig, publicUrl } from './config.ts';
import { ERROR_CODES } from './errors.ts';

describe('configuration', () => {
  it('runs with no variables at all on the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, redisUrl: undefined, corsOrigins: [] });
    expect(config.dataDir.endsWith('.switchboard')).toBe(true);
    expect(publicUrl(config)).toBe('http://127.0.0.1:3000');
  });

  it('stops on a bad value, naming the variable, the problem and an example, for every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ SWITCHBOARD_PORT: 'eighty', DATABASE_URL: 'mysql://x', SWITCHBOARD_LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('SWITCHBOARD_PORT="eighty" is invalid');
    expect(message).toContain(`Example: SWITCHBOARD_PORT=${ENVIRONMENT.SWITCHBOARD_PORT.example}`);
    expect(message).toContain('DATABASE_URL=(value hidden) is invalid: must start with postgres://');
    expect(message).toContain('SWITCHBOARD_LOG_LEVEL="loud"');
  });

  it('accepts every documented example', () => {
    // The master key's example is a recipe, not a key anyone should copy.
    const examples = Object.fromEntries(
      Object.entries(ENVIRONMENT)
        .filter(([name]) => name !== 'SWITCHBOARD_MASTER_KEY')
        .map(([name, entry]) => [name, entry.example]),
    );
    expect(() => loadConfig({ ...examples, SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') })).not.toThrow();
  });

  it('refuses a bootstrap API key that is too short to be safe', () => {
    expect(() => loadConfig({ SWITCHBOARD_BOOTSTRAP_API_KEY: 'sb_short' })).toThrow(/SWITCHBOARD_BOOTSTRAP_API_KEY/);
  });

  it('splits the CORS origin list', () => {
    expect(loadConfig({ SWITCHBOARD_CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('documents every variable in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
    for (const name of Object.keys(ENVIRONMENT)) expect(table).toContain(`| \`${name}\` |`);
  });

  it('requires a master key with PostgreSQL and never echoes a bad one', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x' })).toThrow(/SWITCHBOARD_MASTER_KEY is required with DATABASE_URL/);
    let message = '';
    try {
      loadConfig({ SWITCHBOARD_MASTER_KEY: 'not-a-key-but-maybe-a-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SWITCHBOARD_MASTER_KEY=(value hidden) is invalid');
    expect(message).not.toContain('not-a-key-but-maybe-a-secret');
  });

  it('documents every API error code with its status in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES)) expect(readme).toContain(`| \`${code}\` | ${status} |`);
  });
});
