// Contract tests for the Zapier connector: catch-hook calls shaped like Zapier's help pages describe them.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorRunner, provider } from '../../../../test/support/connectors.ts';
import { createProviderHttp } from '../../../integrations/runtime/provider-http.ts';
import { createOutboundClient, createSsrfGuard, type OutboundOperation } from '../../../platform/outbound/index.ts';
import { credentialSchema } from '../../sdk/credentials.ts';
import zapier from './index.ts';

const HOOK = 'https://hooks.zapier.com/hooks/catch/123456/abc7def/';
const answer = { attempt: '018f3c2a-7b1e-7c4d-9e8f-0a1b2c3d4e5f', id: '018f3c2a-7b1e-7c4d-9e8f-0a1b2c3d4e60', request_id: '018f3c2a-7b1e-7c4d-9e8f-0a1b2c3d4e5f', status: 'success' };
let next: (() => Response) | undefined;

const api = provider([
  http.post('https://hooks.zapier.com/hooks/catch/123456/abc7def/', () => next?.() ?? HttpResponse.json(answer)),
  http.post('https://hooks.zapier.com/hooks/catch/123456/abc7def/silent/', () => new HttpResponse(null, { status: 200 })),
]);
beforeAll(() => api.enable());
afterEach(() => {
  api.reset();
  next = undefined;
});
afterAll(() => api.disable());

const runner = (hookUrl = HOOK) => connectorRunner(zapier, { credentials: { hookUrl } });

describe('Zapier connector', () => {
  it('stores only https://hooks.zapier.com catch-hook URLs', () => {
    const schema = credentialSchema(zapier.auth);
    expect(schema.safeParse({ hookUrl: HOOK }).success).toBe(true);
    expect(schema.safeParse({ hookUrl: 'https://hooks.zapier.com/hooks/catch/abc123/' }).success).toBe(true);
    for (const hookUrl of [
      'http://hooks.zapier.com/hooks/catch/123456/abc7def/',
      'https://hooks.zapier.com.evil.example/hooks/catch/123456/abc7def/',
      'https://evil.example/?u=https://hooks.zapier.com/hooks/catch/1/a/',
      'https://hooks.zapier.com/hooks/catch/123456/abc7def/../../../admin',
      'https://10.0.0.1/hooks/catch/123456/abc7def/',
    ]) {
      const parsed = schema.safeParse({ hookUrl });
      expect(parsed.success, hookUrl).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('The Catch Hook URL must look like https://hooks.zapier.com/hooks/catch/123456/abcdef/');
    }
  });

  it('checks the address without calling it (a call would start the Zap) and names the Zapier account', async () => {
    const run = runner();
    expect(await run.check()).toEqual({
      ok: true,
      account: { id: 'zapier-account-123456', name: 'Zapier account 123456', details: { verified: 'address only: a catch hook cannot be probed without starting its Zap' } },
    });
    expect(api.requests).toHaveLength(0);
    expect(await runner('https://example.com/hook').check()).toMatchObject({ ok: false, reason: 'config', field: 'credentials.hookUrl' });
    await run.close();
  });

  it('triggerZap POSTs the JSON payload to the hook and returns Zapier’s receipt', async () => {
    const run = runner();
    const payload = { event: 'order.created', order: { id: 1042, total: 99.5 } };
    expect(await run.run('triggerZap', { payload })).toEqual({ ok: true, output: { accepted: true, status: 200, zapier: answer } });
    expect(api.requests).toHaveLength(1);
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url.href).toBe(HOOK);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('authorization')).toBeNull();
    expect(JSON.parse(sent.body)).toEqual(payload);
    await run.close();
  });

  it('adds the trailing slash Zapier expects and uses …/silent/ in silent mode', async () => {
    const run = runner(HOOK.slice(0, -1));
    expect(await run.run('triggerZap', { payload: [{ a: 1 }, { a: 2 }], silent: true })).toEqual({ ok: true, output: { accepted: true, status: 200, zapier: null } });
    expect(api.requests[0]!.url.href).toBe(`${HOOK}silent/`);
    expect(JSON.parse(api.requests[0]!.body)).toEqual([{ a: 1 }, { a: 2 }]);
    await run.close();
  });

  it('triggerZapRaw sends the body as it is with its content type', async () => {
    const run = runner();
    expect(await run.run('triggerZapRaw', { body: '<order id="1042"/>', contentType: 'application/xml' })).toMatchObject({ ok: true, output: { accepted: true } });
    expect(api.requests[0]!.body).toBe('<order id="1042"/>');
    expect(api.requests[0]!.headers.get('content-type')).toBe('application/xml');
    await run.close();
  });

  it('does not retry a 429 (the first call may have started the Zap) and reports it', async () => {
    // Zapier documents the 429 but no body or Retry-After for it.
    next = () => new HttpResponse('Too Many Requests', { status: 429 });
    const run = runner();
    expect(await run.run('triggerZap', { payload: { a: 1 } })).toMatchObject({ ok: false, kind: 'provider_error', status: 429, message: 'Zapier answered 429: Too Many Requests' });
    expect(api.requests).toHaveLength(1);
    expect(run.sleeps).toEqual([]);
    await run.close();
  });

  it('refuses to call a stored URL that is not a Zapier catch hook', async () => {
    const run = runner('https://metadata.internal/latest');
    expect(await run.run('triggerZap', { payload: { a: 1 } })).toMatchObject({ ok: false, kind: 'provider_error', message: expect.stringContaining('not a https://hooks.zapier.com/hooks/catch/') });
    expect(api.requests).toHaveLength(0);
    await run.close();
  });

  it('keeps the hook URL out of the operation log (the URL is the credential)', async () => {
    const outbound = createOutboundClient({ guard: createSsrfGuard({ resolve: async () => [{ address: '10.0.0.1', family: 4 }] }) });
    const logged: OutboundOperation[] = [];
    const http = createProviderHttp({
      outbound,
      connector: zapier,
      config: {},
      credentials: { current: async () => ({ hookUrl: HOOK }) },
      workspaceId: '00000000-0000-7000-8000-000000000001',
      integrationId: '00000000-0000-7000-8000-000000000002',
      operation: 'action:triggerZap',
      onOperation: (operation) => void logged.push(operation),
    });
    await http.post(`${HOOK}silent/`, { a: 1 });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.url).toBe('[redacted]silent/');
    expect(JSON.stringify(logged)).not.toContain('abc7def');
    await outbound.close();
  });
});
