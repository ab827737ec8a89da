// The integration's recent provider calls (actions, checks, proxy, refresh): when, what, how it went, how long.
import { Badge, Code, EmptyState, Stack, Table, Text } from '@mantine/core';
import type { Operation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { InboxIcon } from '../../icons.tsx';
import { useOperations } from './queries.ts';

function statusColor(status: number | null): string {
  if (status === null) return 'gray';
  if (status < 300) return 'green';
  if (status < 400) return 'blue';
  if (status === 429 || status < 500) return 'orange';
  return 'red';
}

/** The URL without its origin: the provider is known from the page, the path is what differs per call. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

export function OperationsTable({ integrationId }: { integrationId: string }) {
  const operations = useOperations(integrationId);
  const items = operations.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <ErrorAlert error={operations.error} title="Operations could not be loaded" />
      <TableCard
        label="Recent operations"
        loading={operations.isPending}
        hasMore={operations.hasNextPage}
        loadingMore={operations.isFetchingNextPage}
        onLoadMore={() => void operations.fetchNextPage()}
        empty={
          !operations.isError && items.length === 0 ? (
            <EmptyState py={40} icon={<InboxIcon size={26} />} title="No calls yet" description="Checks, actions and proxied requests to the provider are listed here." />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Operation</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Latency</Table.Th>
            <Table.Th ta="right">Attempts</Table.Th>
            <Table.Th>Error</Table.Th>
          </Table.Tr>
        }
      >
        {items.map((operation) => (
          <OperationRow key={operation.id} operation={operation} />
        ))}
      </TableCard>
    </Stack>
  );
}

function OperationRow({ operation }: { operation: Operation }) {
  return (
    <Table.Tr data-testid="operation" data-operation={operation.operation}>
      <Table.Td>
        <TimeAgo at={operation.createdAt} />
      </Table.Td>
      <Table.Td>
        <Code fz={12}>{operation.operation}</Code>
        <Text size="xs" c="dimmed" ff="monospace" truncate maw={320} title={operation.url} mt={2}>
          {pathOf(operation.url)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace" fw={600}>
          {operation.method}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={statusColor(operation.status)} variant="light" radius="sm" ff="monospace">
          {operation.status ?? 'none'}
        </Badge>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
          {operation.latencyMs.toLocaleString()} ms
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" c={operation.attempts > 1 ? 'orange.8' : undefined} fw={operation.attempts > 1 ? 600 : undefined}>
          {operation.attempts}
        </Text>
      </Table.Td>
      <Table.Td>
        {operation.errorCode ? (
          <Code fz={12} c="red.8">
            {operation.errorCode}
          </Code>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
