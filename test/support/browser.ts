// Shared pieces of the browser suites: Debian's Chromium through playwright-core, a fresh dashboard build,
// one browser context per test with a screenshot when it fails, and signing in.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import lockfile from 'proper-lockfile';
import { test } from 'vitest';
import { dashboardIsStale } from '../../scripts/build-web-if-stale.ts';
import { REPO_ROOT } from './hub-process.ts';

export const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
// Each Playwright step fails on its own well before the test's timeout, so a failure names the step
// that hung and the page is still open for the failure screenshot.
export const STEP_TIMEOUT_MS = 15_000;

// The one reason to skip: no browser on this machine (a developer without Debian's chromium package).
// CI installs it, so there the suites always run; a missing hub or build is a failure, never a skip.
export const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing) {
  console.warn(`Browser suites skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SWITCHBOARD_CHROMIUM_PATH).`);
}

/**
 * The hub serves web/dist as it was when the hub started, so the build must come first. Vitest sets
 * NODE_ENV=test, which would make Vite bundle React's development build; this build may outlive the test.
 * Browser suites run in parallel workers: a lock keeps a second build from emptying web/dist under the
 * first suite's hub, and the staleness is asked again once the lock is held.
 */
export async function buildDashboardIfStale(): Promise<void> {
  if (!dashboardIsStale()) return;
  const release = await lockfile.lock(path.join(REPO_ROOT, 'web', 'index.html'), {
    lockfilePath: path.join(os.tmpdir(), 'switchboard-dashboard-build.lock'),
    retries: { retries: 240, minTimeout: 250, maxTimeout: 500 },
    stale: 120_000,
  });
  try {
    if (dashboardIsStale()) {
      execSync('npm run build --silent', { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    }
  } finally {
    await release();
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** What a suite's beforeAll started; read when each test runs. */
export interface BrowserSuite {
  browser: Browser | undefined;
  hubUrl: string | undefined;
  /** The hub's output so far, printed with a failure. */
  hubOutput?: () => string;
}

/** A test with its own browser context (own cookies); on failure the page is saved to test-artifacts/. */
export function browserTest(suite: BrowserSuite, name: string, body: (page: Page, hubUrl: string) => Promise<void>, timeout = 60_000): void {
  test(
    name,
    async ({ onTestFailed }) => {
      const { browser, hubUrl } = suite;
      if (!browser || !hubUrl) throw new Error('the browser or the hub did not start (see beforeAll)');
      // Contexts stay open until the browser closes: failure handlers run after the test body and need the page.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      onTestFailed(async () => {
        mkdirSync(ARTIFACTS_DIR, { recursive: true });
        const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch((error: unknown) => console.error('screenshot failed:', error));
        console.error(`Screenshot of the failed page: ${file}\nHub output:\n${suite.hubOutput?.() ?? ''}`);
      });
      await body(page, hubUrl);
    },
    timeout,
  );
}

export async function signIn(page: Page, hubUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${hubUrl}/`);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * With SWITCHBOARD_SCREENSHOTS=1, saves the page as test-artifacts/screens/<name>.png: for looking at
 * what a suite walked through (layout reviews), at no cost otherwise.
 */
export async function snapshot(page: Page, name: string): Promise<void> {
  if (!process.env.SWITCHBOARD_SCREENSHOTS) return;
  const dir = path.join(ARTIFACTS_DIR, 'screens');
  mkdirSync(dir, { recursive: true });
  // Let transitions (modals, notifications) settle so the picture shows the state, not the animation.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
