// The Scrapers page's calls to /api/v1 (scrapes, results, search, health, defaults), typed from the server's
// own contracts so a changed contract fails the typecheck here.
import type { z } from 'zod';
import type { chunkView, healthView, pageView, productView, scrapeView, searchHit } from '../../../../src/scraping/contracts.ts';
import { request, type Page } from '../../api.ts';

export type Scrape = z.infer<typeof scrapeView>;
export type ScrapePage = z.infer<typeof pageView>;
export type Product = z.infer<typeof productView>;
export type Chunk = z.infer<typeof chunkView>;
export type SearchHit = z.infer<typeof searchHit>;
export type ScraperHealth = z.infer<typeof healthView>;
export type HealthGroup = ScraperHealth['engines'][number];
export type ScrapeStatus = Scrape['status'];
export type Engine = Scrape['engine'];

export const ACTIVE_STATUSES: ReadonlySet<ScrapeStatus> = new Set(['queued', 'running']);


const id = encodeURIComponent;

export interface StartScrapeInput {
  urls: string[];
  maxPages?: number;
  maxDepth?: number;
  engine?: Engine;
  respectRobots?: boolean;
  extractProducts?: boolean;
}

export const startScrape = (input: StartScrapeInput) => request<Scrape>('POST', '/scrapes', input);
export const listScrapes = (cursor?: string | null) => request<Page<Scrape>>('GET', `/scrapes?limit=25${cursor ? `&cursor=${id(cursor)}` : ''}`);
export const getScrape = (scrapeId: string) => request<Scrape>('GET', `/scrapes/${id(scrapeId)}`);
export const cancelScrape = (scrapeId: string) => request<Scrape>('DELETE', `/scrapes/${id(scrapeId)}`);
export const rerunScrape = (scrapeId: string) => request<Scrape>('POST', `/scrapes/${id(scrapeId)}/rerun`);
export const listPages = (scrapeId: string, cursor?: string | null) =>
  request<Page<ScrapePage>>('GET', `/scrapes/${id(scrapeId)}/pages?limit=50${cursor ? `&cursor=${id(cursor)}` : ''}`);
export const listProducts = (scrapeId: string) => request<Page<Product>>('GET', `/scrapes/${id(scrapeId)}/products?limit=200`);
export const listChunks = (scrapeId: string, cursor?: string | null) =>
  request<Page<Chunk>>('GET', `/scrapes/${id(scrapeId)}/chunks?limit=50${cursor ? `&cursor=${id(cursor)}` : ''}`);
export const search = (input: { query: string; k: number; scrapeId?: string }) =>
  request<{ items: SearchHit[]; model: string | null }>('POST', '/search', input);
export const getHealth = () => request<ScraperHealth>('GET', '/scrapers/health');
