// The AI capability's per-hub services, built once on first use and shared by its routes and jobs: the
// providers, caches of routes, integrations and quota settings, breakers, cooldowns and the ledger writer.
import type { HubContext } from '../platform/hub-context.ts';
import { createWorkspaceRates, type WorkspaceRates } from './quotas/rate.ts';
import { createQuotaSettingsCache, type QuotaSettingsCache } from './quotas/settings.ts';
import { loadAiProviders, type AiProviders } from './providers/registry.ts';
import { createModelBreakers, type ModelBreakers } from './router/breakers.ts';
import { createCooldowns, type Cooldowns } from './router/cooldowns.ts';
import { createIntegrationCache, type AiIntegrationCache } from './router/integrations.ts';
import { createRouteStore, type RouteStore } from './router/route-config.ts';
import { createLedger, type Ledger } from './usage/ledger.ts';

export interface AiRuntime {
  hub: HubContext;
  providers: AiProviders;
  integrations: AiIntegrationCache;
  routes: RouteStore;
  quotas: QuotaSettingsCache;
  rates: WorkspaceRates;
  breakers: ModelBreakers;
  cooldowns: Cooldowns;
  ledger: Ledger;
  /** Time for breakers, cooldowns and caches; replace `clock.now` to move it (tests of cooldowns). */
  clock: { now(): number };
  now(): number;
  /** How long an integration out of balance is skipped. */
  balanceCooldownMs: number;
  /** Work that must not delay a response (budget settlement): tracked so shutdown and tests can wait for it. */
  background(task: Promise<unknown>): void;
  /** Resolves when background work and queued ledger rows are stored. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const runtimes = new WeakMap<HubContext['jobs'], Promise<AiRuntime>>();

/** The runtime of this hub (keyed by its job engine, which exists once per hub). */
export function aiRuntime(hub: HubContext): Promise<AiRuntime> {
  let runtime = runtimes.get(hub.jobs);
  if (!runtime) {
    runtime = createRuntime(hub);
    runtimes.set(hub.jobs, runtime);
  }
  return runtime;
}

/** Stores whatever usage is still queued; called when the hub stops. */
export async function closeAiRuntime(hub: HubContext): Promise<void> {
  const runtime = runtimes.get(hub.jobs);
  runtimes.delete(hub.jobs);
  await (await runtime)?.close();
}

async function createRuntime(hub: HubContext): Promise<AiRuntime> {
  const clock = { now: () => Date.now() };
  const now = () => clock.now();
  const providers = await loadAiProviders();
  const ledger = createLedger({ db: hub.db, logger: hub.logger, metrics: hub.metrics });
  const pending = new Set<Promise<unknown>>();
  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await ledger.flush();
  };
  return {
    hub,
    providers,
    integrations: createIntegrationCache(hub, providers, now),
    routes: createRouteStore(hub.db, providers, now),
    quotas: createQuotaSettingsCache(hub.db, now),
    rates: createWorkspaceRates(hub.sharedState),
    breakers: createModelBreakers({ threshold: hub.config.aiBreakerFailures, cooldownMs: hub.config.aiBreakerCooldownSeconds * 1000, now }),
    cooldowns: createCooldowns(now),
    ledger,
    clock,
    now,
    balanceCooldownMs: hub.config.aiBalanceCooldownMinutes * 60_000,
    background(task) {
      const tracked = task.catch((error: unknown) => hub.logger.error({ err: error }, 'AI background work failed'));
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    },
    idle,
    close: idle,
  };
}
