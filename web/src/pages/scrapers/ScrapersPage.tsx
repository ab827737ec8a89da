// Scrapers: start a crawl and watch it live, browse its results, search what was collected, and the
// scrapers' health; /scrapers/:id shows one scrape.
import { useEffect } from 'react';
import { Tabs } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { navigate } from '../../router.ts';
import { HealthPanel } from './HealthPanel.tsx';
import { ScrapeDetail } from './ScrapeDetail.tsx';
import { ScrapesList } from './ScrapesList.tsx';
import { SearchPanel } from './SearchPanel.tsx';
import { StartScrapeForm } from './StartScrapeForm.tsx';

const TABS = ['scrapes', 'search', 'health'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ScrapersPage({ path }: { path: string }) {
  const segment = path.split('/')[2] ?? '';
  const isScrape = UUID.test(segment);
  const tab = TABS.find((value) => value === segment) ?? 'scrapes';

  useEffect(() => {
    if (!isScrape && segment !== '' && segment !== tab) navigate('/scrapers', { replace: true });
  }, [isScrape, segment, tab]);

  if (isScrape) return <ScrapeDetail scrapeId={segment} />;
  return (
    <>
      <PageHeader
        title="Scrapers"
        description="Crawl websites politely (robots.txt, crawl delays, per-host limits) into Markdown, products and searchable chunks."
      />
      <Tabs value={tab} onChange={(value) => value && navigate(value === 'scrapes' ? '/scrapers' : `/scrapers/${value}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="scrapes">Scrapes</Tabs.Tab>
          <Tabs.Tab value="search">Search</Tabs.Tab>
          <Tabs.Tab value="health">Health</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="scrapes">
          <StartScrapeForm />
          <ScrapesList />
        </Tabs.Panel>
        <Tabs.Panel value="search">
          <SearchPanel />
        </Tabs.Panel>
        <Tabs.Panel value="health">
          <HealthPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
