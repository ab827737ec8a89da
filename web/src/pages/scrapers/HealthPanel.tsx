// Scraper health (seed 000): per engine and per site, success rate and timings as bar charts, the status
// histogram, robots.txt blocks, empty content, the last successful run, and this process's resources.
import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { getHealth, type HealthGroup } from './api.ts';

const STATE_COLORS = { healthy: 'teal', degraded: 'yellow', down: 'red' } as const;

export function HealthPanel() {
  const health = useQuery({ queryKey: ['scrapers-health'], queryFn: getHealth, refetchInterval: 15_000 });
  if (health.isError) return <ErrorAlert error={health.error} title="Health could not be loaded" />;
  if (!health.data) return null;
  const { engines, sites, resources } = health.data;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <HealthTable title="Per engine" groups={engines} />
        <Paper withBorder radius="md" p="md">
          <Text fw={600} mb="xs">Resources</Text>
          <Text size="sm">Scrapes running: {resources.scrapesRunning} · pages queued: {resources.pagesQueued} · in flight: {resources.pagesActive}</Text>
          <Text size="sm">Vectors: {resources.vectorStore === 'pgvector' ? 'pgvector' : 'portable real[] column'}</Text>
          <Text size="sm">
            Chromium ({resources.browser.executablePath}): {resources.browser.available ? 'available' : 'missing'} · launched {resources.browser.launches}× · {resources.browser.pagesRendered} pages rendered · killed for memory {resources.browser.killedForMemory}, for time {resources.browser.killedForTime}
          </Text>
          {resources.browser.lastLaunchError && <Text size="xs" c="red">{resources.browser.lastLaunchError}</Text>}
          <Text size="sm">This process: {resources.process.rssMb} MB resident, {resources.process.heapUsedMb} MB heap</Text>
        </Paper>
      </SimpleGrid>
      <HealthTable title="Per site" groups={sites} />
    </Stack>
  );
}

function HealthTable({ title, groups }: { title: string; groups: HealthGroup[] }) {
  const slowest = Math.max(1, ...groups.map((group) => group.p95Ms ?? 0));
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="xs">{title}</Text>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">Nothing scraped in this period.</Text>
      ) : (
        <Table aria-label={`Scraper health ${title.toLowerCase()}`} fz="xs">
          <Table.Thead>
            <Table.Tr><Table.Th>{title === 'Per engine' ? 'Engine' : 'Site'}</Table.Th><Table.Th>State</Table.Th><Table.Th>Success</Table.Th><Table.Th>Time (avg / p95)</Table.Th><Table.Th>Statuses</Table.Th><Table.Th>Last success</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((group) => (
              <Table.Tr key={group.key} data-testid="health-row">
                <Table.Td>{group.key}</Table.Td>
                <Table.Td><Badge size="xs" color={STATE_COLORS[group.state]} variant="light" tt="none">{group.state}</Badge></Table.Td>
                <Table.Td miw={120}>
                  <Progress value={(group.successRate ?? 1) * 100} color={STATE_COLORS[group.state]} size="sm" aria-label={`${Math.round((group.successRate ?? 1) * 100)}% success`} />
                  <Text size="xs" c="dimmed">
                    {group.successRate === null ? '—' : `${Math.round(group.successRate * 100)}%`} of {group.pages} · {group.failed} errors · {group.blocked} robots-blocked · {group.emptyRate === null ? '—' : `${Math.round(group.emptyRate * 100)}%`} empty
                  </Text>
                </Table.Td>
                <Table.Td miw={120}>
                  <Progress value={((group.p95Ms ?? 0) / slowest) * 100} size="sm" color="gray" aria-label="p95 page time" />
                  <Text size="xs" c="dimmed">{group.avgMs ?? '—'} / {group.p95Ms ?? '—'} ms</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {Object.entries(group.statuses).map(([status, count]) => (
                      <Badge key={status} size="xs" variant="outline" color={status.startsWith('2') ? 'teal' : 'red'} tt="none">{status}: {count}</Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td><TimeAgo at={group.lastSuccessAt} size="xs" /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
