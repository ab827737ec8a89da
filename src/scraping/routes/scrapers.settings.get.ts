// GET /api/v1/scrapers/settings: the workspace's scrape defaults (seed 002's customer scraper settings).
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { loadDefaults } from '../options.ts';
import { loadProxies } from '../crawl/proxies.ts';
import { settingsOf, settingsView } from './settings-view.ts';

export function getScraperSettingsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/scrapers/settings',
    { schema: { tags: ['scraping'], summary: 'Read the workspace’s scrape defaults', response: { 200: settingsView } } },
    async (request) => {
      const { workspaceId } = principalOf(request);
      return settingsOf(hub, await loadDefaults(hub.db, workspaceId), await loadProxies(hub, workspaceId));
    },
  );
}
