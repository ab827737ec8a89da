// One integration: its status and why, the provider account, its settings, its syncs and records, actions
// runnable from a generated form, and its recent provider calls.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Center, DataList, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ApiRequestError, startOAuth, type ConnectorDetail, type Integration } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fieldLabelOf, type JsonSchema } from '../../components/schema-form/schema.ts';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { formatDateTime } from '../../format.ts';
import { AlertIcon, ArrowLeftIcon } from '../../icons.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { linkProps, navigate, useSearch } from '../../router.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { ActionRunner } from './ActionRunner.tsx';
import { RunsPanel } from './custom/RunsPanel.tsx';
import { ConnectorLogo } from './ConnectorLogo.tsx';
import { CredentialHint } from './CredentialHint.tsx';
import { DisconnectModal } from './DisconnectModal.tsx';
import { EditIntegrationModal } from './EditIntegrationModal.tsx';
import { categoryLabel } from './labels.ts';
import { OperationsTable } from './OperationsTable.tsx';
import { INTEGRATIONS_PATH, integrationPath } from './paths.ts';
import { useConnector, useIntegration, useIntegrationsRefresh } from './queries.ts';
import { StatusLight } from './StatusLight.tsx';
import { SyncsPanel } from './syncs/SyncsPanel.tsx';
import { useTestIntegration } from './useTestIntegration.ts';

export function IntegrationPage({ integrationId }: { integrationId: string }) {
  const integration = useIntegration(integrationId);
  const connector = useConnector(integration.data?.connectorId);

  const back = (
    <Anchor {...linkProps(INTEGRATIONS_PATH)} size="sm" c="dimmed" mb="sm" display="inline-block">
      <Group gap={4} component="span">
        <ArrowLeftIcon size={14} />
        Integrations
      </Group>
    </Anchor>
  );

  if (integration.isPending) {
    return (
      <>
        {back}
        <Center p="xl">
          <Loader size="sm" aria-label="Loading the integration" />
        </Center>
      </>
    );
  }
  if (integration.isError) {
    // 400: the address holds no integration id at all (a hand-typed path); as good as not found.
    const gone = integration.error instanceof ApiRequestError && (integration.error.status === 404 || integration.error.status === 400);
    return (
      <>
        {back}
        <ErrorAlert
          error={gone ? new Error('No integration lives at this address: it was disconnected, or belongs to another workspace.') : integration.error}
          title={gone ? 'Integration not found' : 'The integration could not be loaded'}
        />
      </>
    );
  }
  return (
    <>
      {back}
      <IntegrationDetails integration={integration.data} connector={connector.data} />
    </>
  );
}

