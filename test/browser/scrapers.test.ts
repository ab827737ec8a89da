// The Scrapers page end to end in Debian's Chromium against a real hub process and a local fixture site:
// start a crawl and watch it finish live, cancel another, browse the results, search them, see health.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboardIsStale } from '../../scripts/build-web-if-stale.ts';
import { startFixtureSite, type FixtureSite } from '../support/fixture-site/index.ts';
import { REPO_ROOT, startHubProcess, type HubProcess } from '../support/hub-process.ts';

const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
const STEP_TIMEOUT_MS = 20_000;

const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing) console.warn(`Scrapers browser suite skipped: no Chromium at ${CHROMIUM_PATH}.`);

describe.skipIf(chromiumMissing)(`Scrapers page in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;
  let site: FixtureSite | undefined;
  let slowSite: FixtureSite | undefined;

  beforeAll(async () => {
    if (dashboardIsStale()) {
      execSync('npm run build --silent', { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    }
    site = await startFixtureSite({ pages: 10, special: true });
    slowSite = await startFixtureSite({ pages: 2, slowMs: 120_000 });
    hub = await startHubProcess({
      env: { SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL, SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD, SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await site?.close();
    await slowSite?.close();
  }, 60_000);

  async function openScrapers(): Promise<Page> {
    if (!browser || !hub) throw new Error('the browser or the hub did not start (see beforeAll)');
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${hub.url}/`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(OWNER_EMAIL);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Scrapers' }).click();
    await page.getByRole('heading', { name: 'Scrapers' }).waitFor();
    return page;
  }

  async function startScrape(page: Page, url: string, maxDepth: number) {
    const form = page.getByRole('form', { name: 'Start a scrape' });
    await form.getByRole('textbox', { name: 'URL' }).fill(url);
    await form.getByRole('textbox', { name: 'Max depth' }).fill(String(maxDepth));
    await form.getByRole('button', { name: 'Start scrape' }).click();
  }

  test('starts a crawl, watches it finish, cancels another, browses and searches the results', async ({ onTestFailed }) => {
    const page = await openScrapers();
    onTestFailed(async () => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const file = path.join(ARTIFACTS_DIR, 'scrapers-page.png');
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`Screenshot of the failed page: ${file}\nHub output:\n${hub?.output() ?? ''}`);
    });

    // A crawl of the fixture site, followed live (SSE) to its end.
    await startScrape(page, `${site!.url}/`, 2);
    const crawlRow = page.getByTestId('scrape-row').filter({ hasText: `${site!.url}/` }).first();
    await crawlRow.getByTestId('scrape-status').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await expect(crawlRow.getByTestId('scrape-progress').textContent()).resolves.toMatch(/100%/);

    // A crawl stuck on a slow page, cancelled from its row.
    await startScrape(page, `${slowSite!.url}/special/slow`, 0);
    const slowRow = page.getByTestId('scrape-row').filter({ hasText: '/special/slow' }).first();
    await slowRow.getByTestId('scrape-status').filter({ hasText: 'running' }).waitFor();
    await slowRow.getByRole('button', { name: /^Cancel the scrape of/ }).click();
    await slowRow.getByTestId('scrape-status').filter({ hasText: 'cancelled' }).waitFor();

    // The finished crawl's results: a page rendered from its Markdown, with its table, and the products.
    await crawlRow.getByRole('link', { name: `${site!.url}/` }).click();
    await page.getByRole('heading', { name: `Scrape of ${site!.url}/` }).waitFor();
    const article = page.getByTestId('scraped-page').filter({ hasText: /Article 1\b/ }).first();
    await article.getByRole('button').first().click();
    await article.getByTestId('markdown').getByRole('columnheader', { name: 'Sample' }).waitFor();
    await page.getByRole('tab', { name: /^Products/ }).click();
    await page.getByRole('table', { name: 'Products' }).getByRole('cell', { name: 'Willow Basket' }).waitFor();

    // Search over what was collected.
    await page.getByRole('link', { name: 'All scrapes' }).click();
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByRole('form', { name: 'Search scraped content' }).getByRole('textbox', { name: 'Search' }).fill('Willow Basket');
    await page.getByRole('form', { name: 'Search scraped content' }).getByRole('button', { name: 'Search' }).click();
    await expect(page.getByTestId('search-hit').first().textContent()).resolves.toContain('Willow Basket');

    // Health per engine and per site.
    await page.getByRole('tab', { name: 'Health' }).click();
    await page.getByRole('table', { name: 'Scraper health per engine' }).getByRole('cell', { name: 'http', exact: true }).waitFor();
  }, 120_000);
});
