// The AI providers with their health over the last hour: latency, error rate, breakers, cooldowns, last error.
import { Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { useWorkspaceKey } from '../../session.tsx';
import { listProviders } from './api.ts';
import { BreakerBadge, HealthBadge } from './HealthBadge.tsx';

const REFRESH_MS = 10_000;

export function ProvidersTab() {
  const workspace = useWorkspaceKey();
  const providers = useQuery({ queryKey: ['ai', workspace, 'providers'], queryFn: listProviders, refetchInterval: REFRESH_MS });
  const items = providers.data?.items ?? [];
  return (
    <Stack gap="md">
      <ErrorAlert error={providers.error} />
      <TableCard
        label="AI providers"
        loading={providers.isPending}
        head={
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th miw={150}>Health</Table.Th>
            <Table.Th>Latency p50 / p95</Table.Th>
            <Table.Th>Error rate</Table.Th>
            <Table.Th>Breakers</Table.Th>
            <Table.Th>Last error</Table.Th>
          </Table.Tr>
        }
      >
        {items.map((provider) => (
          <Table.Tr key={provider.id}>
            <Table.Td>
              <Text fw={600}>{provider.title}</Text>
              <Text size="xs" c="dimmed">
                {provider.integrations.length === 0 ? 'no integration' : provider.integrations.map((integration) => `${integration.name} (${integration.cooldown ? `cooling down: ${integration.cooldown.reason}` : integration.status})`).join(', ')}
              </Text>
            </Table.Td>
            <Table.Td>
              <HealthBadge health={provider.health} />
            </Table.Td>
            <Table.Td>{provider.latencyMs.p50 === null ? '—' : `${provider.latencyMs.p50} / ${provider.latencyMs.p95} ms`}</Table.Td>
            <Table.Td>{provider.errorRate === null ? '—' : `${Math.round(provider.errorRate * 1000) / 10} % of ${provider.attempts}`}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {provider.breakers.map((breaker) => (
                  <BreakerBadge key={breaker.model} model={breaker.model} state={breaker.state} />
                ))}
              </Group>
            </Table.Td>
            <Table.Td maw={320}>
              {provider.lastError ? (
                <Stack gap={0}>
                  <TimeAgo at={provider.lastError.at} size="xs" />
                  <Text size="xs" title={provider.lastError.message ?? undefined} lineClamp={2}>
                    {provider.lastError.class}: {provider.lastError.message}
                  </Text>
                </Stack>
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
    </Stack>
  );
}
