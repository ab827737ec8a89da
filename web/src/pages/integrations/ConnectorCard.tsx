// One connector in the marketplace: logo, title, category, what it does, and whether this workspace uses it.
import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { ConnectorSummary } from '../../api.ts';
import { PlusIcon } from '../../icons.tsx';
import { ConnectorLogo } from './ConnectorLogo.tsx';
import { authKindLabel, categoryLabel } from './labels.ts';

export function ConnectorCard({
  connector,
  connectedCount,
  onConnect,
}: {
  connector: ConnectorSummary;
  connectedCount: number;
  /** Unset for members: connecting is for owners and admins. */
  onConnect: (() => void) | undefined;
}) {
  return (
    <Card withBorder radius="md" padding="lg" h="100%" data-testid={`connector-${connector.id}`} aria-label={connector.title} component="article">
      <Stack gap="sm" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" align="center">
            <ConnectorLogo svg={connector.logo} title={connector.title} size={40} />
            <Stack gap={2}>
              <Text fw={650} lh={1.25}>
                {connector.title}
              </Text>
              <Text size="xs" c="dimmed">
                {authKindLabel(connector.authKind)} · {connector.actions.length} {connector.actions.length === 1 ? 'action' : 'actions'}
              </Text>
            </Stack>
          </Group>
          {connectedCount > 0 && (
            <Badge color="green" variant="light" tt="none" data-testid="connected-badge" style={{ flex: 'none' }}>
              {connectedCount > 1 ? `${connectedCount} connected` : 'Connected'}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed" lineClamp={3} style={{ flex: 1 }}>
          {connector.description}
        </Text>
        <Group justify="space-between" mt={4}>
          <Badge variant="default" tt="none" fw={500} radius="sm">
            {categoryLabel(connector.category)}
          </Badge>
          {onConnect && (
            <Button
              size="xs"
              variant={connectedCount > 0 ? 'default' : 'light'}
              leftSection={<PlusIcon size={14} />}
              onClick={onConnect}
              aria-label={`Connect ${connector.title}`}
            >
              {connectedCount > 0 ? 'Add another' : 'Connect'}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
