// Pages per second over a generated local site (200 and 2,000 pages, robots.txt on): our HTTP engine against
// Crawlee's CheerioCrawler, and our browser engine against Crawlee's PlaywrightCrawler, in the same run,
// on the same site and at the same concurrency. Crawlee lives outside the repository (see PEERS.md):
// CRAWLEE_DIR (default /tmp/crawlee) must hold `npm i crawlee playwright-core`; without it only ours is measured.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startHub, type RunningHub } from '../src/hub.ts';
import { loadConfig } from '../src/platform/config.ts';
import { compare, createPostgresDatabase, row, type BenchContext, type BenchResult, type Benchmark, type ResultRow } from './harness.ts';

const CRAWLEE_DIR = process.env.CRAWLEE_DIR ?? '/tmp/crawlee';
const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'sb_bench_scraping_key_0123456789abcdef';
const HTTP_SIZES = (process.env.BENCH_SCRAPING_PAGES ?? '200,2000').split(',').map(Number);
const BROWSER_PAGES = Number(process.env.BENCH_SCRAPING_BROWSER_PAGES ?? 200);
const HTTP_CONCURRENCY = 10;
const BROWSER_CONCURRENCY = 4;
// The fixture's pages: /page/0 … /page/N-1 plus the home and about pages every page links to.
const EXTRA_PAGES = 2;

/** The fixture site in a process of its own, so serving it does not take CPU from the crawler measured. */
async function startSite(pages: number): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'test', 'support', 'fixture-site', 'serve.ts'), JSON.stringify({ pages, fanOut: 10 })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the fixture site exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

interface Trial {
  pages: number;
  seconds: number;
}

async function startBenchHub(dataDir: string, databaseUrl?: string): Promise<RunningHub> {
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, SWITCHBOARD_MASTER_KEY: `bench:${Buffer.alloc(32, 9).toString('base64')}` } : {}),
    SWITCHBOARD_PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_LOG_LEVEL: 'warn',
    SWITCHBOARD_BOOTSTRAP_API_KEY: KEY,
    SWITCHBOARD_ADMIN_PASSWORD: 'bench-password-123456',
    SWITCHBOARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    SWITCHBOARD_SCRAPE_CONCURRENCY: String(HTTP_CONCURRENCY * 2),
    SWITCHBOARD_BROWSER_MAX_OPEN_PAGES: String(BROWSER_CONCURRENCY),
    SWITCHBOARD_BROWSER_PAGES_PER_BROWSER: '1000',
    SWITCHBOARD_CHROMIUM_PATH: CHROMIUM,
  });
  return startHub(config, { api: true, worker: true }, { logger: pino({ level: 'warn' }) });
}

async function ours(hub: RunningHub, pages: number, engine: 'http' | 'browser', embeddings: 'none' | 'lexical'): Promise<Trial> {
  const site = await startSite(pages);
  try {
    const app = hub.app!;
    const headers = { authorization: `Bearer ${KEY}` };
    const concurrency = engine === 'http' ? HTTP_CONCURRENCY : BROWSER_CONCURRENCY;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/scrapes',
      headers,
      payload: {
        urls: [`${site.url}/`],
        maxPages: pages + EXTRA_PAGES,
        maxDepth: 20,
        engine,
        maxConcurrency: { global: concurrency, perHost: concurrency },
        embeddings: { provider: embeddings },
      },
    });
    const id = created.json().id as string;
    for (;;) {
      // Polled slowly (each poll costs the crawl database time); the duration is the scrape's own, from its
      // creation to its end, as the hub recorded them.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const scrape = (await app.inject({ method: 'GET', url: `/api/v1/scrapes/${id}`, headers })).json();
      if (['completed', 'failed', 'cancelled'].includes(scrape.status)) {
        if (scrape.status !== 'completed') throw new Error(`our scrape ended ${scrape.status}: ${scrape.error}`);
        const seconds = (Date.parse(scrape.finishedAt) - Date.parse(scrape.createdAt)) / 1000;
        return { pages: scrape.progress.succeeded + scrape.progress.duplicates, seconds };
      }
    }
  } finally {
    await site.close();
  }
}

