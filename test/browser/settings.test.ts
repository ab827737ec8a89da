// End to end in Debian's Chromium against a real hub process: sign-in, API key create/use/revoke, audit log.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { browserTest, buildDashboardIfStale, CHROMIUM_PATH, chromiumMissing, launchChromium, signIn as signInAs, type BrowserSuite } from '../support/browser.ts';
import { startHubProcess, type HubProcess } from '../support/hub-process.ts';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';

describe.skipIf(chromiumMissing)(`dashboard in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => hub?.output() ?? '' };

  beforeAll(async () => {
    await buildDashboardIfStale();
    hub = await startHubProcess({
      env: { SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL, SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD },
    });
    suite.hubUrl = hub.url;
    suite.browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await suite.browser?.close();
    await hub?.stop();
  }, 60_000);

  const signIn = (page: Page, hubUrl: string, password: string) => signInAs(page, hubUrl, OWNER_EMAIL, password);

  async function currentWorkspaceStatus(hubUrl: string, key: string): Promise<number> {
    const response = await fetch(`${hubUrl}/api/v1/workspaces/current`, { headers: { authorization: `Bearer ${key}` } });
    await response.body?.cancel();
    return response.status;
  }

  browserTest(suite, 'creates an API key that works, revokes it, and finds both in the audit log', async (page, hubUrl) => {
    await signIn(page, hubUrl, OWNER_PASSWORD);
    await page.getByRole('heading', { name: 'Syncs & Jobs' }).waitFor();

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Create API key' });
    await createDialog.getByRole('textbox', { name: 'Name', exact: true }).fill('ci-key');
    await createDialog.getByRole('button', { name: 'Create key' }).click();

    const keyText = page.getByTestId('new-api-key');
    await keyText.waitFor();
    const key = (await keyText.textContent())?.trim() ?? '';
    expect(key).toMatch(/^sb_\S+$/);
    expect(await currentWorkspaceStatus(hubUrl, key)).toBe(200);

    const revealDialog = page.getByRole('dialog', { name: 'API key created' });
    await revealDialog.getByRole('button', { name: 'Done' }).click();
    await revealDialog.waitFor({ state: 'hidden' });
    const keysTable = page.getByRole('table', { name: 'API keys' });
    const keyRow = keysTable.getByRole('row').filter({ hasText: 'ci-key' });
    await keyRow.waitFor();

    await keyRow.getByRole('button', { name: 'Revoke ci-key' }).click();
    await page.getByRole('dialog', { name: 'Revoke API key' }).getByRole('button', { name: 'Revoke key' }).click();
    await keyRow.getByText('revoked', { exact: true }).waitFor();
    expect(await currentWorkspaceStatus(hubUrl, key)).toBe(401);

    await page.getByRole('tab', { name: 'Audit log' }).click();
    const auditTable = page.getByRole('table', { name: 'Audit log' });
    await auditTable.getByText('api_key.created', { exact: true }).waitFor();
    await auditTable.getByText('api_key.revoked', { exact: true }).waitFor();
  });

  browserTest(suite, 'shows an error on the sign-in page for a wrong password', async (page, hubUrl) => {
    await signIn(page, hubUrl, 'not-the-owner-password');
    const error = page.getByTestId('error-alert');
    await error.waitFor();
    expect((await error.textContent())?.trim()).toMatch(/password/i);
    // Still signed out: the form is there and the dashboard is not.
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
  });
});
