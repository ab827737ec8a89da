// The SSRF guard: decides whether a URL may be fetched (scheme, credentials, and every address its host
// resolves to), so a user-supplied URL cannot make the hub reach its own host, network or cloud metadata.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkAddress, parseAllowedNetworks, type AddressVerdict, type AllowedNetwork } from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every A/AAAA answer for a hostname; injectable so tests control DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** `refused`: policy says no (never retry). `unresolvable`: DNS gave no answer (may be transient). */
export type GuardRefusal = { ok: false; kind: 'refused' | 'unresolvable'; reason: string };

export type TargetVerdict =
  | { ok: true; url: URL; hostname: string; isLiteral: boolean }
  | GuardRefusal;
export type HostVerdict = { ok: true; addresses: ResolvedAddress[] } | GuardRefusal;
export type UrlVerdict = { ok: true; url: URL; addresses: ResolvedAddress[] } | GuardRefusal;

export interface SsrfGuard {
  readonly allowedNetworks: readonly AllowedNetwork[];
  /** One IP address against the refused ranges and the allow-list. */
  checkAddress(ip: string): AddressVerdict;
  /** Everything that can be judged without DNS: URL syntax, scheme, credentials, IP-literal hosts. */
  checkTarget(url: string | URL): TargetVerdict;
  /** Resolves a hostname (or takes an IP literal) and judges every address; all must pass. */
  resolveHost(hostname: string): Promise<HostVerdict>;
  /** checkTarget + resolveHost: for validating a URL when it is saved, with a message for the user. */
  checkUrl(url: string | URL): Promise<UrlVerdict>;
}

export interface SsrfGuardOptions {
  /** SWITCHBOARD_ALLOW_PRIVATE_NETWORKS as written: comma-separated CIDRs. Default: nothing allowed. */
  allowPrivateNetworks?: string;
  /** Default: the system resolver (getaddrinfo, so /etc/hosts counts), every address of both families. */
  resolve?: Resolver;
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** Throws when the allow-list is malformed: that is a configuration error to fix before start. */
export function createSsrfGuard(options: SsrfGuardOptions = {}): SsrfGuard {
  const parsed = parseAllowedNetworks(options.allowPrivateNetworks);
  if (!parsed.ok) throw new Error(`SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: ${parsed.reason}`);
  const allowedNetworks = parsed.networks;
  const resolve = options.resolve ?? systemResolver;

  const guard: SsrfGuard = {
    allowedNetworks,
    checkAddress: (ip) => checkAddress(ip, allowedNetworks),

    checkTarget(input) {
      let url: URL;
      try {
        url = new URL(input);
      } catch {
        // Not echoed: a malformed URL may still carry a key, and refusals end up in logs.
        return refused('not a valid URL');
      }
      if (!ALLOWED_SCHEMES.has(url.protocol)) {
        return refused(`scheme ${url.protocol} is not allowed (only http: and https:)`);
      }
      if (url.username !== '' || url.password !== '') {
        return refused('URLs with credentials are refused; send credentials in a header instead');
      }
      // WHATWG parsing already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
      const hostname = unbracket(url.hostname);
      const isLiteral = isIP(hostname) !== 0;
      if (isLiteral) {
        const verdict = guard.checkAddress(hostname);
        if (!verdict.ok) return refused(verdict.reason);
      }
      return { ok: true, url, hostname, isLiteral };
    },

    async resolveHost(hostname) {
      const bare = unbracket(hostname);
      const family = isIP(bare);
      if (family !== 0) {
        const verdict = guard.checkAddress(bare);
        return verdict.ok ? { ok: true, addresses: [{ address: bare, family: family === 6 ? 6 : 4 }] } : refused(verdict.reason);
      }
      let addresses: ResolvedAddress[];
      try {
        addresses = await resolve(bare);
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).message;
        return { ok: false, kind: 'unresolvable', reason: `could not resolve ${bare}: ${code}` };
      }
      if (addresses.length === 0) {
        return { ok: false, kind: 'unresolvable', reason: `could not resolve ${bare}: no addresses` };
      }
      // One bad record is enough to refuse: the connection could pick any of them.
      for (const { address } of addresses) {
        const verdict = guard.checkAddress(address);
        if (!verdict.ok) return refused(`${bare} resolves to ${verdict.reason}`);
      }
      return { ok: true, addresses };
    },

    async checkUrl(input) {
      const target = guard.checkTarget(input);
      if (!target.ok) return target;
      const host = await guard.resolveHost(target.hostname);
      return host.ok ? { ok: true, url: target.url, addresses: host.addresses } : host;
    },
  };
  return guard;
}

function refused(reason: string): GuardRefusal {
  return { ok: false, kind: 'refused', reason };
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
