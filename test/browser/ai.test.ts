// The AI page in Debian's Chromium against a real hub process and fake GLM and OpenAI upstreams: drag
// OpenAI ahead of GLM in the default chain, map it to another model with a weight, send a test prompt from
// the playground, and see the usage chart, a new daily budget's consumption and the provider health update.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dashboardIsStale } from '../../scripts/build-web-if-stale.ts';
import { startFakeUpstream, type FakeUpstream } from '../../src/ai/testing/fake-upstreams.ts';
import { REPO_ROOT, startHubProcess, type HubProcess } from '../support/hub-process.ts';

const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
const API_KEY = 'sb_browser_ai_suite_key_0123456789abcdef';
const STEP_TIMEOUT_MS = 15_000;

const chromiumMissing = !existsSync(CHROMIUM_PATH);
if (chromiumMissing) console.warn(`AI browser suite skipped: no Chromium at ${CHROMIUM_PATH}.`);

describe.skipIf(chromiumMissing)(`AI page in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;
  const fakes: FakeUpstream[] = [];

  beforeAll(async () => {
    if (dashboardIsStale()) {
      execSync('npm run build --silent', { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    }
    const glm = await startFakeUpstream('glm');
    const openai = await startFakeUpstream('openai');
    fakes.push(glm, openai);
    hub = await startHubProcess({
      env: {
        SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL,
        SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD,
        SWITCHBOARD_BOOTSTRAP_API_KEY: API_KEY,
        SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      },
    });
    for (const fake of [glm, openai]) {
      const response = await fetch(`${hub.url}/api/v1/integrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ connectorId: fake.dialect, name: `${fake.dialect} (fake)`, config: { baseUrl: fake.baseUrl }, credentials: { apiKey: fake.apiKey } }),
      });
      if (response.status !== 201) throw new Error(`connecting ${fake.dialect}: ${response.status} ${await response.text()}`);
      fake.reset();
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await Promise.all(fakes.map((fake) => fake.close()));
  }, 60_000);

  function browserTest(name: string, body: (page: Page, hubUrl: string) => Promise<void>, timeout = 90_000) {
    test(
      name,
      async ({ onTestFailed }) => {
        if (!browser || !hub) throw new Error('the browser or the hub did not start (see beforeAll)');
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

  browserTest('reorders the chain by dragging, answers a test prompt through the new first provider, and charts its usage', async (page, hubUrl) => {
    await page.goto(`${hubUrl}/`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(OWNER_EMAIL);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'AI' }).click();
    await page.getByRole('heading', { name: 'AI', exact: true }).waitFor();

    // Usage is empty before anything was sent.
    await page.getByRole('tab', { name: 'Usage & cost' }).click();
    await page.getByText('No usage in this range yet.').waitFor();

    // The built-in default chain starts with GLM; drag OpenAI onto it to put OpenAI first, then save.
    await page.getByRole('tab', { name: 'Routes' }).click();
    const chain = page.getByRole('list', { name: 'Fallback chain' });
    await chain.getByRole('listitem').first().getByText('GLM').waitFor();
    await page.getByTestId('chain-item-openai').dragTo(page.getByTestId('chain-item-glm'));
    await expect.poll(async () => chain.getByRole('listitem').first().getAttribute('aria-label')).toBe('1. OpenAI');
    // Map OpenAI's target to another model and give it a weight.
    await page.getByRole('textbox', { name: 'Model of openai' }).fill('gpt-4.1-mini');
    await page.getByRole('textbox', { name: 'Weight of openai' }).fill('3');
    await page.getByRole('button', { name: 'Save route' }).click();
    await page.getByText(/Saved the route default: openai → glm/).waitFor();
    const routes = (await (await fetch(`${hubUrl}/api/v1/ai/routes`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as { items: { name: string; targets: unknown[] }[] };
    const saved = routes.items.find((route) => route.name === 'default');
    expect(saved?.targets.slice(0, 2)).toEqual([
      { provider: 'openai', model: 'gpt-4.1-mini', weight: 3 },
      { provider: 'glm', model: 'glm-4-flash' },
    ]);

    // A test prompt from the playground goes to OpenAI now.
    await page.getByRole('tab', { name: 'Playground' }).click();
    await page.getByRole('textbox', { name: 'Prompt' }).fill('Say hello to the dashboard.');
    await page.getByRole('button', { name: 'Send prompt' }).click();
    await expect.poll(async () => page.getByTestId('playground-answer').textContent()).toBe('Hello from openai');
    expect(await page.getByTestId('playground-meta').textContent()).toContain('Answered by openai · gpt-4.1-mini');
    expect(fakes[1]!.calls.map((call) => call.body?.messages?.at(-1)?.content)).toContain('Say hello to the dashboard.');
    expect(fakes[1]!.calls.at(-1)!.body.model).toBe('gpt-4.1-mini');
    expect(fakes[0]!.calls).toHaveLength(0);

    // The usage chart now has a bar for OpenAI, and the ledger table the attempt.
    await page.getByRole('tab', { name: 'Usage & cost' }).click();
    const chart = page.getByRole('img', { name: 'Usage chart' });
    await chart.waitFor();
    await page.getByTestId('usage-bar-openai').waitFor();
    expect(await page.getByTestId('usage-bar-openai').getAttribute('aria-label')).toBe('openai: 1');
    await page.getByRole('table', { name: 'Recent AI attempts' }).getByText('gpt-4.1-mini').waitFor();

    // A daily token budget set now counts what today already used: the prompt's 12 + 5 tokens.
    await page.getByRole('tab', { name: 'Quotas' }).click();
    await page.getByRole('textbox', { name: 'Tokens per day' }).fill('100000');
    await page.getByRole('button', { name: 'Save quotas' }).click();
    await page.getByText('Saved the AI quotas.').waitFor();
    await page.getByText('17 of 100,000', { exact: true }).waitFor();

    // Provider health counts the call.
    await page.getByRole('tab', { name: 'Providers' }).click();
    const openaiRow = page.getByRole('table', { name: 'AI providers' }).getByRole('row').filter({ hasText: 'OpenAI' });
    await openaiRow.getByText('healthy').waitFor();
  });
});
