// Provider health for a workspace: latency percentiles, error rate and the last error from the ledger's
// recent rows, with this node's breaker states and cooldowns, summed up as one health word per provider.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../platform/db/database.ts';
import type { z } from 'zod';
import type { providerView } from './contracts.ts';
import { breakerKey } from './router/breakers.ts';
import type { AiRuntime } from './runtime.ts';

type ProviderView = z.infer<typeof providerView>;

export const HEALTH_WINDOW_MINUTES = 60;

interface StatsRow {
  provider: string;
  attempts: number;
  failures: number;
  p50: number | null;
  p95: number | null;
}

interface LastErrorRow {
  provider: string;
  model: string;
  error_class: string | null;
  error_message: string | null;
  created_at: Date | string;
}

export async function providerHealth(rt: AiRuntime, workspaceId: string): Promise<ProviderView[]> {
  await rt.ledger.flush();
  const since = new Date(rt.now() - HEALTH_WINDOW_MINUTES * 60_000);
  const [stats, lastErrors, integrations, routes] = await Promise.all([
    rt.hub.db.execute(sql`
      select provider, count(*)::int as attempts, count(*) filter (where not success)::int as failures,
             percentile_cont(0.5) within group (order by latency_ms) filter (where success) as p50,
             percentile_cont(0.95) within group (order by latency_ms) filter (where success) as p95
      from ai_usage where workspace_id = ${workspaceId} and created_at >= ${since.toISOString()}
      group by provider`),
    rt.hub.db.execute(sql`
      select distinct on (provider) provider, model, error_class, error_message, created_at
      from ai_usage where workspace_id = ${workspaceId} and not success
      order by provider, created_at desc`),
    rt.integrations.forWorkspace(workspaceId),
    rt.routes.list(workspaceId),
  ]);
  const statsBy = new Map(rowsOf<StatsRow>(stats).map((row) => [row.provider, row]));
  const errorsBy = new Map(rowsOf<LastErrorRow>(lastErrors).map((row) => [row.provider, row]));

  return rt.providers.list().map((provider) => {
    const own = integrations.filter((integration) => integration.provider.id === provider.id);
    const models = new Set<string>([provider.defaultModels.chat]);
    for (const route of routes) for (const target of route.targets) if (target.provider === provider.id) models.add(target.model);
    const breakers = [...models].map((model) => {
      const snapshot = rt.breakers.snapshot(breakerKey(provider.id, model));
      return { model, state: snapshot.state, consecutiveFailures: snapshot.consecutiveFailures, openedAt: snapshot.openedAt ? new Date(snapshot.openedAt).toISOString() : null };
    });
    const cooldowns = own.map((integration) => {
      const cooldown = rt.cooldowns.active(integration.id);
      return {
        id: integration.id,
        name: integration.name,
        status: integration.status,
        cooldown: cooldown ? { reason: cooldown.reason, until: new Date(cooldown.until).toISOString(), message: cooldown.message } : null,
      };
    });
    const row = statsBy.get(provider.id);
    const attempts = row?.attempts ?? 0;
    const errorRate = attempts > 0 ? row!.failures / attempts : null;
    const lastError = errorsBy.get(provider.id);
    const connected = cooldowns.filter((integration) => integration.status === 'connected');
    let health: ProviderView['health'];
    if (connected.length === 0) health = 'unconfigured';
    else if (connected.every((integration) => integration.cooldown)) health = 'cooling_down';
    else if (breakers.some((breaker) => breaker.state === 'open') || (errorRate !== null && errorRate >= 0.5)) health = 'down';
    else if (breakers.some((breaker) => breaker.state === 'half-open') || (errorRate !== null && errorRate >= 0.1)) health = 'degraded';
    else health = attempts > 0 ? 'healthy' : 'unknown';
    return {
      id: provider.id,
      title: provider.title,
      defaultModels: provider.defaultModels,
      health,
      integrations: cooldowns,
      window: `${HEALTH_WINDOW_MINUTES} minutes`,
      attempts,
      errorRate: errorRate === null ? null : Math.round(errorRate * 1000) / 1000,
      latencyMs: { p50: row?.p50 === null || row?.p50 === undefined ? null : Math.round(Number(row.p50)), p95: row?.p95 === null || row?.p95 === undefined ? null : Math.round(Number(row.p95)) },
      lastError: lastError
        ? { at: new Date(lastError.created_at).toISOString(), model: lastError.model, class: lastError.error_class, message: lastError.error_message }
        : null,
      breakers,
    };
  });
}
