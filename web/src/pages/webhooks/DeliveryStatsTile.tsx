// The overview tile: "✅ N successful ❌ M failed (last 24 h)", and what is still waiting.
import { Group, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../session.tsx';
import { getEventStats } from './api.ts';

export function DeliveryStatsTile() {
  const session = useSession();
  const stats = useQuery({ queryKey: ['webhooks', session.workspace.id, 'stats'], queryFn: getEventStats, refetchInterval: 10_000 });
  const data = stats.data;
  return (
    <Paper withBorder radius="md" p="md" mb="lg" data-testid="webhook-stats">
      <Group gap="xl" wrap="wrap">
        <Text fw={600} data-testid="webhook-stats-succeeded">
          ✅ {data?.succeeded ?? '…'} successful
        </Text>
        <Text fw={600} data-testid="webhook-stats-failed">
          ❌ {data?.failed ?? '…'} failed
        </Text>
        <Text c="dimmed" size="sm">
          (last 24 h{data && data.pending > 0 ? ` · ${data.pending} waiting to be delivered` : ''})
        </Text>
      </Group>
    </Paper>
  );
}
