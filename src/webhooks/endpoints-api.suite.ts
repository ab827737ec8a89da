// The endpoints API with the default SSRF guard (no private networks allowed): every refused address form
// answers 400 naming body.url, presets check URL shapes (an n8n test URL is refused with the reason),
// secrets are shown once, roles and workspaces are enforced, and changes are audited. Run by api.test.ts
// on its hub, through an app whose configuration allows no private network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHub } from '../../test/support/test-hub.ts';
import { createApiKey } from '../access/api-keys.ts';
import { DASHBOARD_DIR } from '../app.ts';
import { workspaces } from '../platform/db/schema.ts';
import { createHttpServer, type App } from '../platform/http/server.ts';
import { newId } from '../platform/ids.ts';
import { webhookRoutes } from './routes.ts';

export function endpointsApiSuite(hub: () => TestHub) {
  describe('the webhook endpoints API with the default SSRF guard', () => {
    let t: TestHub;
    let strict: App;
    beforeAll(async () => {
      t = hub();
      // The same hub and database, seen through a configuration without SWITCHBOARD_ALLOW_PRIVATE_NETWORKS.
      const context = { ...t.hub.context, config: { ...t.hub.context.config, allowPrivateNetworks: '' } };
      strict = await createHttpServer(context, { dashboardDir: DASHBOARD_DIR });
      for (const register of webhookRoutes) register(strict, context);
      await strict.ready();
    });
    afterAll(async () => {
      await strict?.close();
    });

    const create = (payload: Record<string, unknown>, headers: Record<string, string> = t.auth) =>
      strict.inject({ method: 'POST', url: '/api/v1/webhooks/endpoints', headers, payload });

    it('refuses loopback, private, link-local, CGNAT, multicast, unspecified, metadata and mapped addresses, naming the field', async () => {
      const refused = [
        'http://127.0.0.1:8080/hook',
        'http://localhost:5678/webhook/x',
        'http://2130706433/',
        'http://0x7f.1/',
        'http://10.0.0.5/',
        'http://172.16.4.2/',
        'http://192.168.1.10/',
        'http://169.254.169.254/latest/meta-data',
        'http://100.64.0.1/',
        'http://0.0.0.0/',
        'http://224.0.0.1/',
        'http://[::1]/',
        'http://[::ffff:127.0.0.1]/',
        'http://[::ffff:a00:5]/',
        'http://[fd00::1]/',
        'http://[fe80::1]/',
      ];
      for (const url of refused) {
        const response = await create({ url });
        expect(response.statusCode, url).toBe(400);
        const error = response.json().error;
        expect(error.code).toBe('validation_failed');
        expect(error.details[0].field).toBe('body.url');
        expect(error.message).toMatch(/refused: .*SWITCHBOARD_ALLOW_PRIVATE_NETWORKS/);
      }
      const metadata = (await create({ url: 'http://169.254.169.254/' })).json().error.message;
      expect(metadata).toMatch(/metadata/i);
      expect((await create({ url: 'ftp://files.example.com/' })).json().error.details[0]).toMatchObject({ field: 'body.url' });
      expect((await create({ url: 'https://user:pass@hooks.example.com/' })).json().error.details[0].message).toMatch(/credentials/);
    });

    it('refuses an n8n test URL for a production endpoint and explains the difference', async () => {
      const response = await create({ url: 'https://n8n.example.com/webhook-test/switchboard', preset: 'n8n' });
      expect(response.statusCode).toBe(400);
      const message = response.json().error.details[0].message as string;
      expect(message).toMatch(/n8n test URL/);
      expect(message).toMatch(/only while the workflow editor is listening/);
      expect(message).toMatch(/production URL \(\/webhook\/…\)/);
      const ok = await create({ url: 'https://n8n.example.com/webhook/switchboard', preset: 'n8n', headers: { 'X-Switchboard-Token': 't0k3n' } });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().endpoint).toMatchObject({ preset: 'n8n', rateLimitPerSecond: 50, headerNames: ['X-Switchboard-Token'] });
    });

    it('checks Zapier and Make URL shapes', async () => {
      expect((await create({ url: 'https://example.com/hooks/catch/1/2/', preset: 'zapier' })).statusCode).toBe(400);
      expect((await create({ url: 'https://hooks.zapier.com/hooks/catch/123/abc/', preset: 'zapier' })).statusCode).toBe(201);
      expect((await create({ url: 'https://hook.example.com/abc', preset: 'make' })).statusCode).toBe(400);
      const make = await create({ url: 'https://hook.eu1.make.com/abcdef123456', preset: 'make' });
      expect(make.statusCode).toBe(201);
      // This machine resolves nothing outside: the save succeeds with a warning instead of a refusal.
      expect(make.json().warnings.join(' ')).toMatch(/does not resolve|^$/);
    });

    it('shows the secret once, returns neither it nor header values later, and audits changes', async () => {
      const created = await create({ url: 'https://receiver.example.com/hook', description: 'CRM', eventTypes: ['sync.*', 'integration.failed'], headers: { 'X-Key': 'very-secret-value' } });
      expect(created.statusCode).toBe(201);
      const { endpoint, secret } = created.json();
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint).toMatchObject({ state: 'enabled', preset: 'generic', eventTypes: ['sync.*', 'integration.failed'], customRetrySchedule: false });
      expect(endpoint.retrySchedule).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);

      const listed = await strict.inject({ method: 'GET', url: '/api/v1/webhooks/endpoints', headers: t.auth });
      expect(listed.body).not.toContain(secret);
      expect(listed.body).not.toContain('very-secret-value');
      expect(listed.json().items.find((e: { id: string }) => e.id === endpoint.id).health).toMatchObject({ attempts24h: 0, successRate24h: null });

      const patched = await t.inject({
        method: 'PATCH',
        url: `/api/v1/webhooks/endpoints/${endpoint.id}`,
        headers: t.auth,
        payload: { description: 'CRM (prod)', retrySchedule: [10, 60], rateLimitPerSecond: 5 },
      });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().endpoint).toMatchObject({ description: 'CRM (prod)', retrySchedule: [10, 60], customRetrySchedule: true, rateLimitPerSecond: 5 });
      const badUrl = await strict.inject({ method: 'PATCH', url: `/api/v1/webhooks/endpoints/${endpoint.id}`, headers: t.auth, payload: { url: 'http://10.1.2.3/' } });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json().error.details[0].field).toBe('body.url');

      const rotated = await strict.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${endpoint.id}/rotate-secret`, headers: t.auth, payload: {} });
      expect(rotated.json().secret).not.toBe(secret);
      expect(Date.parse(rotated.json().endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

      expect((await strict.inject({ method: 'DELETE', url: `/api/v1/webhooks/endpoints/${endpoint.id}`, headers: t.auth })).statusCode).toBe(204);
      expect((await strict.inject({ method: 'GET', url: `/api/v1/webhooks/endpoints/${endpoint.id}`, headers: t.auth })).statusCode).toBe(404);

      const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=webhook_endpoint.*', headers: t.auth })).json();
      const actions = audit.items.filter((e: { targetId: string }) => e.targetId === endpoint.id).map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['webhook_endpoint.created', 'webhook_endpoint.updated', 'webhook_endpoint.secret_rotated', 'webhook_endpoint.deleted']));
      expect(JSON.stringify(audit)).not.toContain('very-secret-value');
    });

    it('validates filters, headers and schedules field by field', async () => {
      const response = await create({
        url: 'https://receiver.example.com/x',
        eventTypes: ['sync*'],
        headers: { 'webhook-signature': 'forged', 'Content-Type': 'text/plain' },
        retrySchedule: [0],
        rateLimitPerSecond: 0,
      });
      expect(response.statusCode).toBe(400);
      const fields = response.json().error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['body.eventTypes.0', 'body.retrySchedule.0', 'body.rateLimitPerSecond']));
      expect(fields.some((f: string) => f.startsWith('body.headers'))).toBe(true);
    });

    it('lets members read but not change endpoints, and hides other workspaces', async () => {
      const key = await t.inject({ method: 'POST', url: '/api/v1/api-keys', headers: t.auth, payload: { name: 'member', role: 'member' } });
      const member = { authorization: `Bearer ${key.json().key}` };
      expect((await create({ url: 'https://receiver.example.com/m' }, member)).statusCode).toBe(403);
      expect((await strict.inject({ method: 'GET', url: '/api/v1/webhooks/endpoints', headers: member })).statusCode).toBe(200);
      expect((await strict.inject({ method: 'GET', url: '/api/v1/webhooks/presets', headers: member })).json().items.map((p: { id: string }) => p.id)).toEqual([
        'generic',
        'n8n',
        'zapier',
        'make',
      ]);

      const mine = (await create({ url: 'https://receiver.example.com/mine' })).json().endpoint.id;
      const otherId = newId();
      await t.hub.context.db.insert(workspaces).values({ id: otherId, slug: 'other-webhooks', name: 'Other' });
      const otherKey = await createApiKey(t.hub.context.db, {
        workspaceId: otherId,
        name: 'other workspace owner',
        role: 'owner',
        scopes: ['read', 'write'],
        createdByUserId: null,
      });
      const outsider = { authorization: `Bearer ${otherKey.key}` };
      expect((await strict.inject({ method: 'GET', url: `/api/v1/webhooks/endpoints/${mine}`, headers: outsider })).statusCode).toBe(404);
      expect((await strict.inject({ method: 'POST', url: `/api/v1/webhooks/endpoints/${mine}/pause`, headers: outsider })).statusCode).toBe(404);
    });
  });
}
