// Live progress of a running scrape: the hub's Server-Sent Events stream written into the query cache, so
// every view of the scrape (list row, detail page) moves together without polling.
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Scrape } from './api.ts';

export function useLiveScrape(scrape: Scrape | undefined): void {
  const queryClient = useQueryClient();
  const live = scrape && (scrape.status === 'queued' || scrape.status === 'running');
  const scrapeId = scrape?.id;
  useEffect(() => {
    if (!live || !scrapeId) return;
    const source = new EventSource(`/api/v1/scrapes/${encodeURIComponent(scrapeId)}/events`);
    const update = (next: Scrape) => {
      queryClient.setQueryData(['scrape', scrapeId], next);
      queryClient.setQueriesData<{ pages: { items: Scrape[] }[] }>({ queryKey: ['scrapes'] }, (data) =>
        data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === next.id ? next : item)) })) } : data,
      );
    };
    source.addEventListener('progress', (event) => update(JSON.parse((event as MessageEvent<string>).data) as Scrape));
    source.addEventListener('end', () => {
      source.close();
      void queryClient.invalidateQueries({ queryKey: ['scrape', scrapeId] });
      void queryClient.invalidateQueries({ queryKey: ['scrape-results', scrapeId] });
    });
    return () => source.close();
  }, [live, scrapeId, queryClient]);
}
