// `switchboard scrape <url>` against a hub process: starts the scrape, follows it to the end, summarises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site/index.ts';
import { runCli, startHubProcess, type HubProcess } from '../../test/support/hub-process.ts';
import { progressLine } from './cli-scrape.ts';
import type { ScrapeView } from './contracts.ts';

const KEY = 'sb_cli_scrape_test_key_0123456789abcdef';

describe('switchboard scrape', () => {
  let hub: HubProcess;
  let site: FixtureSite;
  beforeAll(async () => {
    site = await startFixtureSite({ pages: 6 });
    hub = await startHubProcess({ env: { SWITCHBOARD_BOOTSTRAP_API_KEY: KEY, SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' } });
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
    await site?.close();
  });

  it('scrapes one page by default, and follows links with --follow up to --max-pages', async () => {
    const single = await runCli(['scrape', `${site.url}/page/0`, '--hub', hub.url], { SWITCHBOARD_API_KEY: KEY });
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toMatch(/^completed: 1 pages stored/);
    expect(single.stderr).toMatch(/100% 1\/1 pages/);

    const followed = await runCli(['scrape', `${site.url}/`, '--follow', '--max-pages', '4', '--hub', hub.url, '--json'], { SWITCHBOARD_API_KEY: KEY });
    expect(followed.code, followed.stderr).toBe(0);
    expect(JSON.parse(followed.stdout)).toMatchObject({ status: 'completed', progress: { total: 4, processed: 4 } });
  }, 60_000);

  it('explains what is missing', async () => {
    const noKey = await runCli(['scrape', `${site.url}/`, '--hub', hub.url], {});
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/An API key is needed: pass --api-key or set SWITCHBOARD_API_KEY/);
    const refused = await runCli(['scrape', 'ftp://example.com/', '--hub', hub.url], { SWITCHBOARD_API_KEY: KEY });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/The hub refused: Invalid scrape\. body\.urls\.0: must be an http/);
  }, 30_000);

  it('draws a progress bar', () => {
    const view = { status: 'running', step: 'fetch', progress: { percentage: 50, processed: 5, total: 10, etaSeconds: 3 } } as unknown as ScrapeView;
    expect(progressLine(view)).toBe('████████████░░░░░░░░░░░░  50% 5/10 pages · fetch · ETA 3 s');
  });
});
