// One sync of an integration: status, "Sync now", the schedule editor (frequency override, pause), the last
// run with its counts and error, the next run, and a dead-letter badge with Retry.
import { useState, type ReactNode } from 'react';
import { Badge, Button, DataList, Group, Paper, Progress, Switch, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { describeError, retrySyncRun, runIntegrationSync, updateIntegrationSync, type Integration, type IntegrationSync } from '../../../api.ts';
import { TimeAgo } from '../../../components/TimeAgo.tsx';
import { formatDuration } from '../../../format.ts';
import { notifyError, notifySuccess } from '../../../notify.ts';
import { ACTIVE_SYNC_STATUSES, useSyncDataRefresh } from './queries.ts';

export const SYNC_STATUS_COLORS: Record<IntegrationSync['status'], string> = {
  never_run: 'gray',
  queued: 'gray',
  running: 'blue',
  retrying: 'yellow',
  completed: 'teal',
  failed: 'red',
  dead: 'red',
  cancelled: 'gray',
};

export function syncStatusLabel(status: IntegrationSync['status']): string {
  return status === 'never_run' ? 'never run' : status === 'dead' ? 'dead-lettered' : status;
}

export function SyncCard({ integration, sync, canManage }: { integration: Integration; sync: IntegrationSync; canManage: boolean }) {
  const refresh = useSyncDataRefresh(integration.id);
  const active = ACTIVE_SYNC_STATUSES.has(sync.status);
  const run = sync.lastRun;

  const runNow = useMutation({
    mutationFn: () => runIntegrationSync(integration.id, sync.name),
    onSuccess: () => {
      notifySuccess(`${sync.title} sync started.`);
      refresh();
    },
    onError: (error) => notifyError(`Could not start the ${sync.title} sync`, error),
  });
  const retry = useMutation({
    mutationFn: (runId: string) => retrySyncRun(runId),
    onSuccess: () => {
      notifySuccess(`${sync.title} run queued again; it resumes from its checkpoint.`);
      refresh();
    },
    onError: (error) => notifyError(`Could not retry the ${sync.title} run`, error),
  });

  return (
    <Paper withBorder radius="md" p="md" data-testid={`sync-${sync.name}`} aria-label={`${sync.title} sync`} component="article">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <div>
          <Group gap={8}>
            <Text fw={600}>{sync.title}</Text>
            <Badge variant="default" tt="none" fw={500} radius="sm" size="sm">
              {sync.model}
            </Badge>
            <Badge variant="light" color={SYNC_STATUS_COLORS[sync.status]} data-testid="sync-status" data-status={sync.status}>
              {syncStatusLabel(sync.status)}
            </Badge>
            {sync.paused && (
              <Badge variant="outline" color="gray">
                paused
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed" mt={2}>
            {sync.description} {sync.incremental ? 'Incremental: each run continues from the last one.' : 'Full: each run reads everything.'}
          </Text>
        </div>
        <Group gap="xs">
          {run && (sync.status === 'dead' || sync.status === 'failed' || sync.status === 'cancelled') && (
            <Button variant="light" color={sync.status === 'dead' ? 'red' : undefined} loading={retry.isPending} onClick={() => retry.mutate(run.id)}>
              Retry run
            </Button>
          )}
          <Button loading={runNow.isPending} disabled={active} onClick={() => runNow.mutate()}>
            {active ? 'Running…' : 'Sync now'}
          </Button>
        </Group>
      </Group>

      {run && active && (
        <div data-testid="sync-progress">
          <Progress mt="sm" value={run.progress.percentage ?? 100} striped={run.progress.percentage === null} animated aria-label="Sync progress" />
          <Text size="xs" c="dimmed" mt={4}>
            {[
              run.status === 'retrying' && run.nextAttemptAt ? `attempt ${run.attempt + 1} of ${run.maxAttempts} soon` : run.progress.step,
              `${run.progress.processed.toLocaleString()}${run.progress.total !== null ? ` / ${run.progress.total.toLocaleString()}` : ''} processed`,
              run.progress.etaSeconds !== null ? `ETA ${formatDuration(run.progress.etaSeconds)}` : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </div>
      )}

      <DataList size="sm" labelWidth={120} gap={6} mt="md">
        <Item label="Records">
          <Text size="sm" data-testid="sync-records-count">
            {sync.recordsCount.toLocaleString()}
          </Text>
        </Item>
        <Item label="Last run">
          {run ? (
            <Group gap={8} wrap="wrap">
              <TimeAgo at={run.finishedAt ?? run.startedAt ?? run.createdAt} />
              <Text size="sm" data-testid="sync-last-counts">
                +{run.counts.added} added · {run.counts.updated} updated · {run.counts.deleted} deleted
              </Text>
              <Text size="xs" c="dimmed">
                ({run.trigger}
                {run.durationMs !== null ? `, ${formatDuration(run.durationMs / 1000)}` : ''})
              </Text>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              Never run
            </Text>
          )}
        </Item>
        <Item label="Last success">
          <TimeAgo at={sync.lastSuccessAt} />
        </Item>
        <Item label="Next run">
          {sync.paused ? (
            <Text size="sm" c="dimmed">
              Paused: only manual runs
            </Text>
          ) : (
            <TimeAgo at={sync.nextRunAt} />
          )}
        </Item>
        {sync.lastError && (
          <Item label="Last error">
            <Text size="sm" c="red.7" style={{ wordBreak: 'break-word' }} data-testid="sync-last-error">
              {sync.lastError}
            </Text>
          </Item>
        )}
      </DataList>

      <ScheduleEditor integration={integration} sync={sync} canManage={canManage} />
    </Paper>
  );
}

function ScheduleEditor({ integration, sync, canManage }: { integration: Integration; sync: IntegrationSync; canManage: boolean }) {
  const refresh = useSyncDataRefresh(integration.id);
  const [draft, setDraft] = useState(sync.frequencyOverride ?? '');
  const update = useMutation({
    mutationFn: (input: { frequency?: string | null; paused?: boolean }) => updateIntegrationSync(integration.id, sync.name, input),
    onSuccess: (saved, input) => {
      setDraft(saved.frequencyOverride ?? '');
      notifySuccess(
        input.paused !== undefined
          ? `${sync.title} ${saved.paused ? 'paused' : 'resumed'}.`
          : `${sync.title} now runs ${saved.frequencyOverride ? `on "${saved.frequency}"` : `on its default schedule (${saved.frequency})`}.`,
      );
      refresh();
    },
    onError: (error) => notifyError(`Could not change the ${sync.title} schedule`, error),
  });
  const trimmed = draft.trim();
  const changed = trimmed !== (sync.frequencyOverride ?? '');

  return (
    <Group mt="md" gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label="Frequency"
        description={`Cron (UTC) or "every 15m|1h|1d". Default: ${sync.defaultFrequency}`}
        placeholder={sync.defaultFrequency}
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        disabled={!canManage}
        w={360}
        error={update.isError && update.variables?.frequency !== undefined ? describeError(update.error) : undefined}
      />
      {canManage && (
        <>
          <Button variant="default" disabled={!changed} loading={update.isPending && update.variables?.frequency !== undefined} onClick={() => update.mutate({ frequency: trimmed || null })}>
            Save schedule
          </Button>
          {sync.frequencyOverride && (
            <Button variant="subtle" onClick={() => update.mutate({ frequency: null })}>
              Use default
            </Button>
          )}
        </>
      )}
      <Switch
        label="Scheduled runs"
        checked={!sync.paused}
        disabled={!canManage || (update.isPending && update.variables?.paused !== undefined)}
        onChange={(event) => update.mutate({ paused: !event.currentTarget.checked })}
        mb={8}
      />
      <Text size="xs" c="dimmed" mb={10}>
        In force: {sync.frequency}
        {sync.frequencyOverride ? ' (override)' : ' (default)'}
      </Text>
    </Group>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}
