// The sync runs on the Syncs & Jobs page: running ones with progress bars, queued, retrying, failed and
// dead-lettered ones (a badge), with retry and cancel; filtered by status, and to one integration on its page.
import { useState } from 'react';
import { Badge, Button, Group, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { cancelSyncRun, listSyncRuns, retrySyncRun, type SyncRun } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';

const STATUSES = ['queued', 'running', 'retrying', 'completed', 'failed', 'dead', 'cancelled'] as const;
const ACTIVE = new Set(['queued', 'running', 'retrying']);
const COLORS: Record<string, string> = { queued: 'gray', running: 'blue', retrying: 'yellow', completed: 'green', failed: 'red', dead: 'red', cancelled: 'gray' };

export function SyncRunsCard({ workspaceKey, canManage, integrationId }: { workspaceKey: string; canManage: boolean; integrationId?: string }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const runs = useInfiniteQuery({
    queryKey: ['sync-runs', workspaceKey, { status, integrationId }],
    queryFn: ({ pageParam }) => listSyncRuns({ status, integrationId, cursor: pageParam, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) => ((query.state.data?.pages.flatMap((page) => page.items) ?? []).some((run) => ACTIVE.has(run.status)) ? 2_000 : 15_000),
  });
  const after = (done: string) => ({
    onSuccess: (run: SyncRun) => {
      notifySuccess(`${done} the ${run.sync} sync run.`);
      void queryClient.invalidateQueries({ queryKey: ['sync-runs', workspaceKey] });
    },
    onError: (error: unknown) => notifyError(`Could not change the sync run`, error),
  });
  const retry = useMutation({ mutationFn: (run: SyncRun) => retrySyncRun(run.id), ...after('Retried') });
  const cancel = useMutation({ mutationFn: (run: SyncRun) => cancelSyncRun(run.id), ...after('Cancelled') });
  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const dead = items.filter((run) => run.status === 'dead').length;

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Group gap="xs">
          <Text fw={600}>Sync runs</Text>
          {dead > 0 && (
            <Badge color="red" data-testid="dead-letter-badge">
              {dead} dead-lettered
            </Badge>
          )}
        </Group>
        <Select
          aria-label="Sync run status"
          placeholder="Any status"
          clearable
          data={STATUSES.map((value) => ({ value, label: value }))}
          value={status}
          onChange={setStatus}
          w={180}
        />
      </Group>
      <ErrorAlert error={runs.error} title="Sync runs could not be loaded" />
      <TableCard
        label="Sync runs"
        loading={runs.isPending}
        hasMore={runs.hasNextPage}
        loadingMore={runs.isFetchingNextPage}
        onLoadMore={() => void runs.fetchNextPage()}
        empty={!runs.isError && items.length === 0 ? <Text c="dimmed" p="md">No sync runs yet.</Text> : undefined}
        head={
          <Table.Tr>
            <Table.Th>Sync</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Progress</Table.Th>
            <Table.Th>Changes</Table.Th>
            <Table.Th>Attempt</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        }
      >
        {items.map((run) => (
          <Table.Tr key={run.id} data-testid="sync-run-row">
            <Table.Td>
              <Text size="sm">{run.sync}</Text>
              <Text size="xs" c="dimmed">
                {run.model} · {run.trigger}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge color={COLORS[run.status] ?? 'gray'} variant="light">
                {run.status}
              </Badge>
              {run.error && (
                <Text size="xs" c="red" maw={320} lineClamp={2} title={run.error}>
                  {run.error}
                </Text>
              )}
            </Table.Td>
            <Table.Td miw={160}>
              <Progress value={run.progress.percentage ?? (run.status === 'running' ? 5 : 0)} animated={run.status === 'running'} />
              <Text size="xs" c="dimmed">
                {run.progress.processed}
                {run.progress.total !== null ? ` / ${run.progress.total}` : ''}
                {run.progress.step ? ` · ${run.progress.step}` : ''}
                {run.progress.etaSeconds !== null ? ` · ${run.progress.etaSeconds} s left` : ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="xs">
                +{run.counts.added} ~{run.counts.updated} −{run.counts.deleted}
              </Text>
            </Table.Td>
            <Table.Td>
              {run.attempt} / {run.maxAttempts}
            </Table.Td>
            <Table.Td><TimeAgo at={run.startedAt} /></Table.Td>
            <Table.Td>
              {canManage && (
                <Group gap={4} justify="flex-end">
                  {ACTIVE.has(run.status) && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => cancel.mutate(run)} loading={cancel.isPending && cancel.variables?.id === run.id}>
                      Cancel
                    </Button>
                  )}
                  {['failed', 'dead', 'cancelled'].includes(run.status) && (
                    <Button size="xs" variant="subtle" onClick={() => retry.mutate(run)} loading={retry.isPending && retry.variables?.id === run.id}>
                      Retry
                    </Button>
                  )}
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
    </Stack>
  );
}
