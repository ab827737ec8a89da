// An integration's synced records: pick a model, search, filter by last change, page on with the cursor,
// open one record's change history; a banner says when the rows are the last good ones (`stale`).
import { useState } from 'react';
import { Alert, Badge, Button, Code, Drawer, EmptyState, Group, Loader, SegmentedControl, Select, Stack, Table, Text, TextInput, Timeline } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { IntegrationSync, RecordChange, SyncedRecord } from '../../../api.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { TableCard } from '../../../components/TableCard.tsx';
import { TimeAgo } from '../../../components/TimeAgo.tsx';
import { formatDateTime } from '../../../format.ts';
import { AlertIcon, InboxIcon, SearchIcon } from '../../../icons.tsx';
import { useRecordHistory, useRecords } from './queries.ts';

const CHANGE_COLORS: Record<RecordChange['kind'], string> = { added: 'teal', updated: 'blue', deleted: 'red' };
const ANY = 'any';

/** A record's one-line summary: its name-like fields first, else the start of its JSON. */
function summaryOf(data: unknown): string {
  if (data && typeof data === 'object') {
    const object = data as Record<string, unknown>;
    const named = ['name', 'title', 'email', 'subject', 'status'].map((key) => object[key]).filter((value) => typeof value === 'string' || typeof value === 'number');
    if (named.length) return named.slice(0, 2).join(' · ');
  }
  const text = JSON.stringify(data) ?? '';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function RecordsBrowser({ integrationId, syncs }: { integrationId: string; syncs: IntegrationSync[] }) {
  const models = [...new Set(syncs.map((sync) => sync.model))];
  const [model, setModel] = useState<string | null>(models[0] ?? null);
  const [searchInput, setSearchInput] = useState('');
  const [search] = useDebouncedValue(searchInput.trim(), 300);
  const [change, setChange] = useState<string>(ANY);
  const [opened, setOpened] = useState<SyncedRecord | null>(null);
  const records = useRecords(integrationId, { model, search, change: change === ANY ? null : (change as RecordChange['kind']) });
  const pages = records.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const first = pages[0];
  const filtered = search !== '' || change !== ANY;

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="Model"
          data={models.map((value) => ({ value, label: value }))}
          value={model}
          onChange={(value) => setModel(value)}
          placeholder="Every model"
          clearable
          w={200}
        />
        <TextInput
          label="Search"
          placeholder="Text in the record or its id"
          leftSection={<SearchIcon size={16} />}
          value={searchInput}
          onChange={(event) => setSearchInput(event.currentTarget.value)}
          w={280}
        />
        <SegmentedControl
          aria-label="Last change"
          value={change}
          onChange={setChange}
          data={[
            { value: ANY, label: 'All' },
            { value: 'added', label: 'Added' },
            { value: 'updated', label: 'Updated' },
            { value: 'deleted', label: 'Deleted' },
          ]}
        />
        {records.isFetching && !records.isPending && (
          <Text size="xs" c="dimmed" pb={8}>
            Refreshing…
          </Text>
        )}
      </Group>

      {first?.stale && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} title="Showing the last good data" data-testid="records-stale">
          <Text size="sm">{first.staleReason ?? 'The last run did not succeed.'}</Text>
          <Text size="sm" c="dimmed" mt={4}>
            Last successful sync: {first.lastSuccessAt ? formatDateTime(first.lastSuccessAt) : 'never'}. The records below are kept as they were then.
          </Text>
        </Alert>
      )}

      <ErrorAlert error={records.error} title="The records could not be loaded" />
      <TableCard
        label="Records"
        loading={records.isPending}
        hasMore={records.hasNextPage}
        loadingMore={records.isFetchingNextPage}
        onLoadMore={() => void records.fetchNextPage()}
        empty={
          !records.isError && items.length === 0 ? (
            <EmptyState
              py={40}
              icon={<InboxIcon size={28} />}
              title={filtered ? 'No records match' : 'No records yet'}
              description={filtered ? 'Clear the search or the change filter.' : 'Records appear here after a sync run; start one with "Sync now" on the Syncs tab.'}
              data-testid="records-empty"
            />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Record</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Last change</Table.Th>
            <Table.Th>Changed</Table.Th>
            <Table.Th aria-label="History" />
          </Table.Tr>
        }
      >
        {items.map((record) => (
          <Table.Tr key={`${record.model}:${record.externalId}`} data-testid="record-row" data-deleted={record.deleted || undefined}>
            <Table.Td maw={420}>
              <Text size="sm" ff="monospace" td={record.deleted ? 'line-through' : undefined}>
                {record.externalId}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1} title={summaryOf(record.data)}>
                {summaryOf(record.data)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{record.model}</Text>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={CHANGE_COLORS[record.lastChange]}>
                {record.lastChange}
              </Badge>
            </Table.Td>
            <Table.Td>
              <TimeAgo at={record.modifiedAt} />
            </Table.Td>
            <Table.Td>
              <Button size="xs" variant="subtle" onClick={() => setOpened(record)} aria-label={`History of ${record.externalId}`}>
                History
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>

      <RecordHistoryDrawer integrationId={integrationId} record={opened} onClose={() => setOpened(null)} />
    </Stack>
  );
}

function RecordHistoryDrawer({ integrationId, record, onClose }: { integrationId: string; record: SyncedRecord | null; onClose: () => void }) {
  const history = useRecordHistory(integrationId, record);
  const changes = history.data?.pages.flatMap((page) => page.items) ?? [];
  const current = history.data?.pages[0]?.record ?? record;
  return (
    <Drawer opened={record !== null} onClose={onClose} position="right" size="lg" title={record ? `${record.model} ${record.externalId}` : ''}>
      {current && (
        <Stack gap="md" data-testid="record-history">
          <Group gap="xs">
            <Badge variant="light" color={CHANGE_COLORS[current.lastChange]}>
              {current.lastChange}
            </Badge>
            <Text size="xs" c="dimmed">
              first seen {formatDateTime(current.firstSeenAt)} · changed {formatDateTime(current.modifiedAt)}
            </Text>
          </Group>
          <Code block style={{ maxHeight: 320, overflow: 'auto' }} data-testid="record-data">
            {JSON.stringify(current.data, null, 2)}
          </Code>
          <Text fw={600} size="sm">
            Changes
          </Text>
          <ErrorAlert error={history.error} title="The history could not be loaded" />
          {history.isPending ? (
            <Loader size="sm" aria-label="Loading the history" />
          ) : changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              No changes kept (older ones are pruned after the retention period).
            </Text>
          ) : (
            <Timeline active={changes.length} bulletSize={14} lineWidth={2}>
              {changes.map((item) => (
                <Timeline.Item key={item.id} color={CHANGE_COLORS[item.kind]} title={item.kind} data-testid="record-change">
                  <Text size="xs" c="dimmed">
                    {formatDateTime(item.changedAt)}
                    {item.runId ? ` · run …${item.runId.slice(-8)}` : ''}
                  </Text>
                  <Text size="xs" ff="monospace" c="dimmed">
                    {item.previousHash ? `${item.previousHash.slice(0, 12)} → ` : ''}
                    {item.contentHash ? item.contentHash.slice(0, 12) : '(deleted)'}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
          {history.hasNextPage && (
            <Button variant="subtle" size="xs" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
              Older changes
            </Button>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
