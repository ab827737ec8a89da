// Analytics (seed 004): KPI charts over time from GET /kpis (metric picker, date range, grouping), and the
// workspace's syncs, records and failures counted across providers from the integrations' sync lists.
import { useState } from 'react';
import { Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueries, useQuery } from '@tanstack/react-query';
import { getKpis, listIntegrationSyncs, listSyncRuns, type Integration, type KpiGroupBy } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { useWorkspaceKey } from '../../session.tsx';
import { useCatalog, useIntegrations, useIntegrationsKey } from '../integrations/queries.ts';
import { KpiChart } from './KpiChart.tsx';

// The metrics the built-in connectors write (or, for Resend, derive from delivery webhooks); any other
// snake_case name can be typed in.
const KNOWN_METRICS = [
  { group: 'Google Analytics 4', items: ['sessions', 'active_users', 'conversions', 'revenue'] },
  { group: 'Meta Ads', items: ['spend', 'impressions', 'clicks', 'ctr', 'purchase_value', 'roas'] },
  { group: 'Resend', items: ['emails_sent', 'emails_delivered', 'emails_bounced', 'emails_complained', 'emails_opened', 'delivery_rate', 'bounce_rate', 'complaint_rate'] },
  { group: 'YouTube', items: ['view_count', 'subscriber_count', 'video_count'] },
  { group: 'Instagram', items: ['reach', 'new_followers', 'views', 'accounts_engaged', 'total_interactions', 'followers'] },
];
const GROUPS: { value: KpiGroupBy; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
  { value: 'integration', label: 'Integration' },
  { value: 'dimension', label: 'Dimension' },
];
const METRIC_NAME = /^[a-z][a-z0-9_]*$/;
const KPI_REFRESH_MS = 60_000;

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