/** Crawlee in a child process, from its own folder: the crawl is timed inside, module loading excluded. */
async function crawlee(kind: 'cheerio' | 'cheerio-extract' | 'playwright', pages: number): Promise<Trial> {
  const site = await startSite(pages);
  const storage = mkdtempSync(path.join(os.tmpdir(), 'crawlee-storage-'));
  const script = path.join(storage, 'run.cjs');
  writeFileSync(script, crawleeScript());
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        cwd: storage,
        env: {
          ...process.env,
          CRAWLEE_DIR,
          CRAWLEE_STORAGE_DIR: storage,
          CRAWLEE_PURGE_ON_START: 'true',
          CRAWLEE_LOG_LEVEL: 'ERROR',
          BENCH_KIND: kind,
          BENCH_URL: `${site.url}/`,
          BENCH_MAX: String(pages + EXTRA_PAGES),
          BENCH_CONCURRENCY: String(kind === 'playwright' ? BROWSER_CONCURRENCY : HTTP_CONCURRENCY),
          BENCH_CHROMIUM: CHROMIUM,
          BENCH_REPO: path.join(import.meta.dirname, '..'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`crawlee ${kind} exited ${code}: ${stderr.slice(-2000)}`))));
    });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as Trial;
    return result;
  } finally {
    await site.close();
    rmSync(storage, { recursive: true, force: true });
  }
}

function crawleeScript(): string {
  // CommonJS, so `require` resolves crawlee from CRAWLEE_DIR and our extraction from the repository.
  return `
const { createRequire } = require('node:module');
const path = require('node:path');
const fromCrawlee = createRequire(path.join(process.env.CRAWLEE_DIR, 'package.json'));
const { CheerioCrawler, PlaywrightCrawler, Configuration } = fromCrawlee('crawlee');
const kind = process.env.BENCH_KIND;
const max = Number(process.env.BENCH_MAX);
const concurrency = Number(process.env.BENCH_CONCURRENCY);
const config = new Configuration({ persistStorage: false, purgeOnStart: true });
let pages = 0;
let extract = null;
async function main() {
  if (kind === 'cheerio-extract') {
    // The same work as our pipeline's extraction: Readability on linkedom, then Markdown.
    const { extractPage } = await import(path.join(process.env.BENCH_REPO, 'src/scraping/extract/page.ts'));
    extract = extractPage;
  }
  const common = {
    maxRequestsPerCrawl: max,
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    respectRobotsTxtFile: true,
    maxRequestRetries: 3,
  };
  const crawler = kind === 'playwright'
    ? new PlaywrightCrawler({
        ...common,
        launchContext: {
          launcher: fromCrawlee('playwright-core').chromium,
          launchOptions: { executablePath: process.env.BENCH_CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] },
        },
        async requestHandler({ page, enqueueLinks }) {
          await page.content();
          pages++;
          await enqueueLinks();
        },
      }, config)
    : new CheerioCrawler({
        ...common,
        async requestHandler({ $, body, request, enqueueLinks }) {
          if (extract) extract(String(body), { url: request.loadedUrl, includeSelectors: [], excludeSelectors: [], extractProducts: true });
          else $('title').text();
          pages++;
          await enqueueLinks();
        },
      }, config);
  const started = performance.now();
  await crawler.run([process.env.BENCH_URL]);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ pages, seconds }));
}
main().then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });
`;
}

const rate = (trial: Trial) => trial.pages / trial.seconds;

