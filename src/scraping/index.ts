// The scraping capability's public surface: routes, jobs and the per-process runtime the hub starts.
import type { HubContext } from '../platform/hub-context.ts';
import type { JobDefinition } from '../platform/jobs/define.ts';
import { scrapePageJob } from './jobs/page-job.ts';

export { scrapingRoutes } from './routes.ts';
export { startScraping, stopScraping, type ScrapingStartOptions } from './runtime.ts';

export function scrapingJobs(hubContext: () => HubContext, pagesPerWorker: number): JobDefinition<any>[] {
  return [scrapePageJob(hubContext, pagesPerWorker)];
}