export function AnalyticsPage() {
  const workspaceKey = useWorkspaceKey();
  const integrations = useIntegrations();
  const [metrics, setMetrics] = useState<string[]>(['sessions', 'spend']);
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const [from, setFrom] = useState(() => isoDay(Date.now() - 29 * 86_400_000));
  const [groupBy, setGroupBy] = useState<KpiGroupBy>('day');
  const [integrationId, setIntegrationId] = useState<string | null>(null);
  const [range] = useDebouncedValue({ from, to }, 400);
  const picked = metrics.filter((metric) => METRIC_NAME.test(metric));
  const wrongNames = metrics.filter((metric) => !METRIC_NAME.test(metric));

  const kpis = useQuery({
    queryKey: ['kpis', workspaceKey, { metrics: picked, ...range, groupBy, integrationId }],
    queryFn: () => getKpis({ metric: picked.join(','), from: range.from || undefined, to: range.to || undefined, groupBy, integrationId }),
    enabled: picked.length > 0,
    refetchInterval: KPI_REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const byId = new Map((integrations.data?.items ?? []).map((integration) => [integration.id, integration]));

  return (
    <>
      <PageHeader
        title="Analytics"
        description="KPIs written by syncs (Google Analytics 4, Meta Ads, YouTube, Instagram) and derived from Resend's delivery webhooks, and the state of every sync across providers."
      />
      <Stack gap="lg">
        <CrossProviderCounts integrations={integrations.data?.items ?? []} />

        <Title order={2} size="h4">
          KPIs over time
        </Title>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TagsInput
            label="Metrics"
            description="Pick or type snake_case metric names"
            data={KNOWN_METRICS}
            value={metrics}
            onChange={setMetrics}
            clearable
            w={420}
            error={wrongNames.length ? `Not a metric name: ${wrongNames.join(', ')} (use snake_case, e.g. active_users)` : undefined}
          />
          <TextInput label="From" type="date" value={from} max={to} onChange={(event) => setFrom(event.currentTarget.value)} w={160} />
          <TextInput label="To" type="date" value={to} min={from} onChange={(event) => setTo(event.currentTarget.value)} w={160} />
          <Select
            label="Integration"
            placeholder="All integrations"
            clearable
            data={(integrations.data?.items ?? []).map((integration) => ({ value: integration.id, label: integration.name }))}
            value={integrationId}
            onChange={setIntegrationId}
            w={220}
          />
        </Group>
        <SegmentedControl aria-label="Group by" value={groupBy} onChange={(value) => setGroupBy(value as KpiGroupBy)} data={GROUPS} w="fit-content" />
        <ErrorAlert error={kpis.error} title="The KPIs could not be loaded" />
        {picked.length === 0 ? (
          <Text c="dimmed" size="sm">
            Pick a metric to chart.
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            {picked.map((metric) => (
              <KpiChart
                key={metric}
                metric={metric}
                groupBy={kpis.data?.groupBy ?? groupBy}
                range={kpis.data ? { from: kpis.data.from, to: kpis.data.to } : null}
                points={(kpis.data?.items ?? []).filter((point) => point.metric === metric)}
                integrations={byId}
              />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </>
  );
}

interface ProviderCounts {
  connectorId: string;
  integrations: number;
  syncs: number;
  paused: number;
  records: number;
  failing: number;
  running: number;
}

function CrossProviderCounts({ integrations }: { integrations: Integration[] }) {
  const workspaceKey = useWorkspaceKey();
  const integrationsKey = useIntegrationsKey();
  const catalog = useCatalog();
  // Same query keys as the integration page's Syncs tab, so both share one cache.
  const syncLists = useQueries({
    queries: integrations.map((integration) => ({
      queryKey: [...integrationsKey, integration.id, 'syncs'],
      queryFn: () => listIntegrationSyncs(integration.id),
      refetchInterval: 30_000,
    })),
  });
  const dead = useQuery({
    queryKey: ['sync-runs', workspaceKey, { status: 'dead', integrationId: undefined }],
    queryFn: () => listSyncRuns({ status: 'dead', limit: 200 }),
    refetchInterval: 30_000,
  });

  const rows = new Map<string, ProviderCounts>();
  integrations.forEach((integration, index) => {
    const row = rows.get(integration.connectorId) ?? { connectorId: integration.connectorId, integrations: 0, syncs: 0, paused: 0, records: 0, failing: 0, running: 0 };
    row.integrations += 1;
    for (const sync of syncLists[index]?.data?.items ?? []) {
      row.syncs += 1;
      if (sync.paused) row.paused += 1;
      row.records += sync.recordsCount;
      if (sync.status === 'failed' || sync.status === 'dead') row.failing += 1;
      if (sync.status === 'running' || sync.status === 'queued' || sync.status === 'retrying') row.running += 1;
    }
    rows.set(integration.connectorId, row);
  });
  const list = [...rows.values()].filter((row) => row.syncs > 0).sort((a, b) => b.records - a.records);
  const total = list.reduce((sum, row) => ({ syncs: sum.syncs + row.syncs, records: sum.records + row.records, failing: sum.failing + row.failing }), { syncs: 0, records: 0, failing: 0 });
  const deadCount = dead.data ? `${dead.data.items.length}${dead.data.nextCursor ? '+' : ''}` : '…';
  const titles = new Map((catalog.data?.items ?? []).map((connector) => [connector.id, connector.title]));
  const loading = syncLists.some((query) => query.isPending);
  const failure = syncLists.find((query) => query.error)?.error ?? dead.error;

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        <Stat label="Syncs" value={loading ? '…' : total.syncs.toLocaleString()} testId="stat-syncs" />
        <Stat label="Records" value={loading ? '…' : total.records.toLocaleString()} testId="stat-records" />
        <Stat label="Failing syncs" value={loading ? '…' : total.failing.toLocaleString()} testId="stat-failing" alert={total.failing > 0} />
        <Stat label="Dead-lettered runs" value={deadCount} testId="stat-dead" alert={(dead.data?.items.length ?? 0) > 0} />
      </SimpleGrid>
      <ErrorAlert error={failure} title="Some counts could not be loaded" />
      <TableCard
        label="Syncs by provider"
        loading={loading && integrations.length > 0}
        empty={!loading && list.length === 0 ? <Text c="dimmed" p="md">No integration with syncs yet. Connect one (WooCommerce, Google Analytics 4, Meta Ads, Notion…) to see its counts here.</Text> : undefined}
        head={
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Integrations</Table.Th>
            <Table.Th>Syncs</Table.Th>
            <Table.Th>Records</Table.Th>
            <Table.Th>Running</Table.Th>
            <Table.Th>Failing</Table.Th>
          </Table.Tr>
        }
      >
        {list.map((row) => (
          <Table.Tr key={row.connectorId} data-testid={`provider-counts-${row.connectorId}`}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {titles.get(row.connectorId) ?? row.connectorId}
              </Text>
            </Table.Td>
            <Table.Td>{row.integrations}</Table.Td>
            <Table.Td>
              {row.syncs}
              {row.paused > 0 ? <Text span size="xs" c="dimmed">{` (${row.paused} paused)`}</Text> : null}
            </Table.Td>
            <Table.Td data-testid="provider-records">{row.records.toLocaleString()}</Table.Td>
            <Table.Td>{row.running}</Table.Td>
            <Table.Td>
              <Text size="sm" c={row.failing > 0 ? 'red.7' : undefined}>
                {row.failing}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
    </Stack>
  );
}

function Stat({ label, value, testId, alert }: { label: string; value: string; testId: string; alert?: boolean }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={alert ? 'red.7' : undefined} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}
