// The event log (time, event type, status ✅/❌): filters by type, connector, status, time and payload
// text, export of what the filters show, and each event's deliveries and attempts in a drawer.
import { useState } from 'react';
import { Anchor, Button, EmptyState, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { InboxIcon } from '../../icons.tsx';
import { useSession } from '../../session.tsx';
import { EVENT_STATUSES, exportUrl, listEvents, type EventFilter, type EventStatus } from './api.ts';
import { EventDrawer } from './EventDrawer.tsx';
import { EventStatusBadge, eventStatusLabel } from './labels.tsx';

const PAGE_SIZE = 50;

/** A datetime-local value as an ISO time the API accepts, or undefined. */
function isoFrom(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function EventLogTab() {
  const session = useSession();
  const [typeInput, setTypeInput] = useState('');
  const [connectorInput, setConnectorInput] = useState('');
  const [searchInput, setSearchInput] = useState('');
  const [status, setStatus] = useState<EventStatus | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [openEvent, setOpenEvent] = useState<string | null>(null);
  const [debounced] = useDebouncedValue({ type: typeInput.trim(), connectorId: connectorInput.trim(), q: searchInput.trim() }, 300);
  const filter: EventFilter = { ...debounced, status, from: isoFrom(from), to: isoFrom(to) };

  const events = useInfiniteQuery({
    queryKey: ['webhooks', session.workspace.id, 'events', filter],
    queryFn: ({ pageParam }) => listEvents({ ...filter, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) => {
      const items = query.state.data?.pages.flatMap((page) => page.items) ?? [];
      return items.some((event) => event.status === 'pending') ? 2_000 : 10_000;
    },
  });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filter).some((value) => value !== undefined && value !== null && value !== '');

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput label="Event type" placeholder="sync.* or sync.completed" w={200} value={typeInput} onChange={(e) => setTypeInput(e.currentTarget.value)} />
        <TextInput label="Connector" placeholder="e.g. resend" w={150} value={connectorInput} onChange={(e) => setConnectorInput(e.currentTarget.value)} />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          w={170}
          value={status}
          data={EVENT_STATUSES.map((value) => ({ value, label: eventStatusLabel(value) }))}
          onChange={(value) => setStatus(value as EventStatus | null)}
        />
        <TextInput label="From" type="datetime-local" w={200} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label="To" type="datetime-local" w={200} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <TextInput label="Search payloads" placeholder="order id, email…" w={200} value={searchInput} onChange={(e) => setSearchInput(e.currentTarget.value)} />
        <Group gap="xs" pb={2}>
          <Button component="a" href={exportUrl(filter, 'csv')} download variant="default" size="sm">
            Export CSV
          </Button>
          <Button component="a" href={exportUrl(filter, 'json')} download variant="default" size="sm">
            Export JSON
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={events.error} title="The event log could not be loaded" />
      <TableCard
        label="Event log"
        loading={events.isPending}
        hasMore={events.hasNextPage}
        loadingMore={events.isFetchingNextPage}
        onLoadMore={() => void events.fetchNextPage()}
        empty={
          !events.isError && items.length === 0 ? (
            <EmptyState
              py={48}
              icon={<InboxIcon size={28} />}
              title={filtered ? 'No events match these filters' : 'No events yet'}
              description={filtered ? 'Clear a filter to see more.' : 'Events appear when integrations connect, syncs run, providers call in or you send a test event.'}
              data-testid="events-empty"
            />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Event type</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Deliveries</Table.Th>
          </Table.Tr>
        }
      >
        {items.map((event) => (
          <Table.Tr key={event.id} data-testid="event-row" data-type={event.type} data-status={event.status} style={{ cursor: 'pointer' }} onClick={() => setOpenEvent(event.id)}>
            <Table.Td>
              <TimeAgo at={event.createdAt} />
            </Table.Td>
            <Table.Td>
              <Anchor component="button" type="button" size="sm" fw={500} onClick={() => setOpenEvent(event.id)}>
                {event.type}
              </Anchor>
              {event.connectorId && (
                <Text size="xs" c="dimmed">
                  {event.connectorId}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{event.source}</Text>
            </Table.Td>
            <Table.Td>
              <EventStatusBadge status={event.status} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                {event.deliveries.succeeded}/{event.deliveries.total}
                {event.deliveries.failed > 0 ? ` · ${event.deliveries.failed} failed` : ''}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>
      <EventDrawer eventId={openEvent} onClose={() => setOpenEvent(null)} />
    </Stack>
  );
}
