// The `switchboard` command: run the hub (start | api | worker), migrate, and administer keys and users.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { eq } from 'drizzle-orm';
import { createApiKey } from './access/api-keys.ts';
import { recordAudit } from './audit/record-audit.ts';
import { loadKeyring, startHub, type Roles } from './hub.ts';
import { createLogger } from './platform/observability/logger.ts';
import { rotateMasterKey } from './platform/vault/index.ts';
import { generatePassword, hashPassword } from './platform/auth/passwords.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { DataDirectoryLockedError, migrateDatabase, openDatabase, type Db } from './platform/db/database.ts';
import { API_KEY_SCOPES, ROLES, sessions, users, workspaces, type ApiKeyScope, type Role } from './platform/db/schema.ts';
import { CliUsageError, scrapeCommand } from './scraping/cli-scrape.ts';

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether the command takes arguments besides its options (`scrape <url>`). */
  positionals?: boolean;
  run(values: Record<string, string | boolean | undefined>, config: Config, positionals: string[]): Promise<void>;
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

const serve = (roles: Roles, what: string): Command => ({
  summary: what,
  usage: '',
  options: {},
  async run(_values, config) {
    const hub = await startHub(config, roles);
    if (hub.bootstrap.firstStart) printFirstStart(hub.bootstrap.firstStart, hub.url);
    const where = hub.url ? ` at ${hub.url}` : '';
    const database = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
    console.log(`Switchboard ${Object.entries(roles).filter(([, on]) => on).map(([role]) => role).join(' + ')} ready${where} on ${database}.`);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting for jobs.`);
        process.exit(1);
      }
      stopping = true;
      console.log(`${signal}: stopping (in-flight jobs get ${config.shutdownTimeoutSeconds} s)…`);
      hub.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  },
});

function printFirstStart(first: { email: string; generatedPassword: string | null }, url: string | null) {
  const lines = [
    'First start: created the "default" workspace and its owner.',
    `  Sign in at ${url ?? 'the dashboard'} as ${first.email}`,
    first.generatedPassword
      ? `  with the password ${first.generatedPassword}  (shown only now; you will be asked to change it)`
      : '  with the password from SWITCHBOARD_ADMIN_PASSWORD.',
    '  Lost it? `switchboard user reset-password --email <email>` prints a new one.',
  ];
  console.log(`\n${lines.join('\n')}\n`);
}

/** Runs `work` on the migrated database, then closes it (for one-shot admin commands). */
async function withDatabase<T>(config: Config, work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

const COMMANDS: Record<string, Command> = {
  start: serve({ api: true, worker: true }, 'Run the whole hub in one process: API, dashboard and job workers (the default).'),
  api: serve({ api: true, worker: false }, 'Run only the HTTP API and dashboard (needs DATABASE_URL; run workers separately).'),
  worker: serve({ api: false, worker: true }, 'Run only job workers (needs DATABASE_URL; any number of them).'),
  migrate: {
    summary: 'Apply database migrations and exit.',
    usage: '',
    options: {},
    async run(_values, config) {
      await withDatabase(config, async () => {});
      console.log('Migrations applied.');
    },
  },
  'api-key create': {
    summary: 'Create an API key in a workspace and print it once.',
    usage: '--workspace <slug> [--role owner|admin|member] [--name <name>] [--scopes read,write]',
    options: {
      workspace: { type: 'string', default: 'default' },
      role: { type: 'string', default: 'admin' },
      name: { type: 'string', default: 'created from the CLI' },
      scopes: { type: 'string', default: 'read,write' },
    },
    async run(values, config) {
      const role = String(values.role) as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const scopes = String(values.scopes).split(',').map((s) => s.trim()) as ApiKeyScope[];
      if (scopes.length === 0 || !scopes.every((s) => API_KEY_SCOPES.includes(s))) {
        throw new UsageError(`--scopes must be a comma-separated subset of ${API_KEY_SCOPES.join(',')}`);
      }
      const key = await withDatabase(config, async (db) => {
        const [workspace] = await db.select().from(workspaces).where(eq(workspaces.slug, String(values.workspace)));
        if (!workspace) throw new UsageError(`No workspace with the slug "${values.workspace}".`);
        return db.transaction(async (tx) => {
          const created = await createApiKey(tx, { workspaceId: workspace.id, name: String(values.name), role, scopes, createdByUserId: null });
          await recordAudit(tx, { workspaceId: workspace.id, actor: 'system', action: 'api_key.created', targetType: 'api_key', targetId: created.row.id, metadata: { name: created.row.name, prefix: created.row.prefix, role, scopes, via: 'cli' } });
          return created.key;
        });
      });
      console.log(key);
      console.error('Store this key now: it is not shown again.');
    },
  },
  'keys rotate': {
    summary: "Re-wrap every workspace's data keys under the active master key (SWITCHBOARD_MASTER_KEY's first entry), online.",
    usage: '',
    options: {},
    async run(_values, config) {
      const result = await withDatabase(config, async (db) => {
        const keyring = loadKeyring(config, createLogger({ level: 'warn' }));
        return rotateMasterKey({ db, keyring, onProgress: (p) => console.error(`re-wrapped ${p.rewrapped} data keys, ${p.remaining} to go…`) });
      });
      console.log(JSON.stringify(result, null, 2));
      if (!result.complete) {
        console.error('Rotation is not complete: see `failed` above; fix the cause and run the command again.');
        process.exitCode = 1;
      }
    },
  },
  scrape: scrapeCommand as Command,
  'user reset-password': {
    summary: "Give a user a new generated password (printed once) and end the user's sessions.",
    usage: '--email <email>',
    options: { email: { type: 'string' } },
    async run(values, config) {
      if (!values.email) throw new UsageError('--email is required');
      const password = generatePassword();
      await withDatabase(config, async (db) => {
        const passwordHash = await hashPassword(password);
        const updated = await db
          .update(users)
          .set({ passwordHash, mustChangePassword: true })
          .where(eq(users.email, String(values.email).toLowerCase()))
          .returning({ id: users.id });
        if (updated.length === 0) throw new UsageError(`No user with the email ${values.email}.`);
        await db.delete(sessions).where(eq(sessions.userId, updated[0]!.id));
      });
      console.log(password);
      console.error('The user must choose a new password at the next sign-in.');
    },
  },
};

class UsageError extends Error {}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: switchboard <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `switchboard <command> --help` for a command\'s options. Configuration comes from environment',
    'variables (see the README); with none set the hub runs on an embedded database in ./.switchboard.',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const twoWord = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : '';
  const name = COMMANDS[twoWord] ? twoWord : (argv[0] ?? 'start');
  const rest = argv.slice(name.split(' ').length);
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${argv.join(' ')}".\n\n${help()}`);
  const { values, positionals } = parseArgs({ args: rest, options: { ...command.options, ...HELP_OPTION }, allowPositionals: command.positionals ?? false });
  if (values.help) {
    console.log(`Usage: switchboard ${name} ${command.usage}\n\n${command.summary}`);
    return;
  }
  await command.run(values as Record<string, string | boolean | undefined>, loadConfig(), positionals);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof DataDirectoryLockedError || error instanceof CliUsageError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\nRun \`switchboard --help\`.`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
