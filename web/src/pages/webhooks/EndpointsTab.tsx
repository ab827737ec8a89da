// The workspace's endpoints with their health, and everything done to one: add, edit, test, pause or
// resume (re-enabling offers to replay what failed), rotate the secret, replay failures, delete.
import { useState } from 'react';
import { Badge, Button, Code, EmptyState, Group, Menu, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SecretRevealModal } from '../../components/SecretRevealModal.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { PlusIcon, WebhookIcon } from '../../icons.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { deleteEndpoint, listEndpoints, pauseEndpoint, replayFailed, resumeEndpoint, rotateSecret, testEndpoint, type Endpoint, type TestResult } from './api.ts';
import { EndpointFormModal } from './EndpointFormModal.tsx';
import { EndpointStateBadge, percent } from './labels.tsx';
import { ReplayFailedModal } from './ReplayFailedModal.tsx';
import { SecretIntro } from './SecretNotice.tsx';
import { TestResultModal } from './TestResultModal.tsx';

interface Revealed {
  url: string;
  secret: string;
  rotated: boolean;
  warnings: string[];
}

export function EndpointsTab() {
  const session = useSession();
  const canManage = canManageWorkspace(session);
  const queryClient = useQueryClient();
  const queryKey = ['webhooks', session.workspace.id, 'endpoints'];
  const endpoints = useQuery({ queryKey, queryFn: listEndpoints, refetchInterval: 10_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks', session.workspace.id] });

  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [tested, setTested] = useState<{ endpoint: Endpoint; result: TestResult } | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [rotating, setRotating] = useState<Endpoint | null>(null);
  const [replaying, setReplaying] = useState<{ endpoint: Endpoint; since: string; count: number | null } | null>(null);

  const test = useMutation({
    mutationFn: (endpoint: Endpoint) => testEndpoint(endpoint.id),
    onSuccess: (result, endpoint) => {
      setTested({ endpoint, result });
      void refresh();
    },
    onError: (error) => notifyError('The test event could not be sent', error),
  });
  const pause = useMutation({
    mutationFn: (endpoint: Endpoint) => pauseEndpoint(endpoint.id),
    onSuccess: (_, endpoint) => {
      notifySuccess(`Paused ${endpoint.url}: events wait until you resume it.`);
      void refresh();
    },
    onError: (error) => notifyError('Could not pause the endpoint', error),
  });
  const resume = useMutation({
    mutationFn: (endpoint: Endpoint) => resumeEndpoint(endpoint.id),
    onSuccess: (result, endpoint) => {
      notifySuccess(result.released > 0 ? `Resumed: ${result.released} waiting deliveries are on their way.` : `${endpoint.url} receives events again.`);
      if (result.replayable && result.replayable.count > 0) setReplaying({ endpoint: result.endpoint, since: result.replayable.since, count: result.replayable.count });
      void refresh();
    },
    onError: (error) => notifyError('Could not resume the endpoint', error),
  });
  const remove = useMutation({
    mutationFn: (endpoint: Endpoint) => deleteEndpoint(endpoint.id),
    onSuccess: (_, endpoint) => {
      notifySuccess(`Deleted ${endpoint.url}.`);
      setDeleting(null);
      void refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (endpoint: Endpoint) => rotateSecret(endpoint.id, 24),
    onSuccess: (result) => {
      setRotating(null);
      setRevealed({ url: result.endpoint.url, secret: result.secret, rotated: true, warnings: [] });
      void refresh();
    },
  });
  const replay = useMutation({
    mutationFn: (input: { endpoint: Endpoint; since: string }) => replayFailed(input.endpoint.id, input.since),
    onSuccess: (result) => {
      notifySuccess(result.queued > 0 ? `${result.queued} failed deliveries are being sent again.` : 'Nothing failed in that period.');
      setReplaying(null);
      void refresh();
    },
  });

  const items = endpoints.data?.items ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Each endpoint receives the events its filter matches, signed with its own secret (Standard Webhooks).
        </Text>
        {canManage && (
          <Button leftSection={<PlusIcon size={16} />} onClick={() => setEditing('new')}>
            Add endpoint
          </Button>
        )}
      </Group>
      <ErrorAlert error={endpoints.error} title="Endpoints could not be loaded" />
      <TableCard
        label="Webhook endpoints"
        loading={endpoints.isPending}
        empty={
          !endpoints.isError && items.length === 0 ? (
            <EmptyState
              py={48}
              icon={<WebhookIcon size={28} />}
              title="No endpoints yet"
              description="Add an n8n, Zapier or Make webhook, or any HTTPS URL, to receive this workspace’s events."
              data-testid="endpoints-empty"
            />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Endpoint</Table.Th>
            <Table.Th>Events</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Success (24 h)</Table.Th>
            <Table.Th>Last delivery</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        }
      >
        {items.map((endpoint) => (
          <Table.Tr key={endpoint.id} data-testid="endpoint-row" data-url={endpoint.url}>
            <Table.Td maw={360}>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" fw={500} truncate title={endpoint.url}>
                  {endpoint.url}
                </Text>
                {endpoint.preset !== 'generic' && (
                  <Badge size="xs" variant="outline" tt="none">
                    {endpoint.preset}
                  </Badge>
                )}
              </Group>
              {endpoint.description && (
                <Text size="xs" c="dimmed" truncate>
                  {endpoint.description}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {endpoint.eventTypes.map((type) => (
                  <Code key={type}>{type}</Code>
                ))}
              </Group>
            </Table.Td>
            <Table.Td>
              <EndpointStateBadge endpoint={endpoint} />
              {endpoint.health.pending > 0 && (
                <Text size="xs" c="dimmed">
                  {endpoint.health.pending} waiting
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Tooltip label={`${endpoint.health.succeeded24h} of ${endpoint.health.attempts24h} attempts succeeded`}>
                <Text size="sm" data-testid="endpoint-success-rate">
                  {percent(endpoint.health.successRate24h)}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <TimeAgo at={endpoint.health.lastAttemptAt} />
                {endpoint.health.lastStatus !== null && (
                  <Badge size="xs" variant="light" color={endpoint.health.lastStatus < 300 ? 'teal' : 'red'}>
                    {endpoint.health.lastStatus}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              {canManage && (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="light"
                    loading={test.isPending && test.variables?.id === endpoint.id}
                    onClick={() => test.mutate(endpoint)}
                    aria-label={`Send a test event to ${endpoint.url}`}
                  >
                    Test
                  </Button>
                  {endpoint.state === 'enabled' ? (
                    <Button size="xs" variant="default" loading={pause.isPending && pause.variables?.id === endpoint.id} onClick={() => pause.mutate(endpoint)}>
                      Pause
                    </Button>
                  ) : (
                    <Button size="xs" variant="default" loading={resume.isPending && resume.variables?.id === endpoint.id} onClick={() => resume.mutate(endpoint)}>
                      {endpoint.state === 'disabled' ? 'Re-enable' : 'Resume'}
                    </Button>
                  )}
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button size="xs" variant="subtle" aria-label={`More actions for ${endpoint.url}`}>
                        More
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setEditing(endpoint)}>Edit</Menu.Item>
                      <Menu.Item onClick={() => setRotating(endpoint)}>Rotate signing secret</Menu.Item>
                      <Menu.Item
                        onClick={() => setReplaying({ endpoint, since: endpoint.failingSince ?? new Date(Date.now() - 86_400_000).toISOString(), count: null })}
                      >
                        Replay failed deliveries…
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item color="red" onClick={() => setDeleting(endpoint)}>
                        Delete
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableCard>

      <EndpointFormModal
        endpoint={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={(result) => {
          setEditing(null);
          void refresh();
          if (result.secret) setRevealed({ url: result.endpoint.url, secret: result.secret, rotated: false, warnings: result.warnings });
          else notifySuccess(result.warnings.length > 0 ? `Saved. ${result.warnings.join(' ')}` : 'Endpoint saved.');
        }}
      />
      <SecretRevealModal
        title={revealed?.rotated ? 'Signing secret rotated' : 'Endpoint added'}
        intro={revealed ? <SecretIntro url={revealed.url} rotated={revealed.rotated} warnings={revealed.warnings} /> : null}
        secret={revealed?.secret ?? null}
        secretTestId="new-signing-secret"
        onClose={() => setRevealed(null)}
      />
      <TestResultModal tested={tested} onClose={() => setTested(null)} />
      <ReplayFailedModal
        replaying={replaying}
        pending={replay.isPending}
        error={replay.error}
        onReplay={(since) => replaying && replay.mutate({ endpoint: replaying.endpoint, since })}
        onClose={() => {
          setReplaying(null);
          replay.reset();
        }}
      />
      <ConfirmModal
        opened={rotating !== null}
        title="Rotate signing secret"
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        error={rotate.error}
        onConfirm={() => rotating && rotate.mutate(rotating)}
        onClose={() => {
          setRotating(null);
          rotate.reset();
        }}
      >
        A new secret is shown once. For 24 hours deliveries carry signatures with both the old and the new secret, so the receiver
        can switch over without missing one.
      </ConfirmModal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete endpoint"
        confirmLabel="Delete endpoint"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        <b>{deleting?.url}</b> will receive nothing more, and its signing secret is forgotten. Its past deliveries stay in the event log.
      </ConfirmModal>
    </Stack>
  );
}
