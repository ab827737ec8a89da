// Starts and stops one hub process in its roles: api (HTTP + dashboard), worker (jobs), or both.
import type { Logger } from 'pino';
import { bootstrap, type BootstrapResult } from './access/bootstrap.ts';
import { aiJobs, closeAiRuntime } from './ai/index.ts';
import { buildApp } from './app.ts';
import { createRegistry, loadCatalog, type ConnectorRegistry } from './connectors/registry.ts';
import type { ConnectorDefinition } from './connectors/sdk/define.ts';
import { customConnectorSource } from './custom-connectors/index.ts';
import { integrationRunJobs } from './integration-runs/index.ts';
import { oauthJobs } from './integrations/oauth/index.ts';
import { operationLogOf } from './integrations/runtime/operation-log.ts';
import { ConfigError, publicUrl, type Config } from './platform/config.ts';
import { migrateDatabase, openDatabase, type Db } from './platform/db/database.ts';
import type { Clock as JobClock } from 'pg-boss';
import { housekeepingJobs } from './platform/housekeeping.ts';
import type { HubContext } from './platform/hub-context.ts';
import type { App } from './platform/http/server.ts';
import type { JobDefinition } from './platform/jobs/define.ts';
import { JobEngine } from './platform/jobs/engine.ts';
import { createLogger } from './platform/observability/logger.ts';
import { createMetrics } from './platform/observability/metrics.ts';
import { createOutboundClient, createSsrfGuard } from './platform/outbound/index.ts';
import { createSharedState } from './platform/shared-state.ts';
import { createVault, ensureLocalMasterKey, keyringFromEnv, type Keyring, type Vault } from './platform/vault/index.ts';
import { closeWebhookRuntime, webhookJobs } from './webhooks/index.ts';
import { scrapingJobs, startScraping, stopScraping } from './scraping/index.ts';
import { syncJobs } from './syncs/index.ts';

export interface Roles {
  api: boolean;
  worker: boolean;
}

export interface RunningHub {
  context: HubContext;
  app: App | null;
  /** Where the API listens (null for a worker-only process). */
  url: string | null;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Job types beyond the hub's own (tests use this to exercise the job API). */
  extraJobs?: JobDefinition<any>[];
  /** Connectors beyond the catalogue's (tests use this for providers started locally). */
  extraConnectors?: ConnectorDefinition[];
  /** The job layer's clock (pg-boss's TestClock in tests that move hours of retries forward). */
  jobClock?: JobClock;
}

export async function startHub(config: Config, roles: Roles, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (!config.databaseUrl && !(roles.api && roles.worker)) {
    throw new ConfigError('Separate api and worker processes need a shared PostgreSQL: set DATABASE_URL (the embedded database serves one process; use `switchboard start`).');
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    await migrateDatabase(database);
    const bootstrapped = await bootstrap(database.db, config);
    const vault = await openVault(config, database.db, logger);
    const sharedState = await createSharedState(config.redisUrl, (error) =>
      logger.warn({ err: error.message }, 'REDIS_URL does not answer; rate limits count in this process until it does'),
    );
    cleanups.push(() => sharedState.close());
    const metrics = createMetrics();
    const outbound = createOutboundClient({
      guard: createSsrfGuard({ allowPrivateNetworks: config.allowPrivateNetworks }),
      sharedState,
      onOperation: (operation) => metrics.recordOutbound(operation),
    });
    cleanups.push(() => outbound.close());
    // Job handlers that need the hub's services reach them through this once the context exists.
    let context: HubContext | undefined = undefined;
    const hubContext = () => {
      if (!context) throw new Error('The hub is still starting');
      return context;
    };
    const jobs = new JobEngine({
      database,
      definitions: [...housekeepingJobs(database.db), ...webhookJobs(hubContext), ...aiJobs(hubContext), ...oauthJobs(hubContext), ...scrapingJobs(hubContext, config.scrapeConcurrency), ...syncJobs(hubContext), ...integrationRunJobs(hubContext), ...(options.extraJobs ?? [])],
      logger,
      defaultConcurrency: config.workerConcurrency,
      maintenance: roles.worker,
      ...(options.jobClock ? { clock: options.jobClock } : {}),
    });
    // Registered first so it runs after the jobs stop: in-flight deliveries still need their client.
    cleanups.push(async () => context && (await closeWebhookRuntime(context)));
    // Queued AI usage rows are stored before the database closes.
    cleanups.push(async () => context && (await closeAiRuntime(context)));
    // So are queued integration operations (provider calls of actions, proxy and checks).
    cleanups.push(async () => context && (await operationLogOf(context).flush()));
    // Likewise the browser pool outlives the page jobs that render with it.
    cleanups.push(async () => context && (await stopScraping(context)));
    await jobs.start();
    cleanups.push(() => jobs.stop(config.shutdownTimeoutSeconds * 1000));
    const connectors = withExtraConnectors(await loadCatalog(), options.extraConnectors ?? []);
    context = { config, database, db: database.db, jobs, logger, metrics, sharedState, vault, outbound, connectors };
    const started = context;
    // Run-time connectors are read from the database, so they join the registry once its services exist.
    connectors.setRuntimeSource(customConnectorSource(started));
    // Chooses the vector column (pgvector or portable) before any page job or search can need it.
    await startScraping(started);
    if (roles.worker) await jobs.work();
    metrics.setJobCountsSource(() => jobs.counts());

    let app: App | null = null;
    let url: string | null = null;
    if (roles.api) {
      let accepting = true;
      app = await buildApp(started, { ready: () => accepting });
      const listening = app;
      await listening.listen({ host: config.host, port: config.port });
      const address = listening.server.address();
      url = publicUrl(config, typeof address === 'object' && address ? address.port : config.port);
      cleanups.push(async () => {
        accepting = false;
        await listening.close();
      });
    }
    return { context: started, app, url, bootstrap: bootstrapped, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function withExtraConnectors(catalog: ConnectorRegistry, extra: ConnectorDefinition[]): ConnectorRegistry {
  if (extra.length === 0) return catalog;
  const byId = new Map(catalog.list().map((connector) => [connector.id, connector]));
  for (const connector of extra) {
    if (byId.has(connector.id)) throw new Error(`Connector id ${connector.id} is already in the catalogue`);
    byId.set(connector.id, connector);
  }
  return createRegistry(byId.values());
}

/** SWITCHBOARD_MASTER_KEY, or on the embedded database a key generated into the data folder. */
export function loadKeyring(config: Config, logger: Logger): Keyring {
  if (config.masterKey) return keyringFromEnv(config.masterKey);
  const local = ensureLocalMasterKey(config.dataDir);
  if (local.created) logger.warn(local.warning);
  return local.keyring;
}

/** The credential vault on SWITCHBOARD_MASTER_KEY, or on a key generated into the embedded data folder. */
export async function openVault(config: Config, db: Db, logger: Logger): Promise<Vault> {
  const vault = createVault({ db, keyring: loadKeyring(config, logger) });
  // A wrong or retired key fails here, at start, rather than on the first request that needs a secret.
  await vault.ready();
  return vault;
}
