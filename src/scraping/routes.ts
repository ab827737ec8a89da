// The scraping capability's routes: scrapes and their results, search, scraper health and settings.
import { cancelScrapeRoute } from './routes/scrapes.cancel.ts';
import { listChunksRoute } from './routes/scrapes.chunks.ts';
import { createScrapeRoute } from './routes/scrapes.create.ts';
import { scrapeEventsRoute } from './routes/scrapes.events.ts';
import { getScrapeRoute } from './routes/scrapes.get.ts';
import { listScrapesRoute } from './routes/scrapes.list.ts';
import { listPagesRoute } from './routes/scrapes.pages.ts';
import { listProductsRoute } from './routes/scrapes.products.ts';
import { rerunScrapeRoute } from './routes/scrapes.rerun.ts';
import { scraperHealthRoute } from './routes/scrapers.health.ts';
import { getScraperSettingsRoute } from './routes/scrapers.settings.get.ts';
import { updateScraperSettingsRoute } from './routes/scrapers.settings.update.ts';
import { searchRoute } from './routes/search.ts';

export const scrapingRoutes = [
  createScrapeRoute,
  listScrapesRoute,
  getScrapeRoute,
  scrapeEventsRoute,
  cancelScrapeRoute,
  rerunScrapeRoute,
  listPagesRoute,
  listProductsRoute,
  listChunksRoute,
  searchRoute,
  scraperHealthRoute,
  getScraperSettingsRoute,
  updateScraperSettingsRoute,
];
