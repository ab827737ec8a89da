// Assembles the HTTP app from the capability modules' routes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessRoutes } from './access/routes.ts';
import { aiHttpRoutes } from './ai/index.ts';
import { auditRoutes } from './audit/routes.ts';
import { customConnectorRoutes } from './custom-connectors/index.ts';
import { integrationRunRoutes } from './integration-runs/index.ts';
import { integrationRoutes, loadInboundTarget } from './integrations/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import type { HubContext } from './platform/hub-context.ts';
import { createHttpServer, type App } from './platform/http/server.ts';
import { observabilityRoutes } from './platform/observability/routes.ts';
import { scrapingRoutes } from './scraping/index.ts';
import { syncRoutes } from './syncs/index.ts';
import { createWebhookRoutes } from './webhooks/index.ts';

export const DASHBOARD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

type RouteRegistration = (app: App, hub: HubContext) => void;

const CAPABILITY_ROUTES: RouteRegistration[] = [...accessRoutes, ...auditRoutes, ...jobRoutes, ...integrationRoutes, ...customConnectorRoutes, ...integrationRunRoutes, ...createWebhookRoutes({ loadInboundTarget }), ...scrapingRoutes, ...syncRoutes, ...aiHttpRoutes];

export async function buildApp(hub: HubContext, readiness: { ready: () => boolean }): Promise<App> {
  const app = await createHttpServer(hub, { dashboardDir: DASHBOARD_DIR });
  observabilityRoutes(app, hub, readiness);
  for (const register of CAPABILITY_ROUTES) register(app, hub);
  await app.ready();
  return app;
}
