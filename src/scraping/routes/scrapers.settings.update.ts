// PUT /api/v1/scrapers/settings: replaces the workspace's scrape defaults (admins); audited.
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { scraperSettingsBody } from '../contracts.ts';
import { loadProxies, proxyProblems, sealProxies } from '../crawl/proxies.ts';
import { guardFor, localProblems } from '../options.ts';
import { scrapeSettings } from '../tables.ts';
import { settingsOf, settingsView } from './settings-view.ts';

export function updateScraperSettingsRoute(app: App, hub: HubContext) {
  app.put(
    '/api/v1/scrapers/settings',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['scraping'],
        summary: 'Replace the workspace’s scrape defaults',
        description:
          'Any scrape option but urls. An empty object returns to the built-in defaults. `proxies` (outbound proxies, stored encrypted) is kept when left out and removed with null.',
        body: scraperSettingsBody,
        response: { 200: settingsView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { proxies, ...defaults } = request.body;
      const problems = localProblems(defaults, 'body');
      if (proxies) problems.push(...(await proxyProblems(guardFor(hub), proxies, 'body.proxies')));
      if (problems.length > 0) {
        throw new ApiError('validation_failed', `Invalid defaults. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { details: problems });
      }
      // Sealed before the transaction: the vault reads its keys through the database (one connection on PGlite).
      const sealed = proxies ? await sealProxies(hub, principal.workspaceId, proxies) : proxies;
      const proxyColumn = sealed === undefined ? {} : { proxies: sealed };
      await hub.db.transaction(async (tx) => {
        await tx
          .insert(scrapeSettings)
          .values({ workspaceId: principal.workspaceId, defaults, ...proxyColumn, updatedAt: new Date() })
          .onConflictDoUpdate({ target: scrapeSettings.workspaceId, set: { defaults, ...proxyColumn, updatedAt: new Date() } });
        await recordAudit(tx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'scrape_settings.updated',
          targetType: 'scrape_settings',
          targetId: principal.workspaceId,
          ip: request.ip,
          metadata: { fields: Object.keys(request.body) },
        });
      });
      return settingsOf(hub, defaults, await loadProxies(hub, principal.workspaceId));
    },
  );
}