const benchmark: Benchmark = {
  name: 'scraping',
  description: 'pages/s of a crawl of a generated local site (robots.txt on), ours vs Crawlee at the same concurrency',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const notes: string[] = [];
    const haveCrawlee = existsSync(path.join(CRAWLEE_DIR, 'node_modules', 'crawlee'));
    if (!haveCrawlee) {
      notes.push(`Crawlee not found in ${CRAWLEE_DIR} (set CRAWLEE_DIR; install per PEERS.md): comparisons skipped, ours measured alone.`);
      ctx.log(notes[0]!);
    }
    const haveChromium = existsSync(CHROMIUM);
    if (!haveChromium) notes.push(`No Chromium at ${CHROMIUM}: browser engine not measured.`);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-scraping-'));
    const hub = await startBenchHub(dataDir);
    // On PostgreSQL the database runs in its own server process; measured too when one answers.
    const postgres = ctx.postgresUrl ? await createPostgresDatabase(ctx.postgresUrl, 'bench_scraping') : null;
    const pgHub = postgres ? await startBenchHub(dataDir, postgres.url) : null;
    const rows: ResultRow[] = [];
    try {
      // One small crawl first, so JIT warm-up and first-use caches do not land in round one.
      await ours(hub, 20, 'http', 'none');
      for (const pages of HTTP_SIZES) {
        const samples = { ours: [] as number[], oursPg: [] as number[], oursEmbed: [] as number[], cheerio: [] as number[], cheerioExtract: [] as number[] };
        for (let round = 0; round < ctx.rounds; round++) {
          const trial = await ours(hub, pages, 'http', 'none');
          samples.ours.push(rate(trial));
          if (pgHub) samples.oursPg.push(rate(await ours(pgHub, pages, 'http', 'none')));
          samples.oursEmbed.push(rate(await ours(hub, pages, 'http', 'lexical')));
          if (haveCrawlee) {
            samples.cheerio.push(rate(await crawlee('cheerio', pages)));
            samples.cheerioExtract.push(rate(await crawlee('cheerio-extract', pages)));
          }
          ctx.log(`${pages} pages, round ${round + 1}: ours ${samples.ours.at(-1)!.toFixed(0)} p/s (${trial.pages} pages)` +
            (pgHub ? `, ours on PostgreSQL ${samples.oursPg.at(-1)!.toFixed(0)} p/s` : '') +
            (haveCrawlee ? `, Cheerio ${samples.cheerio.at(-1)!.toFixed(0)} p/s, Cheerio+extraction ${samples.cheerioExtract.at(-1)!.toFixed(0)} p/s` : ''));
        }
        const oursRow = row(`ours http, extract to Markdown (${pages} pages)`, 'pages/s', 'pages/s', samples.ours);
        const embedRow = row(`ours http, extract + chunk + lexical embed (${pages} pages)`, 'pages/s', 'pages/s', samples.oursEmbed);
        const pgRow = pgHub ? row(`ours http on PostgreSQL, extract to Markdown (${pages} pages)`, 'pages/s', 'pages/s', samples.oursPg) : null;
        if (haveCrawlee) {
          const cheerioRow = row(`Crawlee CheerioCrawler, title only (${pages} pages)`, 'pages/s', 'pages/s', samples.cheerio);
          const extractRow = row(`Crawlee CheerioCrawler + same extraction (${pages} pages)`, 'pages/s', 'pages/s', samples.cheerioExtract);
          compare(oursRow, cheerioRow, 'ours / Cheerio title-only');
          compare(oursRow, extractRow, 'ours / Cheerio + same extraction');
          compare(embedRow, extractRow, 'ours (with embeddings) / Cheerio + same extraction');
          if (pgRow) {
            compare(pgRow, cheerioRow, 'ours on PostgreSQL / Cheerio title-only');
            compare(pgRow, extractRow, 'ours on PostgreSQL / Cheerio + same extraction');
          }
          rows.push(oursRow, ...(pgRow ? [pgRow] : []), embedRow, cheerioRow, extractRow);
        } else {
          rows.push(oursRow, ...(pgRow ? [pgRow] : []), embedRow);
        }
      }
      if (haveChromium && BROWSER_PAGES > 0) {
        const samples = { ours: [] as number[], playwright: [] as number[] };
        for (let round = 0; round < ctx.rounds; round++) {
          samples.ours.push(rate(await ours(hub, BROWSER_PAGES, 'browser', 'none')));
          if (haveCrawlee) samples.playwright.push(rate(await crawlee('playwright', BROWSER_PAGES)));
          ctx.log(`browser ${BROWSER_PAGES} pages, round ${round + 1}: ours ${samples.ours.at(-1)!.toFixed(1)} p/s` +
            (haveCrawlee ? `, Playwright ${samples.playwright.at(-1)!.toFixed(1)} p/s` : ''));
        }
        const oursRow = row(`ours browser engine (${BROWSER_PAGES} pages)`, 'pages/s', 'pages/s', samples.ours);
        rows.push(oursRow);
        if (haveCrawlee) {
          const playwrightRow = row(`Crawlee PlaywrightCrawler (${BROWSER_PAGES} pages)`, 'pages/s', 'pages/s', samples.playwright);
          compare(oursRow, playwrightRow, 'ours / PlaywrightCrawler');
          rows.push(playwrightRow);
        }
      }
      notes.push(
        `Concurrency ${HTTP_CONCURRENCY} (HTTP) and ${BROWSER_CONCURRENCY} (browser) for both; robots.txt respected by both; ours on the embedded database (PGlite), timed from the scrape's creation to its end as the hub recorded them; Crawlee timed around crawler.run() in its own process.`,
        'Ours does more per page than Crawlee title-only: Readability + Markdown + products + duplicate detection + a database transaction per page; the "+ same extraction" row gives Crawlee the same extraction.',
      );
    } finally {
      await hub.stop();
      await pgHub?.stop();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    return { rows, notes };
  },
};

export default benchmark;
