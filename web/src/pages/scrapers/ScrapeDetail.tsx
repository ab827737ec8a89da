// One scrape: its progress and errors, and its results: pages as rendered Markdown, products, chunks.
import { useState } from 'react';
import { Accordion, Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { linkProps } from '../../router.ts';
import { getScrape, listChunks, listPages, listProducts, type Scrape } from './api.ts';
import { Markdown } from './Markdown.tsx';
import { ScrapeProgress, ScrapeStatusBadge } from './ScrapeProgress.tsx';

export function ScrapeDetail({ scrapeId }: { scrapeId: string }) {
  const scrape = useQuery({ queryKey: ['scrape', scrapeId], queryFn: () => getScrape(scrapeId) });
  if (scrape.isError) return <ErrorAlert error={scrape.error} title="This scrape could not be loaded" />;
  if (!scrape.data) return null;
  const data = scrape.data;
  return (
    <>
      <PageHeader
        title={`Scrape of ${data.url}`}
        description={`${data.engine} engine · up to ${String(data.options.maxPages)} pages, depth ${String(data.options.maxDepth)}`}
        actions={<Button variant="default" {...linkProps('/scrapers')} component="a">All scrapes</Button>}
      />
      <Summary scrape={data} />
      <Tabs defaultValue="pages" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="pages">Pages ({data.progress.total})</Tabs.Tab>
          <Tabs.Tab value="products">Products ({data.progress.products})</Tabs.Tab>
          <Tabs.Tab value="chunks">Chunks ({data.progress.chunks})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pages"><PagesPanel scrapeId={scrapeId} /></Tabs.Panel>
        <Tabs.Panel value="products"><ProductsPanel scrapeId={scrapeId} /></Tabs.Panel>
        <Tabs.Panel value="chunks"><ChunksPanel scrapeId={scrapeId} /></Tabs.Panel>
      </Tabs>
    </>
  );
}

function Summary({ scrape }: { scrape: Scrape }) {
  const { progress } = scrape;
  const delays = Object.entries(scrape.crawlDelays).filter(([, seconds]) => seconds > 0);
  return (
    <Stack gap="sm" mb="lg">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Group gap="sm">
            <ScrapeStatusBadge status={scrape.status} />
            <ScrapeProgress scrape={scrape} />
          </Group>
          <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="md">
            {[
              ['stored', progress.succeeded],
              ['duplicates', progress.duplicates],
              ['skipped', progress.skipped],
              ['robots-blocked', progress.blocked],
              ['failed', progress.failed],
              ['embedded', progress.embedded],
            ].map(([label, value]) => (
              <div key={label}>
                <Text size="lg" fw={600}>{value}</Text>
                <Text size="xs" c="dimmed">{label}</Text>
              </div>
            ))}
          </SimpleGrid>
        </Group>
        {delays.length > 0 && (
          <Text size="xs" c="dimmed" mt="sm">
            Crawl-delay in force: {delays.map(([host, seconds]) => `${host} ${seconds} s`).join(', ')}
          </Text>
        )}
      </Paper>
      {scrape.error && <Alert color="red" title="The scrape failed">{scrape.error}</Alert>}
      {scrape.errors.length > 0 && (
        <Paper withBorder radius="md" p="md">
          <Text fw={600} size="sm" mb={4}>Errors</Text>
          {scrape.errors.map((error) => (
            <Text key={error.url + error.code} size="xs" style={{ wordBreak: 'break-all' }}>
              <Badge size="xs" variant="light" color="red" mr={6} tt="none">{error.code}</Badge>
              {error.url}: {error.reason}
            </Text>
          ))}
        </Paper>
      )}
    </Stack>
  );
}

function PagesPanel({ scrapeId }: { scrapeId: string }) {
  const pages = useInfiniteQuery({
    queryKey: ['scrape-results', scrapeId, 'pages'],
    queryFn: ({ pageParam }) => listPages(scrapeId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <Accordion variant="separated" value={open} onChange={setOpen}>
        {items.map((page) => (
          <Accordion.Item key={page.id} value={page.id} data-testid="scraped-page">
            <Accordion.Control>
              <Group gap="sm" wrap="nowrap">
                <Badge size="sm" variant="light" tt="none" color={page.status === 'done' ? 'teal' : page.status === 'failed' ? 'red' : 'gray'}>{page.status}</Badge>
                <Text size="sm" truncate>{page.title ?? page.url}</Text>
                <Text size="xs" c="dimmed" truncate>{page.url}</Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              {page.error && <Text size="xs" c="red" mb="xs">{page.errorCode}: {page.error}</Text>}
              {open === page.id && page.markdown ? <Markdown source={page.markdown} /> : !page.markdown && <Text size="sm" c="dimmed">No content stored for this page.</Text>}
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
      {pages.hasNextPage && <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>Load more</Button>}
    </Stack>
  );
}

function ProductsPanel({ scrapeId }: { scrapeId: string }) {
  const products = useQuery({ queryKey: ['scrape-results', scrapeId, 'products'], queryFn: () => listProducts(scrapeId) });
  const items = products.data?.items ?? [];
  return (
    <TableCard
      label="Products"
      loading={products.isLoading}
      empty={items.length === 0 && !products.isLoading ? <Text p="xl" c="dimmed" ta="center">No schema.org products on these pages.</Text> : undefined}
      head={<Table.Tr><Table.Th>Name</Table.Th><Table.Th>SKU</Table.Th><Table.Th>Price</Table.Th><Table.Th>Availability</Table.Th><Table.Th>Page</Table.Th></Table.Tr>}
    >
      {items.map((product) => (
        <Table.Tr key={product.id}>
          <Table.Td>{product.name}</Table.Td>
          <Table.Td>{product.sku ?? '—'}</Table.Td>
          <Table.Td>{product.price !== null ? `${product.price.toLocaleString()} ${product.currency ?? ''}` : '—'}</Table.Td>
          <Table.Td>{product.availability ?? '—'}</Table.Td>
          <Table.Td><Anchor href={product.url} target="_blank" rel="noreferrer noopener" size="xs">{product.url}</Anchor></Table.Td>
        </Table.Tr>
      ))}
    </TableCard>
  );
}

function ChunksPanel({ scrapeId }: { scrapeId: string }) {
  const chunks = useInfiniteQuery({
    queryKey: ['scrape-results', scrapeId, 'chunks'],
    queryFn: ({ pageParam }) => listChunks(scrapeId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = chunks.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      {items.map((chunk) => (
        <Paper key={chunk.id} withBorder radius="md" p="sm">
          <Text size="xs" c="dimmed" mb={4}>
            {chunk.url} · #{chunk.position}{chunk.headingPath.length > 0 ? ` · ${chunk.headingPath.join(' › ')}` : ''} · {chunk.embeddingModel ?? 'no vector'}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={8}>{chunk.content}</Text>
        </Paper>
      ))}
      {chunks.hasNextPage && <Button variant="default" onClick={() => void chunks.fetchNextPage()} loading={chunks.isFetchingNextPage}>Load more</Button>}
    </Stack>
  );
}
