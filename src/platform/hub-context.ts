// What every capability's routes and jobs receive: the platform services of this process.
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle, Db } from './db/database.ts';
import type { JobEngine } from './jobs/engine.ts';
import type { Metrics } from './observability/metrics.ts';
import type { OutboundClient } from './outbound/index.ts';
import type { SharedState } from './shared-state.ts';
import type { Vault } from './vault/index.ts';

export interface HubContext {
  config: Config;
  database: DatabaseHandle;
  db: Db;
  jobs: JobEngine;
  logger: Logger;
  metrics: Metrics;
  sharedState: SharedState;
  vault: Vault;
  /** The one client for every call to a provider, webhook receiver or website. */
  outbound: OutboundClient;
  /** The connector catalogue. */
  connectors: ConnectorRegistry;
}
