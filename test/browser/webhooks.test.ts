// End to end in Debian's Chromium against a hub process: add an endpoint for a local receiver, send a test
// event and find it delivered (signed with the secret shown once) in the event log; then a failing receiver
// shows its retries, and a replay from the event's drawer succeeds once the receiver recovers.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startReceiver, type Receiver } from '../../src/webhooks/test-support.ts';
import { browserTest, buildDashboardIfStale, CHROMIUM_PATH, chromiumMissing, launchChromium, signIn, snapshot, type BrowserSuite } from '../support/browser.ts';
import { startHubProcess, type HubProcess } from '../support/hub-process.ts';

const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'browser-suite-owner-password';
const API_KEY = 'sb_browser_webhooks_key_0123456789abcdef';

describe.skipIf(chromiumMissing)(`webhooks dashboard in Chromium (${CHROMIUM_PATH})`, () => {
  let hub: HubProcess | undefined;
  const receivers: Receiver[] = [];
  const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => hub?.output() ?? '' };

  beforeAll(async () => {
    await buildDashboardIfStale();
    hub = await startHubProcess({
      env: {
        SWITCHBOARD_ADMIN_EMAIL: OWNER_EMAIL,
        SWITCHBOARD_ADMIN_PASSWORD: OWNER_PASSWORD,
        SWITCHBOARD_BOOTSTRAP_API_KEY: API_KEY,
        // The receivers listen on loopback, which the SSRF guard refuses unless allowed.
        SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
      },
    });
    suite.hubUrl = hub.url;
    suite.browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await suite.browser?.close();
    await hub?.stop();
    for (const receiver of receivers) await receiver.close();
  }, 60_000);

  async function receiver(reply: Parameters<typeof startReceiver>[0]) {
    const started = await startReceiver(reply);
    receivers.push(started);
    return started;
  }

  async function addEndpoint(page: import('playwright-core').Page, url: string, options: { schedule?: string } = {}) {
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await dialog.getByRole('textbox', { name: 'URL' }).fill(url);
    if (options.schedule) await dialog.getByRole('textbox', { name: 'Retry schedule (seconds)' }).fill(options.schedule);
    await snapshot(page, 'webhooks-add-endpoint');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = ((await page.getByTestId('new-signing-secret').textContent()) ?? '').trim();
    await page.getByRole('dialog', { name: 'Endpoint added' }).getByRole('button', { name: 'Done' }).click();
    return secret;
  }

  browserTest(suite, 'adds an endpoint, sends a test event and sees it delivered in the event log', async (page, hubUrl) => {
    const rx = await receiver({ status: 200, body: 'ok from the receiver' });
    await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByTestId('endpoints-empty').waitFor();

    const secret = await addEndpoint(page, `${rx.url}/switchboard`);
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByTestId('endpoint-row').filter({ hasText: `${rx.url}/switchboard` });
    await row.waitFor();
    await snapshot(page, 'webhooks-endpoints');

    await row.getByRole('button', { name: `Send a test event to ${rx.url}/switchboard` }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect((await page.getByTestId('test-status').textContent())?.trim()).toBe('200');
    expect((await page.getByTestId('test-body').textContent())?.trim()).toBe('ok from the receiver');
    await snapshot(page, 'webhooks-test-result');
    // What arrived verifies with the secret the dashboard showed once.
    const arrived = rx.received[0]!;
    expect(new Webhook(secret).verify(arrived.body, arrived.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
    await page.getByRole('dialog', { name: 'Test event sent' }).getByRole('button', { name: 'Close' }).click();

    await page.getByRole('tab', { name: 'Event log' }).click();
    const eventRow = page.getByTestId('event-row').filter({ hasText: 'webhook.test' });
    await eventRow.getByText('✅ delivered').waitFor();
    await eventRow.click();
    const detail = page.getByTestId('event-detail');
    await detail.getByTestId('delivery').first().waitFor();
    expect(await detail.getByTestId('delivery').first().getAttribute('data-status')).toBe('succeeded');
    expect(await detail.getByTestId('attempt').first().getAttribute('data-status')).toBe('200');
    await page.getByTestId('webhook-stats-succeeded').getByText('✅ 1 successful').waitFor();
    await snapshot(page, 'webhooks-event-detail');
  });

  browserTest(
    suite,
    'shows the retries of a failing receiver, and a replay succeeds once it recovers',
    async (page, hubUrl) => {
      const rx = await receiver({ status: 500, body: 'receiver is broken' });
      await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      // One retry a second after the first attempt, so the delivery gives up quickly.
      await addEndpoint(page, `${rx.url}/flaky`, { schedule: '1' });

      const emitted = await fetch(`${hubUrl}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'custom.browser_check', payload: { order: 7 } }),
      });
      expect(emitted.status).toBe(201);

      await page.getByRole('tab', { name: 'Event log' }).click();
      const eventRow = page.getByTestId('event-row').filter({ hasText: 'custom.browser_check' });
      await eventRow.getByText('❌ failed').waitFor({ timeout: 30_000 });
      await eventRow.click();
      const detail = page.getByTestId('event-detail');
      const delivery = detail.getByTestId('delivery').filter({ hasText: `${rx.url}/flaky` });
      await delivery.waitFor();
      expect(await delivery.getByTestId('attempt').count()).toBe(2);
      await delivery.getByTestId('attempt').first().click();
      await delivery.getByTestId('attempt-response').first().getByText('receiver is broken').waitFor();
      await snapshot(page, 'webhooks-retries');

      rx.answer({ status: 200, body: 'fixed' });
      await delivery.getByRole('button', { name: 'Replay' }).click();
      await delivery.locator('[data-testid="attempt"][data-status="200"]').waitFor({ timeout: 30_000 });
      await detail.getByTestId('delivery').filter({ hasText: `${rx.url}/flaky` }).and(page.locator('[data-status="succeeded"]')).waitFor();
      expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([rx.received[0]!.headers['webhook-id'], rx.received[0]!.headers['webhook-id'], rx.received[0]!.headers['webhook-id']]);
      await snapshot(page, 'webhooks-replayed');
    },
    90_000,
  );
});
