// End to end in Debian's Chromium: define a custom REST connector in the builder against a local fixture API
// ("try it" first), connect it through the usual wizard, run one of its actions from the integration's page, and
// start a run from the run history.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { browserTest, buildDashboardIfStale, CHROMIUM_PATH, chromiumMissing, launchChromium, signIn, snapshot, type BrowserSuite } from '../support/browser.ts';
import { startHubProcess, type HubProcess } from '../support/hub-process.ts';
import { startRestFixture, type RestFixture } from '../support/rest-fixture.ts';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
const exact = (name: string) => ({ name, exact: true });

const definition = {
  kind: 'rest',
  slug: 'inventory',
  title: 'Inventory API',
  description: 'Our warehouse inventory',
  baseUrl: '{{config.baseUrl}}',
  config: { type: 'object', properties: { baseUrl: { type: 'string' } }, required: ['baseUrl'] },
  auth: { kind: 'bearer', label: 'Access token' },
  check: { request: { path: '/me' }, accountName: 'user.login' },
  actions: [
    { name: 'getItem', title: 'Get an item', description: 'One item by id', input: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, request: { path: '/items/{{input.id}}' }, output: { path: 'item' } },
    { name: 'listItems', title: 'List items', description: 'Every item', request: { path: '/items' }, paginate: { kind: 'page', pageParam: 'page', pageSizeParam: 'per_page', itemsPath: 'data', pageSize: 2 } },
  ],
  defaultAction: 'listItems',
};

describe.skipIf(chromiumMissing)(`custom connectors in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  let fixture: RestFixture | undefined;
  const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => hub?.output() ?? '' };

  beforeAll(async () => {
    await buildDashboardIfStale();
    fixture = await startRestFixture();
    hub = await startHubProcess({
      env: { SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL, SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD, SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' },
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
    'defines a REST connector, tries it, connects it and runs an action from the dashboard',
    async (page, hubUrl) => {
      const api = fixture!;
      await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Integrations' }).click();
      await page.getByRole('tab', { name: 'Custom connectors' }).click();
      await page.getByTestId('custom-connectors-empty').waitFor();
      await page.getByRole('button', exact('New connector')).click();
      const builder = page.getByRole('region', { name: 'Connector builder' });

      // A broken edit is caught as JSON before the hub sees it; the hub names the field it refuses.
      const editor = builder.getByRole('textbox', { name: 'Definition (JSON)' });
      await editor.fill('{ "kind": "rest", ');
      await builder.getByText(/JSON/).first().waitFor();
      expect(await builder.getByRole('button', exact('Save connector')).isDisabled()).toBe(true);
      await editor.fill(JSON.stringify({ ...definition, actions: [{ ...definition.actions[0], request: { path: '/items/{{input.nope}}' } }] }, null, 2));
      await builder.getByRole('button', exact('Save connector')).click();
      const refusal = builder.getByTestId('error-alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('has no property "nope"');

      await editor.fill(JSON.stringify(definition, null, 2));
      expect(await builder.getByRole('textbox', exact('Title')).inputValue()).toBe('Inventory API');

      // Try it: the check and one action against the fixture, nothing stored.
      const tryIt = builder.getByRole('region', { name: 'Try it' });
      await tryIt.getByRole('textbox', { name: 'Settings (JSON)' }).fill(JSON.stringify({ baseUrl: api.baseUrl }));
      await tryIt.getByRole('textbox', { name: 'Credentials (JSON)' }).fill(JSON.stringify({ token: api.token }));
      await tryIt.getByRole('combobox', { name: 'Action to run' }).click();
      await page.getByRole('option', exact('getItem')).click();
      await tryIt.getByRole('textbox', { name: 'Action input (JSON)' }).fill('{"id":"item-2"}');
      await tryIt.getByRole('button', exact('Try it')).click();
      await tryIt.getByTestId('try-check').filter({ hasText: 'ada' }).waitFor();
      expect(await tryIt.getByTestId('try-output').textContent()).toContain('Item 2');
      await snapshot(page, 'custom-connector-try');

      await builder.getByRole('button', exact('Save connector')).click();
      const row = page.getByRole('table', { name: 'Custom connectors' }).getByRole('row').filter({ hasText: 'custom-inventory' });
      await row.waitFor();
      expect(await row.textContent()).toContain('v1');

      // Connect it through the same wizard as a built-in connector.
      await row.getByRole('button', exact('Connect')).click();
      const wizard = page.getByRole('dialog', { name: 'Connect Inventory API' });
      await wizard.getByRole('textbox', exact('Name')).fill('Warehouse');
      await wizard.getByRole('textbox', { name: 'Base URL' }).fill(api.baseUrl);
      await wizard.getByRole('button', exact('Next')).click();
      await wizard.getByLabel('Access token').fill(api.token);
      await wizard.getByRole('button', exact('Next')).click();
      await wizard.getByRole('button', exact('Test & connect')).click();
      await wizard.getByTestId('connect-success').waitFor();
      await wizard.getByRole('button', exact('Done')).click();
      await wizard.waitFor({ state: 'hidden' });

      // Its page: run getItem from the form generated from the definition's input schema.
      await page.getByRole('tab', { name: /Connected/ }).click();
      const integrationRow = page.getByRole('table', { name: 'Integrations' }).getByRole('row').filter({ hasText: 'Warehouse' });
      await integrationRow.getByRole('link', { name: 'Warehouse' }).click();
      await page.getByRole('heading', { level: 1, name: 'Warehouse' }).waitFor();
      await page.getByRole('combobox', { name: 'Action' }).click();
      await page.getByRole('option', { name: /Get an item/ }).click();
      await page.getByRole('textbox', { name: 'Id' }).fill('item-3');
      await page.getByRole('button', exact('Run')).click();
      const output = page.getByTestId('action-output-json');
      await output.waitFor();
      expect(await output.textContent()).toContain('Item 3');
      expect(api.requests.some((r) => r.path === '/v1/items/item-3' && r.headers.authorization === `Bearer ${api.token}`)).toBe(true);

      // The run history: the default action (listItems) as a background run.
      await page.getByRole('button', exact('Run now')).click();
      const run = page.getByRole('table', { name: 'Runs' }).getByTestId('run-row').first();
      await page.getByRole('table', { name: 'Runs' }).locator('[data-status="succeeded"]').first().waitFor();
      expect(await run.textContent()).toContain('listItems');
      expect(await run.getByTestId('run-output').textContent()).toContain('item-5');
      expect(await page.content()).not.toContain(api.token);
      await snapshot(page, 'custom-connector-runs');
    },
    120_000,
  );
});
