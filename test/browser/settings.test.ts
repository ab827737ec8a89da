// End to end in Debian's Chromium against a real hub process: sign-in, API key create/use/revoke, audit log.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboardIsStale } from '../../scripts/build-web-if-stale.ts';
import { REPO_ROOT, startHubProcess, type HubProcess } from '../support/hub-process.ts';

const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
// Each Playwright step fails on its own well before the test's timeout, so a failure names the step
// that hung and the page is still open for the failure screenshot.
const STEP_TIMEOUT_MS = 15_000;

// The one reason to skip: no browser on this machine (a developer without Debian's chromium package).
// CI installs it, so there the suite always runs; a missing hub or build is a failure, never a skip.
const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing) {
  console.warn(`Browser suite skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SWITCHBOARD_CHROMIUM_PATH).`);
}

describe.skipIf(chromiumMissing)(`dashboard in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // The hub serves web/dist as it was when the hub started, so the build must come first. Vitest sets
    // NODE_ENV=test, which would make Vite bundle React's development build; this build may outlive the test.
    if (dashboardIsStale()) {
      execSync('npm run build --silent', { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    }
    hub = await startHubProcess({
      env: { SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL, SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  }, 60_000);

  /** A test with its own browser context (own cookies); on failure the page is saved to test-artifacts/. */
  function browserTest(name: string, body: (page: Page, hubUrl: string) => Promise<void>, timeout = 60_000) {
    test(
      name,
      async ({ onTestFailed }) => {
        if (!browser || !hub) throw new Error('the browser or the hub did not start (see beforeAll)');
        // Contexts stay open until afterAll: failure handlers run after the test body and need the page.
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT_MS);
        onTestFailed(async () => {
          mkdirSync(ARTIFACTS_DIR, { recursive: true });
          const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`);
          await page.screenshot({ path: file, fullPage: true }).catch((error: unknown) => console.error('screenshot failed:', error));
          console.error(`Screenshot of the failed page: ${file}\nHub output:\n${hub?.output() ?? ''}`);
        });
        await body(page, hub.url);
      },
      timeout,
    );
  }

  async function signIn(page: Page, hubUrl: string, password: string) {
    await page.goto(`${hubUrl}/`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(OWNER_EMAIL);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function currentWorkspaceStatus(hubUrl: string, key: string): Promise<number> {
    const response = await fetch(`${hubUrl}/api/v1/workspaces/current`, { headers: { authorization: `Bearer ${key}` } });
    await response.body?.cancel();
    return response.status;
  }

  browserTest('creates an API key that works, revokes it, and finds both in the audit log', async (page, hubUrl) => {
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

  browserTest('shows an error on the sign-in page for a wrong password', async (page, hubUrl) => {
    await signIn(page, hubUrl, 'not-the-owner-password');
    const error = page.getByTestId('error-alert');
    await error.waitFor();
    expect((await error.textContent())?.trim()).toMatch(/password/i);
    // Still signed out: the form is there and the dashboard is not.
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
  });
});
