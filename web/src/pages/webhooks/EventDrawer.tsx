// One event: its payload, and per endpoint the delivery with every attempt (headers sent without secrets,
// the answer's first 4 KB, latency) and a replay button.
import { Accordion, Badge, Button, Code, Drawer, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { getEvent, replayDelivery, type Attempt, type Delivery } from './api.ts';
import { DeliveryStatusBadge, EventStatusBadge } from './labels.tsx';

export function EventDrawer({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const event = useQuery({
    queryKey: ['webhooks', session.workspace.id, 'event', eventId],
    queryFn: () => getEvent(eventId!),
    enabled: eventId !== null,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 2_000 : false),
  });
  const replay = useMutation({
    mutationFn: (delivery: Delivery) => replayDelivery(delivery.id),
    onSuccess: () => {
      notifySuccess('Sent again. The new attempt appears below.');
      void queryClient.invalidateQueries({ queryKey: ['webhooks', session.workspace.id] });
    },
    onError: (error) => notifyError('Could not replay the delivery', error),
  });
  const data = event.data;

  return (
    <Drawer opened={eventId !== null} onClose={onClose} position="right" size="xl" title={data ? data.type : 'Event'}>
      {event.isPending && eventId !== null && <Loader size="sm" aria-label="Loading the event" />}
      <ErrorAlert error={event.error} />
      {data && (
        <Stack gap="md" data-testid="event-detail">
          <Group gap="sm">
            <EventStatusBadge status={data.status} />
            <Text size="sm" c="dimmed">
              {data.source} · <TimeAgo at={data.createdAt} span /> · <Code>{data.id}</Code>
            </Text>
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Payload (version {data.version})
            </Text>
            <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
              {JSON.stringify(data.payload, null, 2)}
            </Code>
          </Stack>
          <Text size="sm" fw={500}>
            Deliveries
          </Text>
          {data.deliveryList.length === 0 && (
            <Text size="sm" c="dimmed">
              No endpoint’s filter matched this event.
            </Text>
          )}
          {data.deliveryList.map((delivery) => (
            <Stack key={delivery.id} gap="xs" data-testid="delivery" data-status={delivery.status} style={{ borderTop: '1px solid var(--mantine-color-gray-3)', paddingTop: 8 }}>
              <Group justify="space-between" wrap="nowrap">
                <Group gap="xs" wrap="nowrap">
                  <DeliveryStatusBadge status={delivery.status} />
                  <Text size="sm" truncate maw={380} title={delivery.endpointUrl}>
                    {delivery.endpointUrl}
                  </Text>
                </Group>
                {canManageWorkspace(session) && delivery.status !== 'held' && (
                  <Button size="xs" variant="light" loading={replay.isPending && replay.variables?.id === delivery.id} onClick={() => replay.mutate(delivery)}>
                    Replay
                  </Button>
                )}
              </Group>
              {delivery.lastError && (
                <Text size="xs" c="red.7">
                  {delivery.lastError}
                </Text>
              )}
              {delivery.status === 'pending' && delivery.nextAttemptAt && (
                <Text size="xs" c="dimmed">
                  Next attempt <TimeAgo at={delivery.nextAttemptAt} span size="xs" />
                </Text>
              )}
              <Attempts attempts={delivery.attempts} />
            </Stack>
          ))}
        </Stack>
      )}
    </Drawer>
  );
}

function Attempts({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No attempt yet.
      </Text>
    );
  }
  return (
    <Accordion variant="contained" chevronPosition="left" multiple>
      {attempts.map((attempt) => (
        <Accordion.Item key={attempt.id} value={attempt.id} data-testid="attempt" data-status={attempt.status ?? 'none'}>
          <Accordion.Control>
            <Group gap="sm" wrap="nowrap">
              <Text size="sm">#{attempt.attemptNumber}</Text>
              <Badge size="sm" variant="light" color={attempt.status !== null && attempt.status < 300 ? 'teal' : 'red'}>
                {attempt.status ?? attempt.errorCode}
              </Badge>
              <Text size="xs" c="dimmed">
                {attempt.latencyMs} ms · {attempt.trigger}
              </Text>
              <TimeAgo at={attempt.startedAt} size="xs" />
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <Stack gap="xs">
              {attempt.errorMessage && (
                <Text size="xs" c="red.7">
                  {attempt.errorMessage}
                </Text>
              )}
              <Text size="xs" fw={500}>
                Request headers (custom values hidden)
              </Text>
              <Table fz="xs" withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs">
                <Table.Tbody>
                  {Object.entries(attempt.requestHeaders).map(([name, value]) => (
                    <Table.Tr key={name}>
                      <Table.Td ff="monospace">{name}</Table.Td>
                      <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {value}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="xs" fw={500}>
                Response{attempt.status !== null ? ` ${attempt.status}` : ''} (first 4 KB)
              </Text>
              <Code block style={{ maxHeight: 160, overflow: 'auto', whiteSpace: 'pre-wrap' }} data-testid="attempt-response">
                {attempt.responseBody || '(empty)'}
              </Code>
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
