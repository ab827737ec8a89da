// Syncs & Jobs: the workspace's background jobs with their progress, filtered by state and type, with retry and cancel.
import { useState } from 'react';
import { Button, EmptyState, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { cancelJob, JOB_STATES, listJobs, retryJob, type Job, type JobState } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TableCard } from '../components/TableCard.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { InboxIcon } from '../icons.tsx';
import { notifyError, notifySuccess } from '../notify.ts';
import { canManageWorkspace, useSession } from '../session.tsx';
import { JobProgressCell } from './jobs/JobProgressCell.tsx';
import { SyncRunsCard } from './jobs/SyncRunsCard.tsx';
import { jobStateLabel, JobStateBadge } from './jobs/JobStateBadge.tsx';

const PAGE_SIZE = 50;
const RETRYABLE: ReadonlySet<JobState> = new Set(['failed', 'cancelled']);
const CANCELLABLE: ReadonlySet<JobState> = new Set(['created', 'retry', 'active']);
// Poll fast while something is moving, slowly otherwise: progress should feel live without busy-polling idle hubs.
const LIVE_REFRESH_MS = 2_000;
const IDLE_REFRESH_MS = 15_000;

export function JobsPage() {
  const session = useSession();
  const workspaceKey = session.workspace.id;
  // The hub lets only owners and admins retry or cancel; members see the list without the buttons.
  const canManage = canManageWorkspace(session);
  const queryClient = useQueryClient();
  const [state, setState] = useState<JobState | null>(null);
  const [typeInput, setTypeInput] = useState('');
  const [type] = useDebouncedValue(typeInput.trim(), 300);

  const jobs = useInfiniteQuery({
    queryKey: ['jobs', workspaceKey, { state, type }],
    queryFn: ({ pageParam }) => listJobs({ state, type, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) => {
      const items = query.state.data?.pages.flatMap((page) => page.items) ?? [];
      return items.some((job) => CANCELLABLE.has(job.state)) ? LIVE_REFRESH_MS : IDLE_REFRESH_MS;
    },
  });

  const afterAction = (done: string, verb: string) => ({
    onSuccess: (_: unknown, job: Job) => {
      notifySuccess(`${done} the ${job.type} job.`);
      void queryClient.invalidateQueries({ queryKey: ['jobs', workspaceKey] });
    },
    onError: (error: unknown) => notifyError(`Could not ${verb} the job`, error),
  });
  const retry = useMutation({ mutationFn: (job: Job) => retryJob(job.id), ...afterAction('Retried', 'retry') });
  const cancel = useMutation({ mutationFn: (job: Job) => cancelJob(job.id), ...afterAction('Cancelled', 'cancel') });

  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = state !== null || type !== '';

  return (
    <>
      <PageHeader
        title="Syncs & Jobs"
        description="Background work in this workspace: sync runs, webhook deliveries, scrapes. Jobs that ran out of attempts wait in the dead letter until you retry them."
      />
      <Stack gap="md">
        <Group gap="sm" align="flex-end">
          <Select
            label="State"
            placeholder="All states"
            clearable
            w={220}
            value={state}
            data={JOB_STATES.map((value) => ({ value, label: jobStateLabel(value) }))}
            onChange={(value) => setState(value as JobState | null)}
          />
          <TextInput
            label="Type"
            placeholder="e.g. sync.run"
            w={220}
            value={typeInput}
            onChange={(event) => setTypeInput(event.currentTarget.value)}
          />
          {jobs.isFetching && !jobs.isPending && (
            <Text size="xs" c="dimmed" pb={8}>
              Refreshing…
            </Text>
          )}
        </Group>
        <SyncRunsCard workspaceKey={workspaceKey} canManage={canManage} />
        <ErrorAlert error={jobs.error} title="Jobs could not be loaded" />
        <TableCard
          label="Jobs"
          loading={jobs.isPending}
          hasMore={jobs.hasNextPage}
          loadingMore={jobs.isFetchingNextPage}
          onLoadMore={() => void jobs.fetchNextPage()}
          empty={
            !jobs.isError && items.length === 0 ? (
              <EmptyState
                py={48}
                icon={<InboxIcon size={28} />}
                title={filtered ? 'No jobs match these filters' : 'No jobs yet'}
                description={
                  filtered
                    ? 'Clear the state or type filter to see every job.'
                    : 'Jobs appear here when a sync runs, a webhook is delivered or a scrape starts.'
                }
                data-testid="jobs-empty"
              />
            ) : undefined
          }
          head={
            <Table.Tr>
              <Table.Th>Job</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Progress</Table.Th>
              <Table.Th>Attempt</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Finished</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          }
        >
          {items.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              canManage={canManage}
              busy={(retry.isPending && retry.variables?.id === job.id) || (cancel.isPending && cancel.variables?.id === job.id)}
              onRetry={() => retry.mutate(job)}
              onCancel={() => cancel.mutate(job)}
            />
          ))}
        </TableCard>
      </Stack>
    </>
  );
}

// A failed job's output is usually the error it ended with; show that, not the raw JSON.
function failureMessage(job: Job): string | null {
  if (job.state !== 'failed' && job.state !== 'retry') return null;
  const output = job.output as { message?: unknown } | string | null;
  if (typeof output === 'string') return output;
  if (output && typeof output.message === 'string') return output.message;
  return null;
}

function JobRow({
  job,
  canManage,
  busy,
  onRetry,
  onCancel,
}: {
  job: Job;
  canManage: boolean;
  busy: boolean;
  onRetry: () => void;
  onCancel: () => void;
}) {
  const failure = failureMessage(job);
  return (
    <Table.Tr data-testid={`job-${job.id}`}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {job.type}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace" title={job.id}>
          {job.id.slice(0, 8)}…
        </Text>
        {failure && (
          <Text size="xs" c="red.7" lineClamp={2} title={failure} maw={320}>
            {failure}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <JobStateBadge state={job.state} />
      </Table.Td>
      <Table.Td>
        <JobProgressCell job={job} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {job.attempt} / {job.maxAttempts}
        </Text>
      </Table.Td>
      <Table.Td>
        <TimeAgo at={job.createdAt} />
      </Table.Td>
      <Table.Td>
        <TimeAgo at={job.finishedAt} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {canManage && RETRYABLE.has(job.state) && (
            <Button size="xs" variant="light" loading={busy} onClick={onRetry} data-testid={`retry-${job.id}`}>
              Retry
            </Button>
          )}
          {canManage && CANCELLABLE.has(job.state) && (
            <Button size="xs" variant="default" loading={busy} onClick={onCancel} data-testid={`cancel-${job.id}`}>
              Cancel
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
