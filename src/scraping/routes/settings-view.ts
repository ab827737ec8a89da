// The shape both settings routes answer with: the workspace's defaults beside the built-in ones.
import { z } from 'zod';
import type { HubContext } from '../../platform/hub-context.ts';
import { BUILT_IN_DEFAULTS, proxySettingsSchema, scrapeDefaultsSchema, type ProxySettings, type ScrapeDefaults } from '../contracts.ts';
import { maskedProxies } from '../crawl/proxies.ts';

export const settingsView = z.object({
  defaults: scrapeDefaultsSchema.describe('What this workspace set; scrapes take these for fields they leave out.'),
  builtIn: z.record(z.string(), z.unknown()).describe('The hub’s own defaults, for fields neither the scrape nor the workspace sets.'),
  userAgent: z.string(),
  proxies: proxySettingsSchema.nullable().describe('The workspace’s outbound proxies, passwords masked as ***; null: direct.'),
});

export function settingsOf(hub: HubContext, defaults: ScrapeDefaults, proxies: ProxySettings | null): z.infer<typeof settingsView> {
  return { defaults, builtIn: BUILT_IN_DEFAULTS as unknown as Record<string, unknown>, userAgent: hub.config.scrapeUserAgent, proxies: maskedProxies(proxies) };
}
