// The workspace's integrations (seed 000's provider dashboard): status light, last check, account, masked
// key, and Test / Edit / Disconnect on each row.
import { useMemo, useState } from 'react';
import { Anchor, Button, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import type { ConnectorSummary, Integration } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { PlugIcon, PlusIcon } from '../../icons.tsx';
import { linkProps } from '../../router.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { ConnectorLogo } from './ConnectorLogo.tsx';
import { CredentialHint } from './CredentialHint.tsx';
import { DisconnectModal } from './DisconnectModal.tsx';
import { EditIntegrationModal } from './EditIntegrationModal.tsx';
import { CATALOG_PATH, integrationPath } from './paths.ts';
import { useCatalog, useIntegrations } from './queries.ts';
import { StatusLight } from './StatusLight.tsx';
import { useTestIntegration } from './useTestIntegration.ts';

export function IntegrationsListPage() {
  const session = useSession();
  // The hub lets owners and admins connect, edit and disconnect; members may look and test.
  const canManage = canManageWorkspace(session);
  const integrations = useIntegrations();
  const catalog = useCatalog();
  const test = useTestIntegration();
  const [editing, setEditing] = useState<Integration | null>(null);
  const [disconnecting, setDisconnecting] = useState<Integration | null>(null);

  const connectors = useMemo(() => new Map((catalog.data?.items ?? []).map((connector) => [connector.id, connector])), [catalog.data]);
  const items = integrations.data?.items ?? [];

  return (
    <Stack gap="md">
      <ErrorAlert error={integrations.error} title="Integrations could not be loaded" />
      <TableCard
        label="Integrations"
        loading={integrations.isPending}
        empty={
          !integrations.isError && items.length === 0 ? (
            <EmptyState
              py={56}
              icon={<PlugIcon size={28} />}
              title="No integrations yet"
              description="Connect a provider from the catalogue: its credential is checked, encrypted and then usable by actions, syncs and the proxy."
              data-testid="integrations-empty"
            >
              {canManage && (
                <EmptyState.Actions>
                  <Button leftSection={<PlusIcon size={16} />} {...linkProps(CATALOG_PATH)} component="a">
                    Browse the catalogue
                  </Button>
                </EmptyState.Actions>
              )}
            </EmptyState>
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Integration</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Credential</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>Last check</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        }
      >
        {items.map((integration) => (
          <IntegrationRow
            key={integration.id}
            integration={integration}
            connector={connectors.get(integration.connectorId)}
            canManage={canManage}
            testing={test.isPending && test.variables?.id === integration.id}
            onTest={() => test.mutate(integration)}
            onEdit={() => setEditing(integration)}
            onDisconnect={() => setDisconnecting(integration)}
          />
        ))}
      </TableCard>
      <EditIntegrationModal integration={editing} onClose={() => setEditing(null)} />
      <DisconnectModal integration={disconnecting} onClose={() => setDisconnecting(null)} />
    </Stack>
  );
}

function IntegrationRow({
  integration,
  connector,
  canManage,
  testing,
  onTest,
  onEdit,
  onDisconnect,
}: {
  integration: Integration;
  connector: ConnectorSummary | undefined;
  canManage: boolean;
  testing: boolean;
  onTest: () => void;
  onEdit: () => void;
  onDisconnect: () => void;
}) {
  const path = integrationPath(integration.id);
  return (
    <Table.Tr data-testid={`integration-${integration.id}`} data-name={integration.name}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <ConnectorLogo svg={connector?.logo} title={connector?.title ?? integration.connectorId} size={32} />
          <div>
            <Anchor {...linkProps(path)} fw={600} size="sm" c="dark">
              {integration.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {connector?.title ?? integration.connectorId}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td>
        <StatusLight status={integration.status} />
        {integration.statusReason && integration.status !== 'connected' && (
          <Text size="xs" c="dimmed" lineClamp={2} maw={260} title={integration.statusReason} mt={2}>
            {integration.statusReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {integration.account ? (
          <Text size="sm" truncate maw={200} title={integration.account.id === integration.account.name ? undefined : `ID ${integration.account.id}`}>
            {integration.account.name}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <CredentialHint integration={integration} oauth={connector?.authKind === 'oauth2'} />
      </Table.Td>
      <Table.Td>
        <TimeAgo at={integration.lastCheckedAt} />
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="default" loading={testing} onClick={onTest} aria-label={`Test ${integration.name}`}>
            Test
          </Button>
          {canManage && (
            <>
              <Button size="xs" variant="subtle" onClick={onEdit} aria-label={`Edit ${integration.name}`}>
                Edit
              </Button>
              <Button size="xs" variant="subtle" color="red" onClick={onDisconnect} aria-label={`Disconnect ${integration.name}`}>
                Disconnect
              </Button>
            </>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
