// An integration's status as a coloured light with its word: green connected, red error, orange expired, grey disconnected.
import { Box, Group, Text, Tooltip } from '@mantine/core';
import type { IntegrationStatus } from '../../api.ts';
import { STATUS_COLORS, STATUS_LABELS } from './labels.ts';

export function StatusLight({ status, reason, size = 'sm' }: { status: IntegrationStatus; reason?: string | null; size?: 'sm' | 'md' }) {
  const color = STATUS_COLORS[status];
  const dot = size === 'md' ? 12 : 10;
  const light = (
    <Group gap={8} wrap="nowrap" data-testid="integration-status" data-status={status}>
      <Box
        w={dot}
        h={dot}
        bg={`${color}.6`}
        aria-hidden="true"
        style={{
          borderRadius: '50%',
          flex: 'none',
          // A soft halo makes the colour readable at this size, also for the grey of "disconnected".
          boxShadow: `0 0 0 3px var(--mantine-color-${color}-1)`,
        }}
      />
      <Text size={size} fw={500} c={status === 'connected' ? undefined : `${color}.8`}>
        {STATUS_LABELS[status]}
      </Text>
    </Group>
  );
  if (!reason) return light;
  return (
    <Tooltip label={reason} multiline maw={360} withArrow>
      {light}
    </Tooltip>
  );
}
