import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { startLocalOAuthProvider, type LocalOAuthProvider, type ScriptedAnswer } from '../../../test/support/oauth-provider.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { startHub, type RunningHub } from '../../hub.ts';
import { loadConfig } from '../../platform/config.ts';
import { credentialAad } from '../service.ts';
import { integrations } from '../tables.ts';
import { refreshDueTokens, type RefreshRunSummary } from './index.ts';

const CLIENT_ID = 'switchboard-refresh-client';
const CLIENT_SECRET = 'refresh-client-secret-0a1b2c3d';
const MACHINE_SECRET = 'machine-secret-9z8y7x6w';

describe.each(backends)('OAuth token refresh on $name', (backend) => {
  let t: TestHub;
  let provider: LocalOAuthProvider;
  const env = { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_OAUTH_TOKEN_TIMEOUT_SECONDS: '1' };

  const refreshes = () => provider.tokenRequests.filter((request) => request.grantType === 'refresh_token');
  const clientCredentialGrants = () => provider.tokenRequests.filter((request) => request.grantType === 'client_credentials');
  const whoAmI = (id: string, hub: TestHub['inject'] = t.inject) => hub({ method: 'POST', url: `/api/v1/integrations/${id}/actions/whoAmI`, headers: t.auth, payload: {} });

  /** Connects a new code-flow integration through the whole flow; `script` shapes the code exchange's answer. */
  async function connect(name: string, script?: ScriptedAnswer): Promise<string> {
    const started = await t.inject({ method: 'POST', url: '/api/v1/integrations/oauth/local-oauth/start', headers: t.auth, payload: { name } });
    const consent = await fetch(started.json().authorizationUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    if (script) provider.script.push(script);
    const done = await t.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    const id = new URL(done.headers.location as string, 'http://x').searchParams.get('integration');
    if (!id) throw new Error(`connect failed: ${done.headers.location}`);
    return id;
  }

  async function row(id: string) {
    const [found] = await t.hub.context.db.select().from(integrations).where(eq(integrations.id, id));
    return found!;
  }

  async function stored(id: string): Promise<Record<string, string>> {
    const found = await row(id);
    return t.hub.context.vault.decryptObject(found.workspaceId, found.credential!, credentialAad(id));
  }

  /** Sends the refresh job through the job engine, as cron does, and waits for it to finish. */
  async function runRefreshJob(): Promise<RefreshRunSummary> {
    const jobs = t.hub.context.jobs;
    const id = await jobs.send(jobs.definition('integrations.oauth-refresh')!, {}, { workspaceId: null });
    for (;;) {
      const job = await jobs.boss.getJobById('integrations.oauth-refresh', id);
      if (job?.state === 'completed') return job.output as RefreshRunSummary;
      if (job?.state === 'failed') throw new Error(`refresh job failed: ${JSON.stringify(job.output)}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    provider = await startLocalOAuthProvider();
    t = await startTestHub(backend, { env, extraConnectors: [provider.codeConnector(), provider.clientCredentialsConnector()] });
    await t.inject({ method: 'PUT', url: '/api/v1/oauth-apps/local-oauth', headers: t.auth, payload: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
  });
  afterAll(async () => {
    await t?.stop();
    await provider?.close();
  });

  it('refreshes a token ahead of its expiry from the job, storing the rotated refresh token', async () => {
    const id = await connect('Short-lived', { expiresIn: 300 });
    const before = await stored(id);
    expect((await row(id)).tokenExpiresAt!.getTime()).toBeLessThan(Date.now() + 6 * 60_000);
    const count = refreshes().length;

    await runRefreshJob();
    // Exactly one refresh, whichever run made it (cron may also have ticked meanwhile).
    expect(refreshes()).toHaveLength(count + 1);
    const refresh = refreshes().at(-1)!;
    expect(refresh).toMatchObject({ refreshToken: before.refreshToken, basicClientId: CLIENT_ID, basicSecret: CLIENT_SECRET, status: 200 });
    const after = await stored(id);
    expect(after.accessToken).toBe(refresh.accessToken);
    expect(after.refreshToken).toBe(refresh.issuedRefreshToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect((await row(id)).tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // Nothing is due any more: another run leaves it alone.
    await runRefreshJob();
    expect(refreshes()).toHaveLength(count + 1);
  });

  it('uses the configured window with a clock moved forward, sending the rotated refresh token the next time', async () => {
    const id = await connect('Hourly');
    const original = (await stored(id)).refreshToken;
    // An hour-long token is not due now, but is 50 minutes from now (15-minute window).
    expect((await refreshDueTokens(t.hub.context)).due).toBe(0);
    const first = await refreshDueTokens(t.hub.context, { now: new Date(Date.now() + 50 * 60_000) });
    expect(first.due).toBeGreaterThanOrEqual(1);
    const rotated = (await stored(id)).refreshToken;
    expect(rotated).not.toBe(original);
    // Another hour on, it is due again, and the refresh sends the rotated token.
    await refreshDueTokens(t.hub.context, { now: new Date(Date.now() + 110 * 60_000) });
    const sent = refreshes().map((request) => request.refreshToken);
    expect(sent.indexOf(rotated)).toBeGreaterThan(sent.indexOf(original));
    expect((await refreshDueTokens(t.hub.context)).due).toBe(0);
  });

  it('refreshes once on a 401, however many calls meet it at the same time', async () => {
    const id = await connect('Busy');
    const before = await stored(id);
    provider.validAccessTokens.delete(before.accessToken!);
    const count = refreshes().length;

    // A token endpoint that takes a moment keeps the first refresh in flight while the others arrive.
    provider.tokenDelayMs = 300;
    const answers = await Promise.all(Array.from({ length: 8 }, () => whoAmI(id))).finally(() => (provider.tokenDelayMs = 0));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(8).fill(200));
    expect(refreshes()).toHaveLength(count + 1);
    expect(refreshes().at(-1)!.refreshToken).toBe(before.refreshToken);
    const after = await stored(id);
    expect(after.refreshToken).toBe(refreshes().at(-1)!.issuedRefreshToken);
    expect(provider.apiCalls.at(-1)).toBe(`Bearer ${after.accessToken}`);
    expect((await row(id)).refreshLeaseId).toBeNull();
  });

  it.runIf(backend.name === 'postgres')('refreshes once across two hub processes sharing the database', async () => {
    // A second hub (API and worker) on the same PostgreSQL database: it meets the first only through the row lease.
    const config = loadConfig({ SWITCHBOARD_PORT: '0', SWITCHBOARD_BOOTSTRAP_API_KEY: t.auth.authorization.slice('Bearer '.length), ...t.database.env, ...env });
    const second: RunningHub = await startHub(config, { api: true, worker: true }, { logger: pino({ level: 'silent' }), extraConnectors: [provider.codeConnector()] });
    try {
      const id = await connect('Shared');
      const before = await stored(id);
      provider.validAccessTokens.delete(before.accessToken!);
      const count = refreshes().length;
      const secondInject = second.app!.inject.bind(second.app!) as TestHub['inject'];
      provider.tokenDelayMs = 300;
      const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => whoAmI(id, index % 2 === 0 ? t.inject : secondInject))).finally(
        () => (provider.tokenDelayMs = 0),
      );
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array(8).fill(200));
      expect(refreshes()).toHaveLength(count + 1);
    } finally {
      await second.stop();
    }
  });

  it('marks the integration expired with the provider\'s reason when the refresh token is refused', async () => {
    const id = await connect('Revoked grant');
    const before = await stored(id);
    provider.validAccessTokens.delete(before.accessToken!);
    provider.script.push({ error: { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been revoked' } } });

    const answer = await whoAmI(id);
    expect(answer.statusCode).toBe(422);
    const integration = (await t.inject({ method: 'GET', url: `/api/v1/integrations/${id}`, headers: t.auth })).json();
    expect(integration).toMatchObject({ status: 'expired', statusReason: 'Local OAuth refused the refresh token: invalid_grant (Token has been revoked)' });
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?action=integration.expired', headers: t.auth })).json();
    expect(audit.items[0]).toMatchObject({ actorType: 'system', targetId: id, metadata: { error: 'invalid_grant', connectorId: 'local-oauth' } });
    // Subscribers hear of it: integration.expired, written with the status, the provider's reason as its message.
    const events = (await t.inject({ method: 'GET', url: `/api/v1/events?integrationId=${id}&type=integration.*`, headers: t.auth })).json().items;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['integration.expired', 'integration.connected']);
    expect(events[0]).toMatchObject({ source: 'provider', payload: { integrationId: id, connectorId: 'local-oauth', message: 'Local OAuth refused the refresh token: invalid_grant (Token has been revoked)' } });

    // An expired integration is left for a person to re-authorise: no more refresh attempts.
    const count = refreshes().length;
    await refreshDueTokens(t.hub.context, { now: new Date(Date.now() + 24 * 60 * 60_000) });
    await whoAmI(id);
    expect(refreshes().filter((request) => request.refreshToken === before.refreshToken)).toHaveLength(1);
    expect(refreshes().length).toBeGreaterThanOrEqual(count);
  });

  it('marks a token without a refresh token expired once it has actually expired', async () => {
    const id = await connect('No refresh token', { expiresIn: 1, noRefreshToken: true });
    const count = provider.tokenRequests.length;
    await sleep(1100);
    await refreshDueTokens(t.hub.context);
    expect(provider.tokenRequests).toHaveLength(count);
    expect(await row(id)).toMatchObject({ status: 'expired', statusReason: 'The access token expired and Local OAuth issued no refresh token; re-authorise the integration.' });
  });

  it('client credentials: a token at create for the check, renewed when it expires and after a 401', async () => {
    provider.script.push({ expiresIn: 30 });
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: t.auth,
      payload: { connectorId: 'local-machine', name: 'Machine', credentials: { clientId: 'machine-client', clientSecret: MACHINE_SECRET } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'connected', credentials: { clientId: 'machine-client', clientSecret: '••••7x6w' }, account: { id: 'johndoe' } });
    const first = clientCredentialGrants().at(-1)!;
    expect(first).toMatchObject({ basicClientId: 'machine-client', basicSecret: MACHINE_SECRET, status: 200 });
    expect(provider.apiCalls.at(-1)).toBe(`Bearer ${first.accessToken}`);
    const id = created.json().id as string;

    // 30 seconds left is too little: the next call renews first.
    const count = clientCredentialGrants().length;
    expect((await whoAmI(id)).statusCode).toBe(200);
    expect(clientCredentialGrants()).toHaveLength(count + 1);
    expect(provider.apiCalls.at(-1)).toBe(`Bearer ${clientCredentialGrants().at(-1)!.accessToken}`);

    provider.validAccessTokens.delete((await stored(id)).accessToken!);
    expect((await whoAmI(id)).statusCode).toBe(200);
    expect(clientCredentialGrants()).toHaveLength(count + 2);

    // Ahead of expiry, by the job.
    await refreshDueTokens(t.hub.context, { now: new Date(Date.now() + 55 * 60_000) });
    expect(clientCredentialGrants()).toHaveLength(count + 3);
    expect((await stored(id)).accessToken).toBe(clientCredentialGrants().at(-1)!.accessToken);

    // A replaced client id/secret gets its token before the check, like at create.
    const replaced = await t.inject({
      method: 'PATCH',
      url: `/api/v1/integrations/${id}`,
      headers: t.auth,
      payload: { credentials: { clientId: 'machine-client-2', clientSecret: `${MACHINE_SECRET}-2` } },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().credentials).toEqual({ clientId: 'machine-client-2', clientSecret: '••••6w-2' });
    expect(clientCredentialGrants().at(-1)).toMatchObject({ basicClientId: 'machine-client-2', accessToken: (await stored(id)).accessToken });
    expect(new Date(replaced.json().tokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    provider.script.push({ error: { status: 401, body: { error: 'invalid_client', error_description: 'Unknown client' } } });
    const refused = await t.inject({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: t.auth,
      payload: { connectorId: 'local-machine', name: 'Wrong machine', credentials: { clientId: 'nobody', clientSecret: 'wrong-secret-value' } },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'connection_failed', details: { reason: 'auth', field: 'body.credentials.clientSecret' } });
    expect(refused.json().error.message).toBe('Local Machine API refused the client credentials: invalid_client (Unknown client)');
    const names = (await t.inject({ method: 'GET', url: '/api/v1/integrations?connectorId=local-machine', headers: t.auth })).json().items.map((i: { name: string }) => i.name);
    expect(names).toEqual(['Machine']);
  });

  it('keeps the current token when the token endpoint is too slow, and refreshes once it answers again', async () => {
    const id = await connect('Slow provider', { expiresIn: 300 });
    const before = await stored(id);
    const requests = provider.tokenRequests.length;
    provider.tokenDelayMs = 2500;
    try {
      const summary = await refreshDueTokens(t.hub.context);
      expect(summary.refreshed).toBe(0);
      expect(await stored(id)).toEqual(before);
      expect((await row(id)).status).toBe('connected');

      // Reactively too: the 401 stands, the integration is not declared expired, the token is kept.
      provider.validAccessTokens.delete(before.accessToken!);
      expect((await whoAmI(id)).statusCode).toBe(422);
      expect((await row(id)).status).toBe('error');
      expect((await stored(id)).refreshToken).toBe(before.refreshToken);
      expect(provider.tokenRequests).toHaveLength(requests);
    } finally {
      provider.tokenDelayMs = 0;
    }
    const operations = (await t.inject({ method: 'GET', url: `/api/v1/integrations/${id}/operations?limit=50`, headers: t.auth })).json();
    expect(operations.items.filter((o: { operation: string; errorCode: string | null }) => o.operation === 'refresh' && o.errorCode === 'timeout').length).toBeGreaterThanOrEqual(1);

    // The provider answers again: the next call refreshes with the refresh token that was kept.
    expect((await whoAmI(id)).statusCode).toBe(200);
    expect(refreshes().at(-1)!.refreshToken).toBe(before.refreshToken);
  });

  it('never lets a secret reach a log line, an audit entry or an event payload', async () => {
    const secrets = [CLIENT_SECRET, MACHINE_SECRET, ...provider.secrets()];
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: t.auth })).body;
    const events = (await t.inject({ method: 'GET', url: '/api/v1/events/export?format=json', headers: t.auth })).body;
    expect(events).toContain('integration.expired');
    const logs = t.logs.join('');
    for (const secret of secrets) {
      expect(audit).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
