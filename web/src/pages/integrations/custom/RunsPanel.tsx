// An integration's runs (POST /api/v1/integrations/:id/run): start one with its default action and an input, and
// follow the history: status, Livy batch state for Spark jobs, output or error, the end of a Spark log, cancel.
import { useState } from 'react';
import { Badge, Button, Code, Group, JsonInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { TimeAgo } from '../../../components/TimeAgo.tsx';
import { notifyError } from '../../../notify.ts';
import { useWorkspaceKey } from '../../../session.tsx';
import { ACTIVE_RUN_STATUSES, cancelRun, listRuns, startRun, type Run } from './api.ts';

const STATUS_COLORS: Record<Run['status'], string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'dark' };
// While a run is under way its row is refreshed this often.
const ACTIVE_REFRESH_MS = 1_500;

export function RunsPanel({ integrationId, defaultAction }: { integrationId: string; defaultAction: string | null }) {
  const key = ['runs', useWorkspaceKey(), integrationId];
  const queryClient = useQueryClient();
  const runs = useQuery({
    queryKey: key,
    queryFn: () => listRuns(integrationId),
    refetchInterval: (query) => (query.state.data?.items.some((run) => ACTIVE_RUN_STATUSES.has(run.status)) ? ACTIVE_REFRESH_MS : false),
  });
  const [input, setInput] = useState('{}');
  const start = useMutation({
    mutationFn: () => startRun(integrationId, { input: JSON.parse(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const cancel = useMutation({
    mutationFn: (run: Run) => cancelRun(integrationId, run.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
    onError: (error) => notifyError('Could not cancel the run', error),
  });
  let validInput = true;
  try {
    JSON.parse(input);
  } catch {
    validInput = false;
  }

  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={2} size="h4" mb={4}>
        Runs
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {defaultAction ? `Run starts ${defaultAction} as a background job` : 'Run starts a background job'} (n8n workflows return their answer; Spark jobs are followed to their end).
      </Text>
      <Group align="flex-end" gap="sm" mb="md">
        <JsonInput label="Run input (JSON)" value={input} onChange={setInput} autosize minRows={2} w={{ base: '100%', sm: 420 }} validationError="Not valid JSON" />
        <Button disabled={!validInput} loading={start.isPending} onClick={() => start.mutate()}>
          Run now
        </Button>
      </Group>
      {start.isError && <ErrorAlert error={start.error} title="The run was not started" />}
      {runs.isError && <ErrorAlert error={runs.error} title="The runs could not be loaded" />}
      {runs.data && runs.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          No runs yet.
        </Text>
      )}
      {runs.data && runs.data.items.length > 0 && (
        <Table aria-label="Runs" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Status</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.items.map((run) => (
              <Table.Tr key={run.id} data-testid="run-row" data-status={run.status}>
                <Table.Td>
                  <Badge color={STATUS_COLORS[run.status]} variant="light" tt="none">
                    {run.status}
                  </Badge>
                  {run.externalState && (
                    <Text size="xs" c="dimmed" mt={2}>
                      batch {run.externalId}: {run.externalState}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code fz={11}>{run.action}</Code>
                  {run.connectorVersion !== null && (
                    <Text size="xs" c="dimmed">
                      v{run.connectorVersion}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <TimeAgo at={run.startedAt ?? run.createdAt} />
                </Table.Td>
                <Table.Td maw={420}>
                  <RunResult run={run} />
                </Table.Td>
                <Table.Td>
                  {ACTIVE_RUN_STATUSES.has(run.status) && (
                    <Button size="xs" variant="default" loading={cancel.isPending && cancel.variables?.id === run.id} onClick={() => cancel.mutate(run)}>
                      Cancel
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function RunResult({ run }: { run: Run }) {
  if (run.error) {
    return (
      <Text size="xs" c="red" style={{ wordBreak: 'break-word' }}>
        {run.error}
      </Text>
    );
  }
  return (
    <Stack gap={4}>
      {run.output !== null && (
        <Code block fz={11} style={{ maxHeight: 160, overflow: 'auto' }} data-testid="run-output">
          {JSON.stringify(run.output, null, 2)}
        </Code>
      )}
      {run.log && run.log.length > 0 && (
        <Code block fz={10} style={{ maxHeight: 120, overflow: 'auto' }}>
          {run.log.slice(-20).join('\n')}
        </Code>
      )}
    </Stack>
  );
}
