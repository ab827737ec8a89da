// /healthz (process alive), /readyz (database and job engine answer) and /metrics (Prometheus).
import { sql } from 'drizzle-orm';
import type { App } from '../http/server.ts';
import type { HubContext } from '../hub-context.ts';

export function observabilityRoutes(app: App, hub: HubContext, readiness: { ready: () => boolean }) {
  const hidden = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await hub.db.execute(sql`select 1`);
      checks.database = 'ok';
    } catch (error) {
      checks.database = `failing: ${(error as Error).message}`;
    }
    try {
      await hub.db.execute(sql`select 1 from pgboss.version limit 1`);
      checks.jobs = readiness.ready() ? 'ok' : 'starting';
    } catch (error) {
      checks.jobs = `failing: ${(error as Error).message}`;
    }
    try {
      await hub.sharedState.ping();
      checks.sharedState = `ok (${hub.sharedState.kind})`;
    } catch (error) {
      checks.sharedState = `failing: ${(error as Error).message}`;
    }
    const ready = Object.values(checks).every((value) => value.startsWith('ok'));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.get('/metrics', hidden, async (_request, reply) => {
    reply.type(hub.metrics.registry.contentType);
    return hub.metrics.registry.metrics();
  });
}
