// Seed 000's outbound proxies per workspace: validation and masking of the saved URLs, their vault storage,
// and the rotation a scrape's requests follow (per request, or one proxy per scrape that moves on failure).
import { eq } from 'drizzle-orm';
import { ProxyAgent } from 'undici';
import type { FieldProblem } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { guardedLookup, type OutboundClient, type OutboundRequest, type OutboundResult, type SsrfGuard } from '../../platform/outbound/index.ts';
import { proxySettingsSchema, type ProxySettings } from '../contracts.ts';
import { scrapeSettings } from '../tables.ts';

const MASK = '***';
const aadFor = (workspaceId: string) => `scrape_settings:${workspaceId}:proxies`;

/** What the SSRF guard judges: the proxy's address (it refuses URLs with credentials on principle). */
const proxyHost = (url: URL) => `${url.protocol}//${url.host}/`;

/** The URL as answered and logged: the password replaced by ***. */
export function maskProxyUrl(raw: string): string {
  const url = new URL(raw);
  if (url.password) url.password = MASK;
  return url.href.replace(/\/$/, '');
}

export function maskedProxies(settings: ProxySettings | null): ProxySettings | null {
  return settings ? { urls: settings.urls.map(maskProxyUrl), rotation: settings.rotation } : null;
}

/** Problems of proxy URLs, each naming its field; messages never repeat the URL (it carries a password). */
export async function proxyProblems(guard: SsrfGuard, settings: ProxySettings, where: string): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  await Promise.all(
    settings.urls.map(async (raw, index) => {
      const field = `${where}.urls.${index}`;
      if (!URL.canParse(raw)) return problems.push({ field, message: 'is not a URL; expected http://[user:password@]host:port' });
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return problems.push({ field, message: 'must start with http:// or https:// (SOCKS proxies are not supported)' });
      if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return problems.push({ field, message: 'must be scheme, credentials, host and port only (no path, query or fragment)' });
      if (decodeURIComponent(url.password) === MASK) {
        return problems.push({ field, message: 'has a masked password (***): send the full URL, or leave proxies out to keep the saved ones' });
      }
      const verdict = await guard.checkUrl(proxyHost(url));
      if (!verdict.ok) {
        problems.push({
          field,
          message:
            verdict.kind === 'refused'
              ? `is refused by the SSRF guard: ${verdict.reason}. Proxies may not be private, loopback or link-local addresses unless SWITCHBOARD_ALLOW_PRIVATE_NETWORKS lists the range`
              : `cannot be reached: ${verdict.reason}`,
        });
      }
      return undefined;
    }),
  );
  return problems;
}

/** Encrypts before the caller's transaction (the vault must not run inside one on PGlite). */
export async function sealProxies(hub: HubContext, workspaceId: string, settings: ProxySettings): Promise<string> {
  return hub.vault.encrypt(workspaceId, settings, aadFor(workspaceId));
}

async function sealedProxies(hub: HubContext, workspaceId: string): Promise<string | null> {
  const [row] = await hub.db.select({ proxies: scrapeSettings.proxies }).from(scrapeSettings).where(eq(scrapeSettings.workspaceId, workspaceId));
  return row?.proxies ?? null;
}

async function openProxies(hub: HubContext, workspaceId: string, sealed: string): Promise<ProxySettings | null> {
  const parsed = proxySettingsSchema.safeParse(await hub.vault.decryptObject(workspaceId, sealed, aadFor(workspaceId)));
  return parsed.success ? parsed.data : null;
}

export async function loadProxies(hub: HubContext, workspaceId: string): Promise<ProxySettings | null> {
  const sealed = await sealedProxies(hub, workspaceId);
  return sealed ? openProxies(hub, workspaceId, sealed) : null;
}

/** How a page's requests go out: through the workspace's proxies, in rotation. */
export interface ProxyRoute {
  request(outbound: OutboundClient, input: OutboundRequest): Promise<OutboundResult>;
}