function IntegrationDetails({ integration, connector }: { integration: Integration; connector: ConnectorDetail | undefined }) {
  const session = useSession();
  const canManage = canManageWorkspace(session);
  const test = useTestIntegration();
  const [editing, setEditing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const oauth = connector?.authKind === 'oauth2';
  const refresh = useIntegrationsRefresh();

  // Re-authorising goes to the provider and comes back here with the outcome in the query string.
  const reconnect = useMutation({
    mutationFn: () => startOAuth(integration.connectorId, { integrationId: integration.id, returnTo: integrationPath(integration.id) }),
    onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
    onError: (error) => notifyError(`Could not reconnect ${integration.name}`, error),
  });
  const search = useSearch();
  // Development's double-run effects would announce the outcome twice.
  const announced = useRef<string | null>(null);
  useEffect(() => {
    if (announced.current === search) return;
    announced.current = search;
    const params = new URLSearchParams(search);
    const failure = params.get('oauthError');
    if (!params.has('integration') && failure === null) return;
    if (failure !== null) notifyError(`${integration.name} was not reconnected`, new Error(failure));
    else {
      notifySuccess(`${integration.name} was reconnected.`);
      void refresh();
    }
    navigate(window.location.pathname, { replace: true });
  }, [search, integration.name, refresh]);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group gap="md" wrap="nowrap">
          <ConnectorLogo svg={connector?.logo} title={connector?.title ?? integration.connectorId} size={48} />
          <div>
            <Title order={1} size="h2">
              {integration.name}
            </Title>
            <Group gap={8} mt={2}>
              <Text size="sm" c="dimmed">
                {connector?.title ?? integration.connectorId}
              </Text>
              {connector && (
                <Badge variant="default" tt="none" fw={500} radius="sm" size="sm">
                  {categoryLabel(connector.category)}
                </Badge>
              )}
            </Group>
          </div>
        </Group>
        <Group gap="sm">
          <Button variant="default" loading={test.isPending} onClick={() => test.mutate(integration)}>
            Test
          </Button>
          {canManage && oauth && (
            <Button variant="default" loading={reconnect.isPending} onClick={() => reconnect.mutate()}>
              Reconnect
            </Button>
          )}
          {canManage && (
            <>
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit
              </Button>
              <Button variant="light" color="red" onClick={() => setDisconnecting(true)}>
                Disconnect
              </Button>
            </>
          )}
        </Group>
      </Group>

      {integration.status !== 'connected' && (
        <Alert
          color={integration.status === 'expired' ? 'orange' : integration.status === 'error' ? 'red' : 'gray'}
          variant="light"
          icon={<AlertIcon />}
          title={integration.status === 'expired' ? 'The authorization has expired' : 'The last check failed'}
          data-testid="status-reason"
        >
          <Text size="sm">{integration.statusReason ?? 'No reason was recorded.'}</Text>
          {integration.status !== 'disconnected' && (
            <Text size="sm" c="dimmed" mt={4}>
              {integration.status === 'expired'
                ? 'Reconnect to grant access anew.'
                : 'Fix the settings or replace the credential with Edit, then Test again.'}
            </Text>
          )}
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        <InfoCard title="Status">
          <StatusLight status={integration.status} size="md" />
          <DataList size="sm" labelWidth={110} gap={6} mt="sm">
            <Item label="Last check">
              <TimeAgo at={integration.lastCheckedAt} />
            </Item>
            <Item label="Connected">
              <Text size="sm" title={formatDateTime(integration.createdAt)}>
                {formatDateTime(integration.createdAt)}
              </Text>
            </Item>
            {integration.tokenExpiresAt && (
              <Item label="Token expires">
                <TimeAgo at={integration.tokenExpiresAt} />
              </Item>
            )}
          </DataList>
        </InfoCard>
        <InfoCard title="Account">
          {integration.account ? (
            <DataList size="sm" labelWidth={110} gap={6} data-testid="account">
              <Item label="Name">
                <Text size="sm" fw={600}>
                  {integration.account.name}
                </Text>
              </Item>
              <Item label="ID">
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {integration.account.id}
                </Text>
              </Item>
              {Object.entries(integration.account.details ?? {}).map(([key, value]) => (
                <Item key={key} label={fieldLabelOf(key, {})}>
                  <Text size="sm" style={{ wordBreak: 'break-word' }}>
                    {value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)}
                  </Text>
                </Item>
              ))}
            </DataList>
          ) : (
            <Text size="sm" c="dimmed">
              The provider has not identified an account yet.
            </Text>
          )}
        </InfoCard>
        <InfoCard title="Settings">
          <DataList size="sm" labelWidth={128} gap={6} data-testid="settings">
            {Object.entries(integration.config).map(([key, value]) => (
              <Item key={key} label={fieldLabelOf(key, ((connector?.configSchema as JsonSchema | undefined)?.properties ?? {})[key] ?? {})}>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {typeof value === 'string' ? value : JSON.stringify(value)}
                </Text>
              </Item>
            ))}
            <Item label="Credential">
              <CredentialHint integration={integration} oauth={oauth} />
            </Item>
          </DataList>
        </InfoCard>
      </SimpleGrid>

      <SyncsPanel integration={integration} />

      <Paper withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb={4}>
          Actions
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Typed calls to {connector?.title ?? 'the provider'} through this integration. The same calls are available at{' '}
          <Text span ff="monospace" size="xs">
            POST /api/v1/integrations/{integration.id.slice(0, 8)}…/actions/:action
          </Text>
          .
        </Text>
        {connector ? (
          <ActionRunner integration={integration} actions={connector.actions} />
        ) : (
          <Loader size="sm" aria-label="Loading the actions" />
        )}
      </Paper>

      <RunsPanel integrationId={integration.id} defaultAction={connector?.defaultAction ?? null} />

      <div>
        <Title order={2} size="h4" mb="sm">
          Recent operations
        </Title>
        <OperationsTable integrationId={integration.id} />
      </div>

      <EditIntegrationModal integration={editing ? integration : null} onClose={() => setEditing(false)} />
      <DisconnectModal
        integration={disconnecting ? integration : null}
        onClose={() => setDisconnecting(false)}
        onDisconnected={() => navigate(INTEGRATIONS_PATH)}
      />
    </Stack>
  );
}

function InfoCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="lg">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed" mb="sm" style={{ letterSpacing: 0.4 }}>
        {title}
      </Text>
      {children}
    </Paper>
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
