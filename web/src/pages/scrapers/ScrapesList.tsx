// The workspace's scrapes with live progress, and cancel, re-run and results for each.
import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { linkProps } from '../../router.ts';
import { ACTIVE_STATUSES, cancelScrape, listScrapes, rerunScrape, type Scrape } from './api.ts';
import { ScrapeProgress, ScrapeStatusBadge } from './ScrapeProgress.tsx';

export function ScrapesList() {
  const queryClient = useQueryClient();
  const scrapes = useInfiniteQuery({
    queryKey: ['scrapes'],
    queryFn: ({ pageParam }) => listScrapes(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Progress of running scrapes arrives over SSE; this only picks up scrapes started elsewhere.
    refetchInterval: 10_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['scrapes'] });
  const cancel = useMutation({
    mutationFn: (scrape: Scrape) => cancelScrape(scrape.id),
    onSuccess: (scrape) => {
      notifySuccess(`Cancelled the scrape of ${scrape.url}.`);
      refresh();
    },
    onError: (error) => notifyError('Could not cancel the scrape', error),
  });
  const rerun = useMutation({
    mutationFn: (scrape: Scrape) => rerunScrape(scrape.id),
    onSuccess: (scrape) => {
      notifySuccess(`Started the scrape of ${scrape.url} again.`);
      refresh();
    },
    onError: (error) => notifyError('Could not re-run the scrape', error),
  });
  const items = scrapes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <TableCard
      label="Scrapes"
      loading={scrapes.isLoading}
      empty={items.length === 0 && !scrapes.isLoading ? <Text p="xl" c="dimmed" ta="center">No scrapes yet: start one above.</Text> : undefined}
      hasMore={scrapes.hasNextPage}
      loadingMore={scrapes.isFetchingNextPage}
      onLoadMore={() => void scrapes.fetchNextPage()}
      head={
        <Table.Tr>
          <Table.Th>URL</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Progress</Table.Th>
          <Table.Th>Results</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th />
        </Table.Tr>
      }
    >
      {items.map((scrape) => (
        <Table.Tr key={scrape.id} data-testid="scrape-row" data-url={scrape.url}>
          <Table.Td maw={280}>
            <Anchor {...linkProps(`/scrapers/${scrape.id}`)} size="sm" style={{ wordBreak: 'break-all' }}>
              {scrape.url}
            </Anchor>
            <Text size="xs" c="dimmed">
              {scrape.engine} engine
            </Text>
          </Table.Td>
          <Table.Td>
            <ScrapeStatusBadge status={scrape.status} />
          </Table.Td>
          <Table.Td>
            <ScrapeProgress scrape={scrape} />
          </Table.Td>
          <Table.Td>
            <Text size="xs">
              {scrape.progress.succeeded} pages · {scrape.progress.products} products · {scrape.progress.chunks} chunks
            </Text>
          </Table.Td>
          <Table.Td>
            <TimeAgo at={scrape.createdAt} />
          </Table.Td>
          <Table.Td>
            <Group gap="xs" justify="flex-end" wrap="nowrap">
              {ACTIVE_STATUSES.has(scrape.status) ? (
                <Button size="xs" variant="light" color="red" onClick={() => cancel.mutate(scrape)} aria-label={`Cancel the scrape of ${scrape.url}`}>
                  Cancel
                </Button>
              ) : (
                <Button size="xs" variant="light" onClick={() => rerun.mutate(scrape)} aria-label={`Re-run the scrape of ${scrape.url}`}>
                  Re-run
                </Button>
              )}
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </TableCard>
  );
}
