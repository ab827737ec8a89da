// End to end in Debian's Chromium: connecting the Generic REST connector to a local fixture API (a refused
// key, then the right one), running an action, testing and disconnecting it; and connecting an OAuth 2.0
// connector through a local oauth2-mock-server and back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { browserTest, buildDashboardIfStale, CHROMIUM_PATH, chromiumMissing, launchChromium, signIn, snapshot, type BrowserSuite } from '../support/browser.ts';
import { pgliteBackend } from '../support/databases.ts';
import { startHubProcess, type HubProcess } from '../support/hub-process.ts';
import { startLocalOAuthProvider, type LocalOAuthProvider } from '../support/oauth-provider.ts';
import { OWNER_EMAIL as TEST_HUB_OWNER_EMAIL, OWNER_PASSWORD as TEST_HUB_OWNER_PASSWORD, startTestHub, type TestHub } from '../support/test-hub.ts';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
const FIXTURE_KEY = 'fixture-key-7c1d9e40a2b6';
const REFUSED_KEY = 'fixture-key-refused-0000';
const exact = (name: string) => ({ name, exact: true });

interface FixtureApi {
  baseUrl: string;
  /** The Authorization header of every request, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** An API that accepts one bearer key and answers 401 with its own message to anything else. */
async function startFixtureApi(): Promise<FixtureApi> {
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${FIXTURE_KEY}`) return send(401, { error: { message: 'invalid api key', code: 'invalid_key' } });
    if (request.url?.startsWith('/api/items')) return send(200, { items: [{ id: 1, name: 'Widget' }, { id: 2, name: 'Gadget' }], total: 2 });
    return send(200, { ok: true });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(chromiumMissing)(`integrations dashboard in Chromium (${CHROMIUM_PATH})`, () => {
  describe('an API-key connector against a local fixture API', () => {
    let hub: HubProcess | undefined;
    let fixture: FixtureApi | undefined;
    const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => hub?.output() ?? '' };

    beforeAll(async () => {
      await buildDashboardIfStale();
      fixture = await startFixtureApi();
      hub = await startHubProcess({
        env: {
          SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL,
          SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD,
          // The fixture listens on loopback, which the SSRF guard refuses unless allowed.
          SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
        },
      });
      suite.hubUrl = hub.url;
      suite.browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await suite.browser?.close();
      await hub?.stop();
      await fixture?.close();
    }, 60_000);

    browserTest(
      suite,
      'connects Generic REST (refused key first), runs getJson, tests and disconnects it',
      async (page, hubUrl) => {
        const api = fixture!;
        await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Integrations' }).click();
        await page.getByTestId('integrations-empty').waitFor();
        await snapshot(page, 'integrations-empty');

        // The marketplace, and the wizard generated from the connector's schemas.
        await page.getByRole('tab', { name: 'Catalogue' }).click();
        await page.getByRole('article', { name: 'Generic REST API' }).waitFor();
        await snapshot(page, 'integrations-catalogue');
        await page.getByRole('button', { name: 'Connect Generic REST API' }).click();
        const wizard = page.getByRole('dialog', { name: 'Connect Generic REST API' });
        await wizard.getByRole('textbox', exact('Name')).fill('Fixture API');
        await wizard.getByRole('textbox', { name: 'Base URL' }).fill(api.baseUrl);
        await snapshot(page, 'connect-settings');
        await wizard.getByRole('button', exact('Next')).click();
        const apiKey = wizard.getByLabel('API key or token');
        await apiKey.fill(REFUSED_KEY);
        await snapshot(page, 'connect-credentials');
        await wizard.getByRole('button', exact('Next')).click();
        await snapshot(page, 'connect-review');
        await wizard.getByRole('button', exact('Test & connect')).click();

        // Refused: the provider's own words inline, the key input marked, nothing stored.
        const refusal = wizard.getByTestId('connect-error');
        await refusal.waitFor();
        expect(await refusal.textContent()).toContain('invalid api key');
        expect(await apiKey.getAttribute('aria-invalid')).toBe('true');
        expect(api.authorizations).toContain(`Bearer ${REFUSED_KEY}`);
        await snapshot(page, 'connect-refused');

        await apiKey.fill(FIXTURE_KEY);
        await wizard.getByRole('button', exact('Test & connect')).click();
        const success = wizard.getByTestId('connect-success');
        await success.waitFor();
        expect(await success.textContent()).toContain(new URL(api.baseUrl).host);
        await snapshot(page, 'connect-success');
        await wizard.getByRole('button', exact('Done')).click();
        await wizard.waitFor({ state: 'hidden' });
        await page.getByRole('article', { name: 'Generic REST API' }).getByTestId('connected-badge').waitFor();

        // The list: connected, with the key masked to its last four characters and never shown whole.
        await page.getByRole('tab', { name: /Connected/ }).click();
        const row = page.getByRole('table', { name: 'Integrations' }).getByRole('row').filter({ hasText: 'Fixture API' });
        await row.waitFor();
        expect(await row.getByTestId('integration-status').getAttribute('data-status')).toBe('connected');
        expect(await row.getByTestId('credential-hint').textContent()).toContain(`••••${FIXTURE_KEY.slice(-4)}`);
        expect(await page.content()).not.toContain(FIXTURE_KEY);
        await snapshot(page, 'integrations-list');

        // Its page: run getJson from the generated form and see the output and the operation.
        await row.getByRole('link', { name: 'Fixture API' }).click();
        await page.getByRole('heading', { level: 1, name: 'Fixture API' }).waitFor();
        await page.getByRole('combobox', { name: 'Action' }).click();
        await page.getByRole('option', { name: /Get JSON/ }).click();
        await page.getByRole('textbox', { name: 'Path' }).fill('items');
        await page.getByRole('button', exact('Run')).click();
        const output = page.getByTestId('action-output-json');
        await output.waitFor();
        expect(await output.textContent()).toContain('"Widget"');
        const operations = page.getByRole('table', { name: 'Recent operations' });
        const getJsonCall = operations.getByRole('row').filter({ hasText: 'action:getJson' });
        await getJsonCall.waitFor();
        expect(await getJsonCall.textContent()).toContain('200');
        await snapshot(page, 'integration-page');

        // Test re-checks with the provider now.
        const callsBeforeTest = api.authorizations.length;
        await page.getByRole('button', exact('Test')).click();
        await page.getByText('Fixture API works').waitFor();
        expect(api.authorizations.length).toBeGreaterThan(callsBeforeTest);

        // Disconnect, confirmed: back to an empty list.
        await page.getByRole('button', exact('Disconnect')).click();
        const confirm = page.getByRole('dialog', { name: 'Disconnect integration' });
        await snapshot(page, 'disconnect-confirm');
        await confirm.getByRole('button', exact('Disconnect')).click();
        await page.getByTestId('integrations-empty').waitFor();
        expect(new URL(page.url()).pathname).toBe('/integrations');
      },
      90_000,
    );
  });

  describe('an OAuth 2.0 connector against a local OAuth server', () => {
    // A connector pointing at a local server can only be added in-process (extraConnectors), so this hub
    // runs inside the test worker rather than as a child process.
    let testHub: TestHub | undefined;
    let provider: LocalOAuthProvider | undefined;
    const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => testHub?.logs.join('') ?? '' };

    beforeAll(async () => {
      await buildDashboardIfStale();
      provider = await startLocalOAuthProvider();
      testHub = await startTestHub(pgliteBackend, {
        env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' },
        extraConnectors: [provider.codeConnector()],
      });
      suite.hubUrl = testHub.hub.url ?? undefined;
      suite.browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await suite.browser?.close();
      await testHub?.stop();
      await provider?.close();
    }, 60_000);

    browserTest(
      suite,
      'connects through the provider consent and comes back connected',
      async (page, hubUrl) => {
        await signIn(page, hubUrl, TEST_HUB_OWNER_EMAIL, TEST_HUB_OWNER_PASSWORD);
        await page.getByRole('heading', { name: 'Syncs & Jobs' }).waitFor();
        await page.goto(`${hubUrl}/integrations/catalog`);
        await page.getByRole('button', { name: 'Connect Local OAuth' }).click();
        const wizard = page.getByRole('dialog', { name: 'Connect Local OAuth' });
        await wizard.getByRole('textbox', exact('Name')).fill('Local account');
        await wizard.getByRole('button', exact('Next')).click();

        // No OAuth app yet: the wizard asks for one and names the redirect URI to register.
        expect(await wizard.getByTestId('oauth-redirect-uri').textContent()).toBe(`${hubUrl}/api/v1/oauth/callback`);
        await wizard.getByRole('textbox', { name: 'Client ID' }).fill('switchboard-browser-client');
        await wizard.getByLabel('Client secret').fill('browser-client-secret-5e21');
        await snapshot(page, 'oauth-app');
        await wizard.getByRole('button', exact('Save app & continue')).click();

        await wizard.getByTestId('oauth-scopes').getByText('api:read').waitFor();
        await snapshot(page, 'oauth-authorize');
        await wizard.getByRole('button', exact('Connect with Local OAuth')).click();

        // The provider consents at once and sends the browser back through the hub's callback.
        const success = page.getByTestId('connect-success');
        await success.waitFor();
        expect(await success.textContent()).toContain('John Doe');
        expect(new URL(page.url()).search).toBe('');
        await snapshot(page, 'oauth-connected');
        const exchange = provider!.tokenRequests.find((request) => request.grantType === 'authorization_code');
        expect(exchange?.codeVerifier).toBeTruthy();

        await page.getByRole('button', exact('Open integration')).click();
        await page.getByRole('heading', { level: 1, name: 'Local account' }).waitFor();
        expect(await page.getByTestId('integration-status').first().getAttribute('data-status')).toBe('connected');
        await page.getByRole('button', exact('Run')).click();
        expect(await page.getByTestId('action-output-json').textContent()).toContain('johndoe');
      },
      90_000,
    );

    browserTest(
      suite,
      'manages the workspace OAuth apps in Settings: the redirect URI, edit keeping the secret, remove',
      async (page, hubUrl) => {
        await signIn(page, hubUrl, TEST_HUB_OWNER_EMAIL, TEST_HUB_OWNER_PASSWORD);
        await page.getByRole('heading', { name: 'Syncs & Jobs' }).waitFor();
        await page.goto(`${hubUrl}/settings/oauth-apps`);
        expect(await page.getByTestId('oauth-apps-redirect-uri').textContent()).toBe(`${hubUrl}/api/v1/oauth/callback`);
        // The app saved by the connect wizard, its secret masked.
        const row = page.getByTestId('oauth-app-local-oauth');
        await row.getByText('switchboard-browser-client').waitFor();
        expect(await row.textContent()).toContain('••••5e21');
        expect(await row.textContent()).not.toContain('browser-client-secret');

        await row.getByRole('button', { name: 'Edit the Local OAuth app' }).click();
        const dialog = page.getByRole('dialog', { name: 'Local OAuth OAuth app' });
        await dialog.getByRole('textbox', exact('Client ID')).fill('renamed-client');
        await dialog.getByRole('button', exact('Save app')).click();
        await dialog.waitFor({ state: 'hidden' });
        await row.getByText('renamed-client').waitFor();
        // The secret field was left empty: the stored secret was kept.
        const apps = await testHub!.inject({ method: 'GET', url: '/api/v1/oauth-apps', headers: testHub!.auth });
        expect(apps.json().items).toEqual([expect.objectContaining({ connectorId: 'local-oauth', clientId: 'renamed-client', clientSecret: '••••5e21' })]);

        await row.getByRole('button', { name: 'Remove the Local OAuth app' }).click();
        await page.getByRole('dialog', { name: 'Remove OAuth app' }).getByRole('button', exact('Remove app')).click();
        await row.getByText('not set up').waitFor();
        expect((await testHub!.inject({ method: 'GET', url: '/api/v1/oauth-apps', headers: testHub!.auth })).json().items).toEqual([]);
      },
      90_000,
    );
  });
});
