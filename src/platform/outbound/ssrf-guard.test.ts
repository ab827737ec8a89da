// The SSRF guard refuses every non-public address form, opens only what the allow-list names, and judges
// every address a hostname resolves to.
import { describe, expect, it } from 'vitest';
import { parseAllowedNetworks } from './address-policy.ts';
import { createSsrfGuard, type Resolver } from './ssrf-guard.ts';

const noDns: Resolver = async (hostname) => {
  throw Object.assign(new Error(`unexpected lookup of ${hostname}`), { code: 'ENOTFOUND' });
};

describe('addresses', () => {
  const guard = createSsrfGuard({ resolve: noDns });

  it.each([
    ['127.0.0.1', 'loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['127.255.255.254', 'loopback address 127.255.255.254 (127.0.0.0/8)'],
    ['10.0.0.5', 'private address 10.0.0.5 (10.0.0.0/8)'],
    ['172.16.0.1', 'private address 172.16.0.1 (172.16.0.0/12)'],
    ['172.31.255.255', 'private address 172.31.255.255 (172.16.0.0/12)'],
    ['192.168.1.1', 'private address 192.168.1.1 (192.168.0.0/16)'],
    ['169.254.169.254', 'cloud metadata address 169.254.169.254 (169.254.169.254/32)'],
    ['169.254.10.1', 'link-local address 169.254.10.1 (169.254.0.0/16)'],
    ['100.64.0.1', 'carrier-grade NAT address 100.64.0.1 (100.64.0.0/10)'],
    ['100.127.255.254', 'carrier-grade NAT address 100.127.255.254 (100.64.0.0/10)'],
    ['0.0.0.0', 'unspecified address 0.0.0.0 (0.0.0.0/32)'],
    ['0.1.2.3', '"this network" address 0.1.2.3 (0.0.0.0/8)'],
    ['240.0.0.1', 'reserved address 240.0.0.1 (240.0.0.0/4)'],
    ['198.18.0.1', 'benchmarking address 198.18.0.1 (198.18.0.0/15)'],
    ['198.19.255.1', 'benchmarking address 198.19.255.1 (198.18.0.0/15)'],
    ['224.0.0.251', 'multicast address 224.0.0.251 (224.0.0.0/4)'],
    ['239.255.255.250', 'multicast address 239.255.255.250 (224.0.0.0/4)'],
    ['255.255.255.255', 'broadcast address 255.255.255.255 (255.255.255.255/32)'],
    ['192.0.0.170', 'IETF protocol assignment address 192.0.0.170 (192.0.0.0/24)'],
    ['::', 'unspecified address :: (::/128)'],
    ['[::]', 'unspecified address :: (::/128)'],
    ['::1', 'loopback address ::1 (::1/128)'],
    ['[::1]', 'loopback address ::1 (::1/128)'],
    ['fd00::1', 'unique-local address fd00::1 (fc00::/7)'],
    ['fc00::1', 'unique-local address fc00::1 (fc00::/7)'],
    ['fe80::1', 'link-local address fe80::1 (fe80::/10)'],
    ['fe80::1%eth0', 'link-local address fe80::1%eth0 (fe80::/10)'],
    ['fec0::1', 'site-local address fec0::1 (fec0::/10)'],
    ['ff02::1', 'multicast address ff02::1 (ff00::/8)'],
    ['100::1', 'discard-only address 100::1 (100::/64)'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo address 2001:0:4136:e378:8000:63bf:3fff:fdd2 (2001::/32)'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 address 64:ff9b:1::a00:1 (64:ff9b:1::/48)'],
    // IPv4 hidden in IPv6: converted first, then judged as the IPv4 address it reaches.
    ['::ffff:127.0.0.1', 'IPv4-mapped address ::ffff:127.0.0.1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['::ffff:7f00:1', 'IPv4-mapped address ::ffff:7f00:1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['::ffff:a00:5', 'IPv4-mapped address ::ffff:a00:5 embeds private address 10.0.0.5 (10.0.0.0/8)'],
    ['::ffff:169.254.169.254', 'IPv4-mapped address ::ffff:169.254.169.254 embeds cloud metadata address 169.254.169.254 (169.254.169.254/32)'],
    ['::ffff:0.0.0.0', 'IPv4-mapped address ::ffff:0.0.0.0 embeds unspecified address 0.0.0.0 (0.0.0.0/32)'],
    ['::127.0.0.1', 'IPv4-compatible address ::127.0.0.1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['::7f00:1', 'IPv4-compatible address ::7f00:1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated address ::ffff:0:a9fe:a9fe embeds cloud metadata address 169.254.169.254 (169.254.169.254/32)'],
    ['64:ff9b::7f00:1', 'NAT64 address 64:ff9b::7f00:1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['64:ff9b::10.0.0.1', 'NAT64 address 64:ff9b::10.0.0.1 embeds private address 10.0.0.1 (10.0.0.0/8)'],
    ['2002:c0a8:101::1', '6to4 address 2002:c0a8:101::1 embeds private address 192.168.1.1 (192.168.0.0/16)'],
  ])('refuses %s', (address, reason) => {
    expect(guard.checkAddress(address)).toEqual({ ok: false, reason });
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.32.0.1', '198.20.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '192.0.2.10'])(
    'allows public %s',
    (address) => {
      expect(guard.checkAddress(address)).toEqual({ ok: true });
    },
  );

  it('answers a non-address with a refusal rather than a throw', () => {
    expect(guard.checkAddress('example.com')).toEqual({ ok: false, reason: '"example.com" is not an IP address' });
  });
});

describe('the allow-list', () => {
  it('opens exactly the ranges it names, in every spelling of them', () => {
    const guard = createSsrfGuard({ allowPrivateNetworks: ' 10.1.0.0/16, 127.0.0.0/8,fd00:abcd::/32 ', resolve: noDns });
    for (const address of ['10.1.2.3', '127.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a01:203', 'fd00:abcd::5']) {
      expect(guard.checkAddress(address), address).toEqual({ ok: true });
    }
    for (const address of ['10.2.0.1', '192.168.0.1', '169.254.169.254', '::1', 'fd00:abce::5']) {
      expect(guard.checkAddress(address).ok, address).toBe(false);
    }
  });

  it('takes single addresses as /32 and /128', () => {
    const guard = createSsrfGuard({ allowPrivateNetworks: '192.168.1.20, fd00::7', resolve: noDns });
    expect(guard.checkAddress('192.168.1.20')).toEqual({ ok: true });
    expect(guard.checkAddress('192.168.1.21').ok).toBe(false);
    expect(guard.checkAddress('fd00::7')).toEqual({ ok: true });
    expect(guard.checkAddress('fd00::8').ok).toBe(false);
  });

  it.each(['10.0.0/8', '10.0.0.0/33', 'fd00::/129', 'example.com', '10.0.0.0/8/1', '10.0.0.0/'])('rejects %s with a message', (entry) => {
    const parsed = parseAllowedNetworks(entry);
    expect(parsed.ok).toBe(false);
    expect(() => createSsrfGuard({ allowPrivateNetworks: entry })).toThrow(/SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: .* is not an IP address or CIDR range/);
  });

  it('is empty when unset or blank', () => {
    expect(parseAllowedNetworks(undefined)).toEqual({ ok: true, networks: [] });
    expect(parseAllowedNetworks(' , ')).toEqual({ ok: true, networks: [] });
  });
});

describe('URLs', () => {
  const records: Record<string, Array<{ address: string; family: 4 | 6 }>> = {
    'public.test': [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
    'intranet.test': [{ address: '10.0.0.5', family: 4 }],
    'mixed.test': [{ address: '93.184.215.14', family: 4 }, { address: '192.168.0.10', family: 4 }],
    'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
    'empty.test': [],
  };
  const resolve: Resolver = async (hostname) => {
    const answer = records[hostname];
    if (!answer) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return answer;
  };
  const guard = createSsrfGuard({ resolve });

  it('accepts a host whose every record is public', async () => {
    const verdict = await guard.checkUrl('https://public.test/v1/items?page=2');
    expect(verdict).toMatchObject({ ok: true, addresses: records['public.test'] });
  });

  it.each([
    ['http://intranet.test/', 'intranet.test resolves to private address 10.0.0.5 (10.0.0.0/8)'],
    ['http://mixed.test/', 'mixed.test resolves to private address 192.168.0.10 (192.168.0.0/16)'],
    ['http://mapped.test/', 'mapped.test resolves to IPv4-mapped address ::ffff:127.0.0.1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['http://127.0.0.1:8080/', 'loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['http://2130706433/', 'loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['http://0x7f.1/', 'loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped address ::ffff:7f00:1 embeds loopback address 127.0.0.1 (127.0.0.0/8)'],
    ['http://[::]/', 'unspecified address :: (::/128)'],
    ['http://0.0.0.0/', 'unspecified address 0.0.0.0 (0.0.0.0/32)'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata address 169.254.169.254 (169.254.169.254/32)'],
    ['ftp://public.test/file', 'scheme ftp: is not allowed (only http: and https:)'],
    ['file:///etc/passwd', 'scheme file: is not allowed (only http: and https:)'],
    ['gopher://public.test/', 'scheme gopher: is not allowed (only http: and https:)'],
    ['https://user:secret@public.test/', 'URLs with credentials are refused; send credentials in a header instead'],
    ['https://token@public.test/', 'URLs with credentials are refused; send credentials in a header instead'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s', async (url, reason) => {
    expect(await guard.checkUrl(url)).toEqual({ ok: false, kind: 'refused', reason });
  });

  it('tells an unresolvable host apart from a refused one', async () => {
    expect(await guard.checkUrl('https://nowhere.test/')).toEqual({
      ok: false,
      kind: 'unresolvable',
      reason: 'could not resolve nowhere.test: ENOTFOUND',
    });
    expect(await guard.checkUrl('https://empty.test/')).toMatchObject({ ok: false, kind: 'unresolvable' });
  });

  it('judges IP-literal hosts without asking DNS', () => {
    expect(guard.checkTarget('http://[fd00::1]:9000/x')).toEqual({ ok: false, kind: 'refused', reason: 'unique-local address fd00::1 (fc00::/7)' });
    expect(guard.checkTarget('https://8.8.8.8/')).toMatchObject({ ok: true, hostname: '8.8.8.8', isLiteral: true });
    expect(guard.checkTarget('https://intranet.test/')).toMatchObject({ ok: true, hostname: 'intranet.test', isLiteral: false });
  });
});
