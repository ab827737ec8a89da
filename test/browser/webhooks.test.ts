// End to end in Debian's Chromium against a hub process: add an endpoint for a local receiver, send a test
// event and find it delivered (signed with the secret shown once) in the event log; then a failing receiver
// shows its retries, and a replay from the event's drawer succeeds once the receiver recovers; pause and
// resume (events wait meanwhile), secret rotation (both signatures verify), endpoint health, the filtered log
// and its CSV/JSON export; a 410 disables an endpoint and re-enabling offers the replay of what failed.
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

  browserTest(
    suite,
    'pauses and resumes an endpoint, rotates its secret, shows its health, and filters and exports the log',
    async (page, hubUrl) => {
      const rx = await receiver({ status: 200, body: 'ok' });
      const url = `${rx.url}/operations`;
      await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      const oldSecret = await addEndpoint(page, url);
      const row = page.getByTestId('endpoint-row').filter({ hasText: url });
      const emit = async (type: string, payload: Record<string, unknown>) => {
        const response = await fetch(`${hubUrl}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type, payload }),
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { id: string }).id;
      };

      // Health: the test event's answer shows as the endpoint's 24-hour success rate and last status.
      await row.getByRole('button', { name: `Send a test event to ${url}` }).click();
      await page.getByTestId('test-result').waitFor();
      await page.getByRole('dialog', { name: 'Test event sent' }).getByRole('button', { name: 'Close' }).click();

      // Paused: events queue instead of going out; resumed: they go.
      await row.getByRole('button', { name: 'Pause' }).click();
      await row.getByTestId('endpoint-state').getByText('paused').waitFor();
      await row.getByTestId('endpoint-success-rate').getByText('100 %').waitFor();
      const queued = await emit('custom.browser_paused', { order: 'held-order-1' });
      const held = (await (await fetch(`${hubUrl}/api/v1/events/${queued}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as {
        deliveryList: { status: string; endpointUrl: string }[];
      };
      // Endpoints of the earlier tests subscribe to every event too; this one's delivery waits.
      expect(held.deliveryList.filter((d) => d.endpointUrl === url).map((d) => d.status)).toEqual(['held']);
      expect(rx.received.some((r) => r.headers['webhook-id'] === queued)).toBe(false);
      await row.getByRole('button', { name: 'Resume' }).click();
      await row.getByTestId('endpoint-state').getByText('enabled').waitFor();
      await expect.poll(() => rx.received.some((r) => r.headers['webhook-id'] === queued), { timeout: 30_000 }).toBe(true);
      const beforeResume = rx.received.filter((r) => r.headers['webhook-id'] === queued);
      expect(beforeResume).toHaveLength(1);
      await snapshot(page, 'webhooks-resumed');

      // Rotation: the new secret is shown once, and deliveries during the overlap verify with either secret.
      await row.getByRole('button', { name: `More actions for ${url}` }).click();
      await page.getByRole('menuitem', { name: 'Rotate signing secret' }).click();
      await page.getByRole('dialog', { name: 'Rotate signing secret' }).getByRole('button', { name: 'Rotate secret' }).click();
      const newSecret = ((await page.getByTestId('new-signing-secret').textContent()) ?? '').trim();
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(oldSecret);
      await page.getByRole('dialog', { name: 'Signing secret rotated' }).getByRole('button', { name: 'Done' }).click();
      const rotatedId = await emit('custom.browser_rotated', { order: 'rotated-order-2' });
      await expect.poll(() => rx.received.some((r) => r.headers['webhook-id'] === rotatedId), { timeout: 30_000 }).toBe(true);
      const rotated = rx.received.find((r) => r.headers['webhook-id'] === rotatedId)!;
      for (const secret of [oldSecret, newSecret]) expect(new Webhook(secret).verify(rotated.body, rotated.headers as Record<string, string>)).toMatchObject({ type: 'custom.browser_rotated' });

      // The log filtered by type, and the export of exactly what the filters show.
      await page.getByRole('tab', { name: 'Event log' }).click();
      await page.getByRole('textbox', { name: 'Event type' }).fill('custom.browser_paused');
      await page.getByTestId('event-row').filter({ hasText: 'custom.browser_paused' }).getByText('✅ delivered').waitFor();
      await expect.poll(() => page.getByTestId('event-row').count()).toBe(1);
      const href = await page.getByRole('link', { name: 'Export JSON' }).getAttribute('href');
      expect(href).toContain('type=custom.browser_paused');
      const exported = (await page.evaluate(async (link) => (await fetch(link!)).json(), href)) as { id: string; type: string; status: string }[];
      expect(exported.map((event) => [event.id, event.type, event.status])).toEqual([[queued, 'custom.browser_paused', 'delivered']]);
      const csvHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      const csv = await page.evaluate(async (link) => (await fetch(link!)).text(), csvHref);
      expect(csv.trim().split('\n')).toHaveLength(2);
      expect(csv).toContain('held-order-1');
      expect(csv).not.toContain('rotated-order-2');
      await snapshot(page, 'webhooks-filtered-log');
    },
    90_000,
  );

  browserTest(
    suite,
    'a receiver answering 410 disables its endpoint; re-enabling offers to replay what failed, and the replay delivers it',
    async (page, hubUrl) => {
      const rx = await receiver({ status: 410, body: 'gone for now' });
      const url = `${rx.url}/gone`;
      await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      await addEndpoint(page, url);
      const row = page.getByTestId('endpoint-row').filter({ hasText: url });
      await row.getByRole('button', { name: 'Pause' }).waitFor();
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${hubUrl}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return (await response.json()) as any;
      };
      const endpointId = (await api('GET', '/webhooks/endpoints')).items.find((e: { url: string }) => e.url === url).id as string;
      const first = (await api('POST', '/events', { type: 'custom.browser_gone', payload: { n: 1 } })).id as string;
      await expect.poll(async () => (await api('GET', `/webhooks/endpoints/${endpointId}`)).state, { timeout: 30_000 }).toBe('disabled');
      const later = (await api('POST', '/events', { type: 'custom.browser_gone', payload: { n: 2 } })).id as string;
      expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([first]);

      await page.reload();
      await row.getByTestId('endpoint-state').getByText('disabled').waitFor();
      rx.answer({ status: 200, body: 'back' });
      await row.getByRole('button', { name: 'Re-enable' }).click();
      const offer = page.getByTestId('replay-failed');
      // The 410, the endpoint's own endpoint.disabled event (it subscribes to everything) and the later event.
      await offer.getByText('3 deliveries failed').waitFor();
      await snapshot(page, 'webhooks-reenable-replay');
      await offer.getByRole('button', { name: 'Replay failed deliveries' }).click();
      await offer.waitFor({ state: 'detached' });
      await row.getByTestId('endpoint-state').getByText('enabled').waitFor();
      await expect.poll(() => rx.received.slice(1).filter((r) => [first, later].includes(String(r.headers['webhook-id']))).length, { timeout: 30_000 }).toBe(2);
      const replayedTypes = () => rx.received.slice(1).map((r) => JSON.parse(r.body).type as string).sort();
      await expect.poll(replayedTypes, { timeout: 30_000 }).toEqual(['custom.browser_gone', 'custom.browser_gone', 'endpoint.disabled']);
      for (const id of [first, later]) await expect.poll(async () => (await api('GET', `/events/${id}`)).status, { timeout: 30_000 }).toBe('delivered');
    },
    90_000,
  );
});