export interface ProxyPool {
  /** The route for a scrape's requests, or null when its workspace has no proxies. */
  routeFor(workspaceId: string, scrapeId: string): Promise<ProxyRoute | null>;
  close(): Promise<void>;
}

/**
 * Rotation state lives in this process: with several workers each keeps its own position (per-scrape
 * rotation is then one proxy per scrape per worker), which is what the seed's "per session" asks for.
 */
export function createProxyPool(hub: HubContext, guard: SsrfGuard): ProxyPool {
  // Decrypted once per saved ciphertext: a page reads the (small) column, so a settings change applies at once.
  const settings = new Map<string, { sealed: string; value: Promise<ProxySettings | null> }>();
  const agents = new Map<string, Promise<ProxyAgent | null>>();
  const positions = new Map<string, number>();

  const settingsFor = async (workspaceId: string) => {
    const sealed = await sealedProxies(hub, workspaceId);
    if (!sealed) return null;
    const known = settings.get(workspaceId);
    if (known?.sealed === sealed) return known.value;
    const value = openProxies(hub, workspaceId, sealed);
    if (settings.size > 1000) settings.delete(settings.keys().next().value!);
    settings.set(workspaceId, { sealed, value });
    value.catch(() => settings.delete(workspaceId));
    return value;
  };

  // One agent per proxy URL; the socket to the proxy connects only to an address the guard approves. Every
  // request tunnels (CONNECT, also for http:// targets), so a proxy's own refusal (407, 5xx) is a connection
  // failure, never mistaken for the site's answer.
  const agentFor = (raw: string) => {
    let agent = agents.get(raw);
    if (!agent) {
      agent = guard.checkUrl(proxyHost(new URL(raw))).then((verdict) =>
        verdict.ok ? new ProxyAgent({ uri: raw, proxyTunnel: true, proxyTls: { lookup: guardedLookup(guard) } as never }) : null,
      );
      agents.set(raw, agent);
    }
    return agent;
  };

  return {
    async routeFor(workspaceId, scrapeId) {
      const saved = await settingsFor(workspaceId);
      if (!saved) return null;
      const { urls, rotation } = saved;
      const key = `${scrapeId}`;
      if (positions.size > 1000) positions.delete(positions.keys().next().value!);
      const pick = () => {
        const index = positions.get(key) ?? 0;
        if (rotation === 'per-request') positions.set(key, index + 1);
        return index % urls.length;
      };
      // Sticky on failure: per-scrape keeps its proxy until a request through it fails, then moves on.
      const failed = (index: number) => {
        if (rotation === 'per-scrape' && (positions.get(key) ?? 0) % urls.length === index) positions.set(key, index + 1);
      };
      return {
        async request(outbound, input) {
          // The proxy resolves the target, so the guard resolves it first and refuses private addresses.
          const target = await guard.checkUrl(input.url);
          if (!target.ok) {
            const code = target.kind === 'refused' ? 'ssrf_refused' : 'network';
            return { ok: false, error: { code, message: target.reason }, attempts: 0, latencyMs: 0 };
          }
          let result: OutboundResult | undefined;
          for (let tried = 0; tried < urls.length; tried += 1) {
            const index = pick();
            const agent = await agentFor(urls[index]!);
            if (!agent) {
              failed(index);
              result = { ok: false, error: { code: 'ssrf_refused', message: `proxy ${index + 1} is refused by the SSRF guard` }, attempts: 0, latencyMs: 0 };
              continue;
            }
            // A breaker per proxy and host: a dead proxy must not open the site's own circuit.
            result = await outbound.request({ ...input, dispatcher: agent, ...(input.breakerKey ? { breakerKey: `${input.breakerKey}@proxy${index}` } : {}) });
            if (result.ok || result.error.code !== 'network') return result;
            if (input.signal?.aborted) return result;
            failed(index);
          }
          return result!;
        },
      };
    },
    async close() {
      const open = await Promise.all([...agents.values()].map((agent) => agent.catch(() => null)));
      agents.clear();
      await Promise.all(open.map((agent) => agent?.close().catch(() => {})));
    },
  };
}
