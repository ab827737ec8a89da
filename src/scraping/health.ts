// Scraper health (seed 000): per engine and per site over a window, success rate, average and p95 page time,
// errors, a status histogram, robots.txt blocks, the empty-content rate, the last successful run and a state;
// plus the resources of this process's scraping (browser pool, memory, queue).
import { sql } from 'drizzle-orm';
import { rowsOf } from '../platform/db/database.ts';
import type { HubContext } from '../platform/hub-context.ts';
import type { ScrapingRuntime } from './runtime.ts';
import { PAGE_JOB } from './jobs/frontier.ts';

export type HealthState = 'healthy' | 'degraded' | 'down';

export interface HealthGroup {
  key: string;
  pages: number;
  succeeded: number;
  failed: number;
  blocked: number;
  skipped: number;
  /** Pages that were not robots-blocked and did not fail, over those not robots-blocked. */
  successRate: number | null;
  avgMs: number | null;
  p95Ms: number | null;
  emptyRate: number | null;
  statuses: Record<string, number>;
  lastSuccessAt: string | null;
  state: HealthState;
}

// A site whose pages mostly work is healthy; one that fails more than it works is down.
const HEALTHY_AT = 0.9;
const DEGRADED_AT = 0.5;
const MAX_SITES = 50;

export function stateOf(successRate: number | null): HealthState {
  if (successRate === null || successRate >= HEALTHY_AT) return 'healthy';
  return successRate >= DEGRADED_AT ? 'degraded' : 'down';
}

export async function scraperHealth(hub: HubContext, runtime: ScrapingRuntime, workspaceId: string, since: Date) {
  const groups = async (by: 'engine' | 'host'): Promise<HealthGroup[]> => {
    const column = by === 'engine' ? sql`coalesce(p.engine, s.engine)` : sql`p.host`;
    const rows = rowsOf<Record<string, any>>(
      await hub.db.execute(sql`
        select ${column} as key, count(*)::int as pages,
          count(*) filter (where p.status in ('done', 'duplicate'))::int as succeeded,
          count(*) filter (where p.status = 'failed')::int as failed,
          count(*) filter (where p.status = 'blocked')::int as blocked,
          count(*) filter (where p.status = 'skipped')::int as skipped,
          count(*) filter (where p.empty)::int as empty,
          avg(p.fetch_ms)::float8 as avg_ms,
          percentile_cont(0.95) within group (order by p.fetch_ms)::float8 as p95_ms,
          max(s.finished_at) filter (where s.status = 'completed' and p.status = 'done') as last_success
        from scrape_pages p join scrapes s on s.id = p.scrape_id
        where p.workspace_id = ${workspaceId} and p.fetched_at >= ${since.toISOString()}::timestamptz and p.status <> 'cancelled'
        group by 1 order by pages desc limit ${MAX_SITES}`),
    );
    const histogram = rowsOf<{ key: string; status: string; count: number }>(
      await hub.db.execute(sql`
        select ${column} as key, coalesce(p.http_status::text, p.error_code, 'none') as status, count(*)::int as count
        from scrape_pages p join scrapes s on s.id = p.scrape_id
        where p.workspace_id = ${workspaceId} and p.fetched_at >= ${since.toISOString()}::timestamptz and p.status <> 'cancelled'
        group by 1, 2`),
    );
    return rows.map((row) => {
      const attempted = Number(row.pages) - Number(row.blocked);
      const successRate = attempted > 0 ? Math.round(((attempted - Number(row.failed)) / attempted) * 1000) / 1000 : null;
      const statuses: Record<string, number> = {};
      for (const entry of histogram) if (entry.key === row.key) statuses[entry.status] = Number(entry.count);
      const fetched = Number(row.succeeded) + Number(row.skipped);
      return {
        key: row.key,
        pages: Number(row.pages),
        succeeded: Number(row.succeeded),
        failed: Number(row.failed),
        blocked: Number(row.blocked),
        skipped: Number(row.skipped),
        successRate,
        avgMs: row.avg_ms === null ? null : Math.round(Number(row.avg_ms)),
        p95Ms: row.p95_ms === null ? null : Math.round(Number(row.p95_ms)),
        emptyRate: fetched > 0 ? Math.round((Number(row.empty) / fetched) * 1000) / 1000 : null,
        statuses,
        lastSuccessAt: row.last_success ? new Date(row.last_success).toISOString() : null,
        state: stateOf(successRate),
      };
    });
  };
  const [engines, sites] = [await groups('engine'), await groups('host')];
  const [queue] = rowsOf<{ queued: number; active: number }>(
    await hub.db.execute(sql`
      select count(*) filter (where state in ('created', 'retry'))::int as queued, count(*) filter (where state = 'active')::int as active
      from pgboss.job where name = ${PAGE_JOB} and data->>'workspaceId' = ${workspaceId}`),
  );
  const [running] = rowsOf<{ running: number }>(
    await hub.db.execute(sql`select count(*)::int as running from scrapes where workspace_id = ${workspaceId} and status in ('queued', 'running')`),
  );
  const memory = process.memoryUsage();
  return {
    since: since.toISOString(),
    engines,
    sites,
    resources: {
      scrapesRunning: Number(running?.running ?? 0),
      pagesQueued: Number(queue?.queued ?? 0),
      pagesActive: Number(queue?.active ?? 0),
      vectorStore: runtime.vectors.kind,
      browser: runtime.browser.stats(),
      process: { rssMb: Math.round(memory.rss / 1048576), heapUsedMb: Math.round(memory.heapUsed / 1048576) },
    },
  };
}
