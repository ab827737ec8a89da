import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { Events } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/databases.ts';
import { startLocalOAuthProvider, type LocalOAuthProvider } from '../../../test/support/oauth-provider.ts';
import { signIn, startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { oauthApps, oauthFlows } from '../tables.ts';

const CLIENT_ID = 'switchboard-test-client';
const CLIENT_SECRET = 'client-secret-for-tests-7f3a91c2';

describe.each(backends)('OAuth authorization-code flow on $name', (backend) => {
  let t: TestHub;
  let provider: LocalOAuthProvider;
  let session: { cookie: string };
  let integrationId: string;
  // Every answer the hub gave in this suite, for the "no secret in a response" check at the end.
  const bodies: string[] = [];

  const call = async (options: InjectOptions) => {
    const response = await t.inject(options);
    bodies.push(response.body, JSON.stringify(response.headers));
    return response;
  };

  /** The browser's trip to the provider: its authorization endpoint consents at once and redirects back. */
  async function consent(authorizationUrl: string): Promise<string> {
    const answer = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    expect(back.pathname).toBe('/api/v1/oauth/callback');
    return `${back.pathname}${back.search}`;
  }

  /** The provider's redirect back, as a browser sends it: no session cookie (it is SameSite=Strict). */
  const callback = (path: string) => call({ method: 'GET', url: path });

  beforeAll(async () => {
    provider = await startLocalOAuthProvider();
    t = await startTestHub(backend, {
      env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' },
      extraConnectors: [provider.codeConnector(), provider.clientCredentialsConnector()],
    });
    session = await signIn(t);
  });
  afterAll(async () => {
    await t?.stop();
    await provider?.close();
  });

  it('refuses to start before the workspace has an OAuth app, naming the redirect URI to register', async () => {
    const started = await call({ method: 'GET', url: '/api/v1/integrations/oauth/local-oauth/start?name=Local', headers: session });
    expect(started.statusCode).toBe(409);
    expect(started.json().error.message).toContain('PUT /api/v1/oauth-apps/local-oauth');
    expect(started.json().error.message).toContain('/api/v1/oauth/callback');
    // The connector's description names it too, before any app exists (the wizard shows it).
    const detail = (await call({ method: 'GET', url: '/api/v1/connectors/local-oauth', headers: session })).json();
    expect(detail.oauth).toMatchObject({ pkce: true, redirectUri: 'http://localhost:80/api/v1/oauth/callback' });
    expect((await call({ method: 'GET', url: '/api/v1/connectors/local-machine', headers: session })).json().oauth).toBeNull();
  });

  it('keeps the OAuth app secret in the vault and shows it masked', async () => {
    const saved = await call({ method: 'PUT', url: '/api/v1/oauth-apps/local-oauth', headers: t.auth, payload: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ connectorId: 'local-oauth', clientId: CLIENT_ID, clientSecret: '••••91c2', redirectUri: 'http://localhost:80/api/v1/oauth/callback' });
    const listed = (await call({ method: 'GET', url: '/api/v1/oauth-apps', headers: t.auth })).json();
    expect(listed.items).toEqual([expect.objectContaining({ connectorId: 'local-oauth', clientSecret: '••••91c2' })]);
    // Changing the client id alone keeps the stored secret.
    const renamed = await call({ method: 'PUT', url: '/api/v1/oauth-apps/local-oauth', headers: t.auth, payload: { clientId: `${CLIENT_ID}-2` } });
    expect(renamed.json().clientSecret).toBe('••••91c2');
    await call({ method: 'PUT', url: '/api/v1/oauth-apps/local-oauth', headers: t.auth, payload: { clientId: CLIENT_ID } });

    const [row] = await t.hub.context.db.select().from(oauthApps);
    expect(row!.clientSecret).toMatch(/^sbv1\./);

    const wrongKind = await call({ method: 'PUT', url: '/api/v1/oauth-apps/local-machine', headers: t.auth, payload: { clientId: 'x', clientSecret: 'y' } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.message).toContain('client-credentials grant');
    expect((await call({ method: 'PUT', url: '/api/v1/oauth-apps/rest', headers: t.auth, payload: { clientId: 'x' } })).statusCode).toBe(400);
    expect((await call({ method: 'DELETE', url: '/api/v1/oauth-apps/nope', headers: t.auth })).statusCode).toBe(404);
  });

  it('connects end to end: start, consent at the provider, callback without a session, checked with the new token', async () => {
    const started = await call({
      method: 'GET',
      url: '/api/v1/integrations/oauth/local-oauth/start?name=Local%20account&returnTo=%2Fintegrations%3Ftab%3Dall&config.region=us',
      headers: session,
    });
    expect(started.statusCode).toBe(302);
    const authorizationUrl = new URL(started.headers.location as string);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${provider.issuer}/authorize`);
    const params = Object.fromEntries(authorizationUrl.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'http://localhost:80/api/v1/oauth/callback',
      scope: 'profile api:read',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(params.state).toMatch(/^[\w-]{40,}$/);
    // The verifier is stored encrypted, never in the clear.
    const [flow] = await t.hub.context.db.select().from(oauthFlows).where(eq(oauthFlows.state, params.state!));
    expect(flow!.codeVerifier).toMatch(/^sbv1\./);

    const done = await callback(await consent(authorizationUrl.toString()));
    expect(done.statusCode).toBe(302);
    const back = new URL(done.headers.location as string, 'http://x');
    expect(back.pathname).toBe('/integrations');
    expect(back.searchParams.get('tab')).toBe('all');
    integrationId = back.searchParams.get('integration')!;
    expect(integrationId).toMatch(/^[0-9a-f-]{36}$/);

    // PKCE: the token request carried the verifier whose S256 hash the authorization request announced.
    const exchange = provider.tokenRequests.at(-1)!;
    expect(exchange).toMatchObject({ grantType: 'authorization_code', basicClientId: CLIENT_ID, basicSecret: CLIENT_SECRET, status: 200 });
    expect(createHash('sha256').update(exchange.codeVerifier!).digest('base64url')).toBe(params.code_challenge);
    // The connection check used the token just issued.
    expect(provider.apiCalls.at(-1)).toBe(`Bearer ${exchange.accessToken}`);

    const integration = (await call({ method: 'GET', url: `/api/v1/integrations/${integrationId}`, headers: t.auth })).json();
    expect(integration).toMatchObject({ connectorId: 'local-oauth', name: 'Local account', status: 'connected', account: { id: 'johndoe', name: 'John Doe' }, config: { region: 'us' } });
    expect(new Date(integration.tokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const ran = await call({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/whoAmI`, headers: t.auth, payload: {} });
    expect(ran.json()).toEqual({ output: { id: 'johndoe', name: 'John Doe' } });

    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log?action=integration.*', headers: t.auth })).json();
    expect(audit.items[0]).toMatchObject({ action: 'integration.created', actorType: 'user', actorLabel: 'owner@example.com' });
    const events = (await call({ method: 'GET', url: `/api/v1/events?integrationId=${integrationId}`, headers: t.auth })).json().items;
    expect(events).toEqual([expect.objectContaining({ type: 'integration.connected', payload: { integrationId, connectorId: 'local-oauth', name: 'Local account', account: { id: 'johndoe', name: 'John Doe' } } })]);
  });

  it('refuses a reused state, an expired one, and passes on the provider\'s refusal', async () => {
    const startUrl = '/api/v1/integrations/oauth/local-oauth/start?name=Second&returnTo=/integrations';
    const first = await consent((await call({ method: 'GET', url: startUrl, headers: session })).headers.location as string);
    const used = await callback(first);
    expect(new URL(used.headers.location as string, 'http://x').searchParams.get('integration')).toBeTruthy();
    const reused = await callback(first);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'query.state', message: 'unknown or already used' }] });

    const late = (await call({ method: 'GET', url: startUrl.replace('Second', 'Late'), headers: session })).headers.location as string;
    const lateState = new URL(late).searchParams.get('state')!;
    await t.hub.context.db.update(oauthFlows).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oauthFlows.state, lateState));
    const expired = await callback(await consent(late));
    expect(expired.statusCode).toBe(302);
    expect(new URL(expired.headers.location as string, 'http://x').searchParams.get('oauthError')).toMatch(/not completed within 10 minutes/);

    provider.service.once(Events.BeforeAuthorizeRedirect, (redirect: { url: URL }) => {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
      redirect.url.searchParams.set('error_description', 'The user said no');
    });
    const denied = await callback(await consent((await call({ method: 'GET', url: startUrl.replace('Second', 'Denied'), headers: session })).headers.location as string));
    expect(new URL(denied.headers.location as string, 'http://x').searchParams.get('oauthError')).toBe(
      'Local OAuth did not authorise the connection: access_denied (The user said no)',
    );

    const noState = await callback('/api/v1/oauth/callback?code=abc');
    expect(noState.statusCode).toBe(400);
    expect(noState.json().error.details[0].field).toBe('query.state');
  });

  it('validates the start: returnTo stays on this hub, names are unique, the connector must match', async () => {
    for (const returnTo of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const refused = await call({ method: 'GET', url: `/api/v1/integrations/oauth/local-oauth/start?name=X&returnTo=${encodeURIComponent(returnTo)}`, headers: session });
      expect(refused.statusCode, returnTo).toBe(400);
      expect(refused.json().error.details[0].field).toBe('query.returnTo');
    }
    const taken = await call({ method: 'GET', url: '/api/v1/integrations/oauth/local-oauth/start?name=Local%20account', headers: session });
    expect(taken.statusCode).toBe(409);
    const nameless = await call({ method: 'POST', url: '/api/v1/integrations/oauth/local-oauth/start', headers: t.auth, payload: {} });
    expect(nameless.json().error.details[0].field).toBe('body.name');
    const badConfig = await call({ method: 'GET', url: '/api/v1/integrations/oauth/local-oauth/start?name=Y&config=%7Bnope', headers: session });
    expect(badConfig.json().error.details[0].field).toBe('query.config');
    const notOAuth = await call({ method: 'GET', url: '/api/v1/integrations/oauth/rest/start?name=Y', headers: session });
    expect(notOAuth.statusCode).toBe(400);

    const machine = await call({
      method: 'POST',
      url: '/api/v1/integrations',
      headers: t.auth,
      payload: { connectorId: 'local-machine', name: 'Machine', credentials: { clientId: 'machine-client', clientSecret: 'machine-secret-12345' } },
    });
    expect(machine.statusCode).toBe(201);
    const mismatched = await call({ method: 'POST', url: '/api/v1/integrations/oauth/local-oauth/start', headers: t.auth, payload: { integrationId: machine.json().id } });
    expect(mismatched.statusCode).toBe(400);
    expect(mismatched.json().error.details[0]).toEqual({ field: 'body.integrationId', message: 'belongs to connector local-machine' });
  });

  it('starts with JSON for API clients, and re-authorises an existing integration in place', async () => {
    const before = provider.tokenRequests.filter((r) => r.grantType === 'authorization_code').length;
    const started = await call({ method: 'POST', url: '/api/v1/integrations/oauth/local-oauth/start', headers: t.auth, payload: { integrationId, returnTo: '/integrations/x' } });
    expect(started.statusCode).toBe(200);
    expect(new Date(started.json().expiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    const done = await callback(await consent(started.json().authorizationUrl));
    expect(done.headers.location).toBe(`/integrations/x?integration=${integrationId}`);
    const exchange = provider.tokenRequests.at(-1)!;
    expect(provider.tokenRequests.filter((r) => r.grantType === 'authorization_code')).toHaveLength(before + 1);

    // The new token is the one used from now on.
    await call({ method: 'POST', url: `/api/v1/integrations/${integrationId}/actions/whoAmI`, headers: t.auth, payload: {} });
    expect(provider.apiCalls.at(-1)).toBe(`Bearer ${exchange.accessToken}`);
    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log?action=integration.reauthorized', headers: t.auth })).json();
    expect(audit.items[0]).toMatchObject({ actorType: 'api_key', targetId: integrationId, metadata: { accountChanged: false } });
    const events = (await call({ method: 'GET', url: `/api/v1/events?integrationId=${integrationId}`, headers: t.auth })).json().items;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['integration.connected', 'integration.connected']);
  });

  it('revokes the tokens at the provider on disconnect, and disconnects even when revocation fails', async () => {
    const stored = provider.tokenRequests.at(-1)!;
    const removed = await call({ method: 'DELETE', url: `/api/v1/integrations/${integrationId}`, headers: t.auth });
    expect(removed.json()).toMatchObject({ status: 'disconnected', statusReason: 'Disconnected by a user.' });
    expect(provider.revocations.slice(-2)).toEqual([
      { token: stored.issuedRefreshToken, hint: 'refresh_token' },
      { token: stored.accessToken, hint: 'access_token' },
    ]);

    const other = (await call({ method: 'GET', url: '/api/v1/integrations?connectorId=local-oauth', headers: t.auth })).json().items[0];
    provider.service.on(Events.BeforeRevoke, failRevocation);
    const failed = await call({ method: 'DELETE', url: `/api/v1/integrations/${other.id}`, headers: t.auth });
    provider.service.off(Events.BeforeRevoke, failRevocation);
    expect(failed.statusCode).toBe(200);
    expect(failed.json().status).toBe('disconnected');
    expect(failed.json().statusReason).toMatch(/Revoking the token at the provider failed \(Local OAuth's token endpoint answered 503/);

    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log?action=integration.disconnected', headers: t.auth })).json();
    expect(audit.items[0].metadata).toMatchObject({ tokenRevocation: 'failed' });
    expect(audit.items[1].metadata).toMatchObject({ tokenRevocation: 'revoked' });
    const events = (await call({ method: 'GET', url: `/api/v1/events?integrationId=${integrationId}&type=integration.disconnected`, headers: t.auth })).json().items;
    expect(events).toEqual([expect.objectContaining({ source: 'api', payload: { integrationId, connectorId: 'local-oauth', name: 'Local account' } })]);
  });

  it('deletes an OAuth app, after which no flow can start', async () => {
    const deleted = await call({ method: 'DELETE', url: '/api/v1/oauth-apps/local-oauth', headers: t.auth });
    expect(deleted.statusCode).toBe(204);
    expect((await call({ method: 'GET', url: '/api/v1/oauth-apps', headers: t.auth })).json().items).toEqual([]);
    expect((await call({ method: 'GET', url: '/api/v1/integrations/oauth/local-oauth/start?name=After', headers: session })).statusCode).toBe(409);
    const audit = (await call({ method: 'GET', url: '/api/v1/audit-log?action=oauth_app.*', headers: t.auth })).json();
    expect(audit.items.map((entry: { action: string }) => entry.action)).toEqual(['oauth_app.deleted', 'oauth_app.saved', 'oauth_app.saved', 'oauth_app.saved']);
  });

  it('never lets the client secret, a token or a verifier reach a response, a log line or an audit entry', async () => {
    const secrets = [CLIENT_SECRET, 'machine-secret-12345', ...provider.secrets()];
    expect(secrets.length).toBeGreaterThan(10);
    const audit = (await t.inject({ method: 'GET', url: '/api/v1/audit-log?limit=200', headers: t.auth })).body;
    const events = (await t.inject({ method: 'GET', url: '/api/v1/events/export?format=json', headers: t.auth })).body;
    expect(events).toContain('integration.disconnected');
    const logs = t.logs.join('');
    const responses = bodies.join('\n');
    for (const secret of secrets) {
      expect(audit).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(responses).not.toContain(secret);
    }
  });
});

function failRevocation(response: { statusCode: number }) {
  response.statusCode = 503;
}
