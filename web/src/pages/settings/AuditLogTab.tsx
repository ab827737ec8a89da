// The workspace's audit log: who did what to which resource, newest first, filtered by action.
import { useState } from 'react';
import { Badge, Code, EmptyState, Group, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { listAuditLog, type AuditEntry } from '../../api.ts';
import { AdminOnlyNotice } from '../../components/AdminOnlyNotice.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { canManageWorkspace, useSession } from '../../session.tsx';

const PAGE_SIZE = 50;

function metadataText(metadata: unknown): string | null {
  if (metadata === null || metadata === undefined) return null;
  if (typeof metadata === 'object' && Object.keys(metadata).length === 0) return null;
  return JSON.stringify(metadata);
}

export function AuditLogTab() {
  const session = useSession();
  const canView = canManageWorkspace(session);
  const [actionInput, setActionInput] = useState('');
  const [action] = useDebouncedValue(actionInput.trim(), 300);

  const entries = useInfiniteQuery({
    queryKey: ['audit-log', session.workspace.id, { action }],
    queryFn: ({ pageParam }) => listAuditLog({ action, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: canView,
  });
  if (!canView) return <AdminOnlyNotice what="Audit log entries" />;
  const items = entries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <TextInput
        label="Action"
        placeholder="api_key.created, or a prefix: api_key.*"
        description="An exact action, or a prefix ending in *."
        w={280}
        value={actionInput}
        onChange={(event) => setActionInput(event.currentTarget.value)}
      />
      <ErrorAlert error={entries.error} title="The audit log could not be loaded" />
      <TableCard
        label="Audit log"
        loading={entries.isPending}
        hasMore={entries.hasNextPage}
        loadingMore={entries.isFetchingNextPage}
        onLoadMore={() => void entries.fetchNextPage()}
        empty={
          !entries.isError && items.length === 0 ? (
            <EmptyState
              py={48}
              title={action ? 'No entries for this action' : 'Nothing recorded yet'}
              description={
                action ? 'Check the spelling, or end a prefix with *, e.g. api_key.*.' : 'Changes to members, keys and settings are recorded here.'
              }
              data-testid="audit-log-empty"
            />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>IP</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        }
      >
        {items.map((entry) => (
          <AuditRow key={entry.id} entry={entry} />
        ))}
      </TableCard>
    </Stack>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const details = metadataText(entry.metadata);
  return (
    <Table.Tr data-testid="audit-entry" data-action={entry.action}>
      <Table.Td>
        <TimeAgo at={entry.createdAt} />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Badge size="xs" variant="light" color={entry.actorType === 'user' ? 'blue' : 'gray'} tt="none">
            {entry.actorType}
          </Badge>
          <Text size="sm" truncate maw={220} title={entry.actorLabel ?? undefined}>
            {entry.actorLabel ?? '—'}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td>
        <Code>{entry.action}</Code>
      </Table.Td>
      <Table.Td>
        {entry.targetType ? (
          <Text size="sm">
            {entry.targetType}
            {entry.targetId && (
              <Text span size="xs" c="dimmed" ff="monospace" title={entry.targetId}>
                {' '}
                {entry.targetId.length > 12 ? `${entry.targetId.slice(0, 8)}…` : entry.targetId}
              </Text>
            )}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" c={entry.ip ? undefined : 'dimmed'}>
          {entry.ip ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        {details ? (
          <Tooltip label={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(entry.metadata, null, 2)}</pre>} multiline maw={420}>
            <Text size="xs" ff="monospace" c="dimmed" truncate maw={260}>
              {details}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
