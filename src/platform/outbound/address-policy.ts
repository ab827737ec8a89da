// Which IP addresses the hub may contact: none that could reach its own host or network (loopback,
// private, link-local, metadata, CGNAT, ...), in any spelling, unless the operator's allow-list opens them.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

export interface AllowedNetwork {
  /** The entry as the operator wrote it, normalised to address/prefix. */
  cidr: string;
  range: Range;
}

interface RefusedRange {
  cidr: string;
  label: string;
  range: Range;
  /** For IPv6 ranges that carry an IPv4 address: the address the packets would really reach. */
  embeddedIPv4?: (address: ipaddr.IPv6) => ipaddr.IPv4;
}

const lastTwoParts = (address: ipaddr.IPv6) => ipv4FromParts(address.parts[6]!, address.parts[7]!);
const ipv4FromParts = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

function range(cidr: string, label: string, embeddedIPv4?: RefusedRange['embeddedIPv4']): RefusedRange {
  return { cidr, label, range: ipaddr.parseCIDR(cidr), embeddedIPv4 };
}

// Order matters: the first match names the reason, so specific entries (metadata, broadcast) come before
// the ranges that contain them. Documentation ranges (192.0.2/24, 2001:db8::/32...) are deliberately absent:
// they lead nowhere, so refusing them protects nothing, and tests use them as stand-ins for public hosts.
const REFUSED_IPV4: readonly RefusedRange[] = [
  range('0.0.0.0/32', 'unspecified'),
  range('0.0.0.0/8', '"this network"'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.169.254/32', 'cloud metadata'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignment'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

const REFUSED_IPV6: readonly RefusedRange[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  // Transition forms are judged by the IPv4 address inside them: a dual-stack socket or a translator
  // delivers ::ffff:127.0.0.1 or 64:ff9b::a00:1 to the IPv4 host.
  range('::ffff:0:0/96', 'IPv4-mapped', lastTwoParts),
  range('::ffff:0:0:0/96', 'IPv4-translated', lastTwoParts),
  range('::/96', 'IPv4-compatible', lastTwoParts),
  range('64:ff9b::/96', 'NAT64', lastTwoParts),
  range('2002::/16', '6to4', (address) => ipv4FromParts(address.parts[1]!, address.parts[2]!)),
  // These carry an IPv4 address in a form we cannot trust (local-use prefix, Teredo's obfuscated client).
  range('64:ff9b:1::/48', 'local-use NAT64'),
  range('2001::/32', 'Teredo'),
  range('100::/64', 'discard-only'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/**
 * Parses SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: comma-separated CIDRs or single addresses
 * (`10.0.0.0/8, 192.168.1.20, fd00::/8`). An empty or missing value allows nothing.
 */
export function parseAllowedNetworks(
  text: string | undefined,
): { ok: true; networks: AllowedNetwork[] } | { ok: false; reason: string } {
  const networks: AllowedNetwork[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [base = '', prefix, extra] = entry.split('/');
    const family = isIP(base);
    const maxBits = family === 6 ? 128 : 32;
    const bits = prefix === undefined ? maxBits : Number(prefix);
    if (family === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || bits > maxBits) {
      return {
        ok: false,
        reason: `"${entry}" is not an IP address or CIDR range (expected e.g. 10.0.0.0/8, 192.168.1.20 or fd00::/8)`,
      };
    }
    const address = family === 4 ? ipaddr.IPv4.parse(base) : parseIPv6(base);
    networks.push({ cidr: `${address.toString()}/${bits}`, range: [address, bits] });
  }
  return { ok: true, networks };
}

/** Judges one IP address (v4 or v6, with or without brackets); hostnames are the guard's business. */
export function checkAddress(ip: string, allowed: readonly AllowedNetwork[]): AddressVerdict {
  const literal = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(literal);
  if (family === 0) return { ok: false, reason: `"${ip}" is not an IP address` };
  return judge(family === 4 ? ipaddr.IPv4.parse(literal) : parseIPv6(literal), literal, allowed);
}

/**
 * ipaddr.js reads `::127.0.0.1` as IPv4-mapped; RFC 4291 (and the socket) read it as IPv4-compatible
 * `::7f00:1`. The WHATWG URL parser follows the RFC, so it rewrites the text first (zone ids aside).
 */
function parseIPv6(literal: string): ipaddr.IPv6 {
  const withoutZone = literal.replace(/%.*$/, '');
  return ipaddr.IPv6.parse(new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1));
}

function judge(address: Address, spelled: string, allowed: readonly AllowedNetwork[]): AddressVerdict {
  if (allowed.some(({ range: [network, bits] }) => network.kind() === address.kind() && address.match(network, bits))) {
    return { ok: true };
  }
  const table = address.kind() === 'ipv4' ? REFUSED_IPV4 : REFUSED_IPV6;
  const hit = table.find(({ range: [network, bits] }) => address.match(network, bits));
  if (!hit) return { ok: true };
  if (hit.embeddedIPv4) {
    const inner = hit.embeddedIPv4(address as ipaddr.IPv6);
    const verdict = judge(inner, inner.toString(), allowed);
    return verdict.ok ? verdict : { ok: false, reason: `${hit.label} address ${spelled} embeds ${verdict.reason}` };
  }
  return { ok: false, reason: `${hit.label} address ${spelled} (${hit.cidr})` };
}
