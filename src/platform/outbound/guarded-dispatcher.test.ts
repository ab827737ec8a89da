// The guarded dispatcher connects only to the address the guard approved at connect time, so a DNS answer
// that changes between "checked" and "connected" (rebinding) cannot reach a refused address.
import type { LookupAddress } from 'node:dns';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedDispatcher, guardedLookup, SsrfRefusedError } from './guarded-dispatcher.ts';
import { createSsrfGuard, type Resolver } from './ssrf-guard.ts';
import { reply, startServer, type LocalServer } from './test-support.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** Answers each lookup of a name with the next address in the list (the last one repeats). */
function rebindingResolver(answers: string[]): Resolver & { calls: number } {
  const resolver = Object.assign(
    async () => [{ address: answers[Math.min(resolver.calls++, answers.length - 1)]!, family: 4 as const }],
    { calls: 0 },
  );
  return resolver;
}

/** Two servers on one port: the allowed target on 127.0.0.2 and the one an attacker wants on 127.0.0.1. */
async function twoServersOnOnePort(): Promise<{ target: LocalServer; forbidden: LocalServer }> {
  const forbidden = await startServer(reply(200, 'forbidden'), { host: '127.0.0.1' });
  const target = await startServer(reply(200, 'target'), { host: '127.0.0.2', port: forbidden.port });
  cleanup.push(forbidden.close, target.close);
  return { target, forbidden };
}

describe('DNS rebinding', () => {
  it('connects to the address it checked, and never asks DNS a second time for that connection', async () => {
    const { target, forbidden } = await twoServersOnOnePort();
    const resolve = rebindingResolver(['127.0.0.2', '127.0.0.1']);
    const dispatcher = createGuardedDispatcher(createSsrfGuard({ allowPrivateNetworks: '127.0.0.2/32', resolve }));
    cleanup.push(() => dispatcher.close());

    const response = await request(`http://rebind.test:${target.port}/`, { dispatcher });

    expect(await response.body.text()).toBe('target');
    expect(resolve.calls).toBe(1);
    expect(target.requests).toHaveLength(1);
    expect(forbidden.requests).toHaveLength(0);
  });

  it('judges the answer it connects with, so a check made earlier cannot be swapped for 127.0.0.1', async () => {
    const { target, forbidden } = await twoServersOnOnePort();
    const resolve = rebindingResolver(['127.0.0.2', '127.0.0.1']);
    const guard = createSsrfGuard({ allowPrivateNetworks: '127.0.0.2/32', resolve });
    const dispatcher = createGuardedDispatcher(guard);
    cleanup.push(() => dispatcher.close());

    // A caller validates the URL first (the rebinding attacker's first, harmless answer)...
    expect(await guard.checkUrl(`http://rebind.test:${target.port}/`)).toMatchObject({ ok: true });
    // ...and the connection's own lookup gets the second answer, which the guard refuses.
    const error = await request(`http://rebind.test:${target.port}/`, { dispatcher }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SsrfRefusedError);
    expect((error as Error).message).toBe('rebind.test resolves to loopback address 127.0.0.1 (127.0.0.0/8)');
    expect(resolve.calls).toBe(2);
    expect(forbidden.requests).toHaveLength(0);
  });
});

describe('the connector', () => {
  it('refuses IP-literal hosts before opening a socket (net.connect skips lookup for them)', async () => {
    const server = await startServer(reply(200, 'reached'));
    cleanup.push(server.close);
    const dispatcher = createGuardedDispatcher(createSsrfGuard({ resolve: rebindingResolver(['8.8.8.8']) }));
    cleanup.push(() => dispatcher.close());

    const error = await request(`${server.url}/`, { dispatcher }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SsrfRefusedError);
    expect(server.requests).toHaveLength(0);
  });

  it('reaches an allow-listed literal', async () => {
    const server = await startServer(reply(200, 'reached'));
    cleanup.push(server.close);
    const dispatcher = createGuardedDispatcher(createSsrfGuard({ allowPrivateNetworks: '127.0.0.1' }));
    cleanup.push(() => dispatcher.close());

    expect(await (await request(`${server.url}/`, { dispatcher })).body.text()).toBe('reached');
  });
});

describe('guardedLookup', () => {
  const guard = createSsrfGuard({
    resolve: async (hostname) =>
      hostname === 'dual.test'
        ? [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }]
        : [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.1', family: 4 }],
  });
  const lookup = (hostname: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
      guardedLookup(guard)(hostname, options, (error, address, family) => resolve({ error, address, family })),
    );

  it('hands back every approved address when asked for all (happy eyeballs)', async () => {
    expect(await lookup('dual.test', { all: true })).toMatchObject({
      error: null,
      address: [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
    });
  });

  it('honours a requested family', async () => {
    expect(await lookup('dual.test', { family: 6 })).toMatchObject({ error: null, address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 });
  });

  it('refuses the whole host when one record is refused', async () => {
    const { error } = await lookup('mixed.test', { all: true });
    expect(error).toBeInstanceOf(SsrfRefusedError);
    expect(error?.message).toBe('mixed.test resolves to private address 10.0.0.1 (10.0.0.0/8)');
  });
});
