// Usage and cost of the workspace by provider, model, day or task type, as a chart and a table, with the
// newest attempts of the ledger below (fallbacks and failures included).
import { useState } from 'react';
import { Badge, Group, Paper, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { useWorkspaceKey } from '../../session.tsx';
import { getUsage, listAttempts, type UsageGroup } from './api.ts';
import { formatMetric, UsageChart, type ChartMetric } from './UsageChart.tsx';

const GROUPS: { value: UsageGroup; label: string }[] = [
  { value: 'provider', label: 'Provider' },
  { value: 'model', label: 'Model' },
  { value: 'day', label: 'Day' },
  { value: 'taskType', label: 'Task type' },
];
const METRICS: { value: ChartMetric; label: string }[] = [
  { value: 'costUsd', label: 'Cost (USD)' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'attempts', label: 'Attempts' },
];
const REFRESH_MS = 10_000;

export function UsageTab() {
  const workspace = useWorkspaceKey();
  const [groupBy, setGroupBy] = useState<UsageGroup>('provider');
  const [metric, setMetric] = useState<ChartMetric>('attempts');
  const usage = useQuery({ queryKey: ['ai', workspace, 'usage', groupBy], queryFn: () => getUsage(groupBy), refetchInterval: REFRESH_MS });
  const attempts = useQuery({ queryKey: ['ai', workspace, 'attempts'], queryFn: () => listAttempts(20), refetchInterval: REFRESH_MS });
  const totals = usage.data?.totals;

  return (
    <Stack gap="md">
      <Group gap="md">
        <SegmentedControl aria-label="Group by" value={groupBy} onChange={(value) => setGroupBy(value as UsageGroup)} data={GROUPS} />
        <SegmentedControl aria-label="Measure" value={metric} onChange={(value) => setMetric(value as ChartMetric)} data={METRICS} />
      </Group>
      <ErrorAlert error={usage.error ?? attempts.error} />
      <Paper withBorder p="md" radius="md">
        <Text size="sm" c="dimmed" mb="sm">
          {usage.data ? `${usage.data.from} – ${usage.data.to}` : 'Last 30 days'}
          {totals ? ` · ${totals.attempts} attempts · ${(totals.inputTokens + totals.outputTokens).toLocaleString()} tokens · ${formatMetric(totals.costUsd, 'costUsd')}` : ''}
          {totals?.cost.length ? ` (${totals.cost.map((entry) => `${entry.amount.toPrecision(3)} ${entry.currency}`).join(' + ')})` : ''}
        </Text>
        {usage.data && <UsageChart rows={usage.data.items} metric={metric} label="Usage chart" />}
      </Paper>
      <TableCard
        label="Recent AI attempts"
        loading={attempts.isPending}
        empty={attempts.data?.items.length === 0 ? <Text c="dimmed" p="md">No AI call yet.</Text> : undefined}
        head={
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Route / task</Table.Th>
            <Table.Th>Provider / model</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Tokens in / out</Table.Th>
            <Table.Th>Cost</Table.Th>
            <Table.Th>Latency</Table.Th>
          </Table.Tr>
        }
      >
        {(attempts.data?.items ?? []).map((attempt) => (
          <Table.Tr key={attempt.id}>
            <Table.Td>
              <TimeAgo at={attempt.createdAt} size="xs" />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{attempt.route}</Text>
              <Text size="xs" c="dimmed">
                {attempt.taskType} · #{attempt.attempt}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{attempt.provider}</Text>
              <Text size="xs" c="dimmed">
                {attempt.model}
              </Text>
            </Table.Td>
            <Table.Td>
              {attempt.success ? <Badge color="teal" variant="light">ok</Badge> : <Badge color={attempt.incomplete ? 'orange' : 'red'} variant="light">{attempt.errorClass ?? 'failed'}</Badge>}
              {attempt.fallbackReason && (
                <Text size="xs" c="dimmed" lineClamp={1} title={attempt.fallbackReason}>
                  after {attempt.fallbackReason}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              {attempt.inputTokens} / {attempt.outputTokens}
              {attempt.estimated ? ' (est.)' : ''}
              {attempt.images > 0 ? ` · ${attempt.images} image${attempt.images === 1 ? '' : 's'}` : ''}
            </Table.Td>
            <Table.Td>{attempt.cost === null ? <Text size="xs" c="orange">no price</Text> : `${attempt.cost} ${attempt.currency}`}</Table.Td>
            <Table.Td>
              {attempt.latencyMs} ms{attempt.firstTokenMs !== null ? ` (first token ${attempt.firstTokenMs} ms)` : ''}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
    </Stack>
  );
}
