// End to end in Debian's Chromium: an integration of the sync tests' fixture connector (a local provider), its
// Syncs tab (schedule editor, pause, "Sync now" watched to completion, a dead-lettered run retried), the records
// browser (paging, search, change filter, a record's history, the stale banner) and a KPI chart on Analytics.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { connectFixture, fixtureConnector, startFixtureProvider, type FixtureProvider } from '../../src/syncs/test-support.ts';
import { browserTest, buildDashboardIfStale, CHROMIUM_PATH, chromiumMissing, launchChromium, signIn, snapshot, type BrowserSuite } from '../support/browser.ts';
import { pgliteBackend } from '../support/databases.ts';
import { OWNER_EMAIL, OWNER_PASSWORD, startTestHub, type TestHub } from '../support/test-hub.ts';

const exact = (name: string) => ({ name, exact: true });
// A run goes through the job queue on a shared, slow machine: wait for its end longer than one UI step.
const RUN_WAIT = { timeout: 90_000 };

describe.skipIf(chromiumMissing)(`syncs, records and KPIs in Chromium (${CHROMIUM_PATH})`, () => {
  // The fixture connector points at a local server, so it can only be added in-process (extraConnectors).
  let testHub: TestHub | undefined;
  let provider: FixtureProvider | undefined;
  const suite: BrowserSuite = { browser: undefined, hubUrl: undefined, hubOutput: () => testHub?.logs.join('') ?? '' };

  beforeAll(async () => {
    await buildDashboardIfStale();
    provider = await startFixtureProvider({ contacts: 30 });
    testHub = await startTestHub(pgliteBackend, {
      // No retries: a 503 dead-letters the run at once, so the dead-letter badge and Retry can be shown.
      env: { SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHBOARD_SYNC_RETRIES: '0' },
      extraConnectors: [fixtureConnector()],
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
    'edits a schedule, syncs now, browses records and their history, retries a dead run and charts a KPI',
    async (page, hubUrl) => {
      const t = testHub!;
      const api = provider!;
      // Connected with both syncs paused: nothing runs until the page says so.
      const integrationId = await connectFixture(t, api, t.auth, 'Fixture CRM account');
      const syncState = async (name: string) =>
        ((await t.inject({ method: 'GET', url: `/api/v1/integrations/${integrationId}/syncs`, headers: t.auth })).json().items as any[]).find((sync) => sync.name === name);

      await signIn(page, hubUrl, OWNER_EMAIL, OWNER_PASSWORD);
      await page.getByRole('heading', { name: 'Syncs & Jobs' }).waitFor();
      await page.goto(`${hubUrl}/integrations/${integrationId}`);
      await page.getByRole('heading', { level: 1, name: 'Fixture CRM account' }).waitFor();
      const panel = page.getByRole('region', { name: 'Syncs and records' });
      const contacts = panel.getByTestId('sync-contacts');
      await contacts.getByTestId('sync-status').and(page.locator('[data-status="never_run"]')).waitFor();
      expect(await contacts.textContent()).toContain('paused');

      // The schedule editor: a wrong frequency is refused with the hub's message; a good one is saved.
      const frequency = contacts.getByRole('textbox', { name: 'Frequency' });
      await frequency.fill('every banana');
      await contacts.getByRole('button', exact('Save schedule')).click();
      await contacts.getByText(/body\.frequency/).first().waitFor();
      await frequency.fill('every 2h');
      await contacts.getByRole('button', exact('Save schedule')).click();
      await contacts.getByText('In force: every 2h (override)').waitFor();
      expect((await syncState('contacts')).frequencyOverride).toBe('every 2h');
      // Resume scheduled runs (the next one is two hours away).
      const scheduled = contacts.getByRole('switch', { name: 'Scheduled runs' });
      expect(await scheduled.isChecked()).toBe(false);
      // The switch's input is visually hidden under its track (Playwright retargets a click on the label to it
      // and finds it invisible), so the click is dispatched to the input itself.
      await scheduled.dispatchEvent('click');
      await expect.poll(async () => (await syncState('contacts')).paused).toBe(false);
      await contacts.getByText('paused', { exact: true }).waitFor({ state: 'detached' });
      expect(await scheduled.isChecked()).toBe(true);

      // "Sync now", watched until it completes.
      await contacts.getByRole('button', exact('Sync now')).click();
      await contacts.locator('[data-testid="sync-status"][data-status="completed"]').waitFor(RUN_WAIT);
      expect(await contacts.getByTestId('sync-last-counts').textContent()).toContain('+30 added');
      expect(await contacts.getByTestId('sync-records-count').textContent()).toBe('30');
      // The integration's run history below the syncs shows the run.
      const runRow = panel.getByRole('table', { name: 'Sync runs' }).getByTestId('sync-run-row').first();
      expect(await runRow.textContent()).toContain('contacts');
      await snapshot(page, 'syncs-tab');

      // Records: 25 a page, then the cursor's next page; search.
      await panel.getByRole('tab', { name: 'Records' }).click();
      const records = panel.getByRole('table', { name: 'Records' });
      // The segmented control's radios are visually hidden; a person clicks their labels.
      const changeFilter = (label: string) => panel.locator('label').filter({ hasText: new RegExp(`^${label}$`) }).click();
      await records.getByTestId('record-row').nth(24).waitFor();
      expect(await records.getByTestId('record-row').count()).toBe(25);
      await panel.getByRole('button', exact('Load more')).click();
      await records.getByTestId('record-row').nth(29).waitFor();
      await panel.getByRole('textbox', { name: 'Search' }).fill('Contact 7');
      await records.getByTestId('record-row').filter({ hasText: 'c0007' }).waitFor();
      await expect.poll(() => records.getByTestId('record-row').count()).toBe(1);
      await panel.getByRole('textbox', { name: 'Search' }).fill('');

      // The provider changes one contact and drops another; a second run finds both.
      api.contacts[3] = { ...api.contacts[3]!, name: 'Renamed three' };
      api.contacts.pop();
      await panel.getByRole('tab', { name: 'Syncs' }).click();
      await contacts.getByRole('button', exact('Sync now')).click();
      await contacts.getByTestId('sync-last-counts').filter({ hasText: '1 updated · 1 deleted' }).waitFor(RUN_WAIT);

      await panel.getByRole('tab', { name: 'Records' }).click();
      await changeFilter('Updated');
      await records.getByTestId('record-row').filter({ hasText: 'c0003' }).waitFor();
      await expect.poll(() => records.getByTestId('record-row').count()).toBe(1);
      await records.getByRole('button', { name: 'History of c0003' }).click();
      const history = page.getByTestId('record-history');
      await history.getByTestId('record-change').nth(1).waitFor();
      expect(await history.getByTestId('record-change').allTextContents()).toEqual([expect.stringMatching(/^updated/), expect.stringMatching(/^added/)]);
      expect(await history.getByTestId('record-data').textContent()).toContain('Renamed three');
      await snapshot(page, 'record-history');
      await page.keyboard.press('Escape');
      await history.waitFor({ state: 'hidden' });
      await changeFilter('Deleted');
      await records.getByTestId('record-row').filter({ hasText: 'c0029' }).waitFor();
      await expect.poll(() => records.getByTestId('record-row').count()).toBe(1);

      // The provider is down: with no retries left the run is dead-lettered at once, and the records are
      // served as the last good ones.
      api.failWith = () => ({ status: 503 });
      await panel.getByRole('tab', { name: 'Syncs' }).click();
      await contacts.getByRole('button', exact('Sync now')).click();
      await contacts.locator('[data-testid="sync-status"][data-status="dead"]').waitFor(RUN_WAIT);
      await panel.getByTestId('syncs-dead-badge').waitFor();
      expect(await contacts.getByTestId('sync-last-error').textContent()).toContain('503');
      await panel.getByRole('tab', { name: 'Records' }).click();
      const stale = panel.getByTestId('records-stale');
      await stale.waitFor();
      expect(await stale.textContent()).toContain('Last successful sync');
      await snapshot(page, 'records-stale');

      // The provider is back: Retry the dead run from its card.
      api.failWith = null;
      await panel.getByRole('tab', { name: 'Syncs' }).click();
      await contacts.getByRole('button', exact('Retry run')).click();
      await contacts.locator('[data-testid="sync-status"][data-status="completed"]').waitFor(RUN_WAIT);
      await panel.getByTestId('syncs-dead-badge').waitFor({ state: 'detached' });

      // Analytics: the contacts sync records a `contacts_synced` KPI per day; chart it, and see the counts.
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
      await page.getByTestId('stat-records').filter({ hasText: '29' }).waitFor();
      expect(await page.getByTestId('provider-counts-fixture-crm').getByTestId('provider-records').textContent()).toBe('29');
      const metrics = page.getByRole('combobox', { name: 'Metrics' });
      await metrics.fill('contacts_synced');
      await metrics.press('Enter');
      const chart = page.getByTestId('kpi-chart-contacts_synced');
      // One day of values so far: one dot on a time axis spanning the chosen range.
      await chart.locator('.recharts-line-dot, .recharts-dot').first().waitFor();
      expect(await chart.getByTestId('kpi-chart-body').getAttribute('data-series')).toBe('contacts_synced');
      const today = new Date().toISOString().slice(0, 10);
      expect(await chart.getByTestId('kpi-latest').textContent()).toBe(`${today}: 29`);
      // A metric nothing wrote says so instead of drawing an empty chart.
      await page.getByTestId('kpi-chart-sessions').getByTestId('kpi-empty').waitFor();
      await snapshot(page, 'analytics');
    },
    300_000,
  );
});
