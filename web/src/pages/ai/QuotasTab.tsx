// Quota settings (hard budgets per day and month in tokens and USD, per-minute limits, warning share) and
// how much of each the current day and month have used and reserved.
import { useEffect, useState } from 'react';
import { Button, Group, NumberInput, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { notifyError, notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { getQuota, updateQuota, type Quota, type QuotaSettings } from './api.ts';

const FIELDS: { key: keyof QuotaSettings; label: string; step?: number }[] = [
  { key: 'dailyTokens', label: 'Tokens per day' },
  { key: 'monthlyTokens', label: 'Tokens per month' },
  { key: 'dailyCostUsd', label: 'USD per day', step: 0.5 },
  { key: 'monthlyCostUsd', label: 'USD per month', step: 1 },
  { key: 'requestsPerMinute', label: 'Requests per minute' },
  { key: 'tokensPerMinute', label: 'Tokens per minute' },
];

export function QuotasTab() {
  const session = useSession();
  const workspace = session.workspace.id;
  const canEdit = canManageWorkspace(session);
  const queryClient = useQueryClient();
  const quota = useQuery({ queryKey: ['ai', workspace, 'quota'], queryFn: getQuota, refetchInterval: 10_000 });
  const [draft, setDraft] = useState<QuotaSettings | null>(null);
  useEffect(() => {
    if (quota.data && draft === null) setDraft(quota.data.settings);
  }, [quota.data, draft]);
  const save = useMutation({
    mutationFn: (settings: QuotaSettings) => updateQuota(settings),
    onSuccess: (saved) => {
      notifySuccess('Saved the AI quotas.');
      setDraft(saved.settings);
      queryClient.setQueryData(['ai', workspace, 'quota'], saved);
    },
    onError: (error) => notifyError('Could not save the quotas', error),
  });

  if (quota.error) return <ErrorAlert error={quota.error} />;
  if (!quota.data || !draft) return <Text c="dimmed">Loading quotas…</Text>;
  return (
    <Stack gap="lg" maw={900}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <PeriodCard title="Today" period={quota.data.day} />
        <PeriodCard title="This month" period={quota.data.month} />
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="sm">
          Limits
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Empty means unlimited. Each request reserves its worst case (prompt plus max tokens) before it is sent, so a budget is never overspent; over a budget the API answers 402 until it resets.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {FIELDS.map((field) => (
            <NumberInput
              key={field.key}
              label={field.label}
              placeholder="unlimited"
              min={0}
              step={field.step ?? 1}
              decimalScale={field.step ? 2 : 0}
              disabled={!canEdit}
              value={draft[field.key] ?? ''}
              onChange={(value) => setDraft({ ...draft, [field.key]: typeof value === 'number' && value > 0 ? value : null })}
            />
          ))}
          <NumberInput label="Warn at (%)" min={1} max={100} disabled={!canEdit} value={draft.warnPercent} onChange={(value) => setDraft({ ...draft, warnPercent: typeof value === 'number' ? value : 80 })} />
        </SimpleGrid>
        {canEdit && (
          <Group mt="md">
            <Button onClick={() => save.mutate(draft)} loading={save.isPending}>
              Save quotas
            </Button>
          </Group>
        )}
      </Paper>
    </Stack>
  );
}

function Meter({ label, used, reserved, limit, format }: { label: string; used: number; reserved: number; limit: number | null; format(value: number): string }) {
  const share = limit ? Math.min(100, (used / limit) * 100) : 0;
  const reservedShare = limit ? Math.min(100 - share, (reserved / limit) * 100) : 0;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="sm" c="dimmed">
          {format(used)}
          {reserved > 0 ? ` + ${format(reserved)} reserved` : ''} {limit !== null ? `of ${format(limit)}` : '(no limit)'}
        </Text>
      </Group>
      {limit !== null && (
        <Progress.Root size="lg" aria-label={`${label} used`}>
          <Progress.Section value={share} color={share >= 100 ? 'red' : share >= 80 ? 'orange' : 'blue'} />
          <Progress.Section value={reservedShare} color="gray" />
        </Progress.Root>
      )}
    </Stack>
  );
}

function PeriodCard({ title, period }: { title: string; period: Quota['day'] }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          resets {formatDateTime(period.resetsAt)}
        </Text>
      </Group>
      <Stack gap="sm">
        <Meter label="Tokens" {...period.tokens} format={(value) => Math.round(value).toLocaleString()} />
        <Meter label="Cost" {...period.costUsd} format={(value) => `$${value.toFixed(value < 1 ? 4 : 2)}`} />
      </Stack>
    </Paper>
  );
}
