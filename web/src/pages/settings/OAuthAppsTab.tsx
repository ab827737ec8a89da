// The workspace's own OAuth apps ("bring your own OAuth app"): one client id and secret per OAuth
// connector, with the redirect URI to register at the provider. The secret is shown masked, never again.
import { useState, type FormEvent } from 'react';
import { Badge, Button, Checkbox, Code, Group, Modal, Paper, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deleteOAuthApp, getConnector, listConnectors, listOAuthApps, saveOAuthApp, type ConnectorSummary, type OAuthApp } from '../../api.ts';
import { AdminOnlyNotice } from '../../components/AdminOnlyNotice.tsx';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CopyTextButton } from '../../components/CopyTextButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { ConnectorLogo } from '../integrations/ConnectorLogo.tsx';

export function OAuthAppsTab() {
  const session = useSession();
  const queryClient = useQueryClient();
  const canManage = canManageWorkspace(session);
  const appsKey = ['oauth-apps', session.workspace.id];
  const catalog = useQuery({ queryKey: ['connectors', 'all'], queryFn: () => listConnectors(), staleTime: 5 * 60_000, enabled: canManage });
  const apps = useQuery({ queryKey: appsKey, queryFn: listOAuthApps, enabled: canManage });
  const oauthConnectors = (catalog.data?.items ?? []).filter((connector) => connector.authKind === 'oauth2');
  // Every OAuth connector shares the hub's one callback: any connector's description names it.
  const firstOAuth = oauthConnectors[0]?.id;
  const detail = useQuery({ queryKey: ['connector', firstOAuth], queryFn: () => getConnector(firstOAuth!), enabled: Boolean(firstOAuth) });
  const redirectUri = detail.data?.oauth?.redirectUri ?? apps.data?.items[0]?.redirectUri ?? null;
  const [editing, setEditing] = useState<ConnectorSummary | null>(null);
  const [removing, setRemoving] = useState<ConnectorSummary | null>(null);

  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: appsKey });
    void queryClient.invalidateQueries({ queryKey: ['audit-log', session.workspace.id] });
  };
  const remove = useMutation({
    mutationFn: (connector: ConnectorSummary) => deleteOAuthApp(connector.id),
    onSuccess: (_, connector) => {
      notifySuccess(`The OAuth app for ${connector.title} was removed.`);
      setRemoving(null);
      changed();
    },
  });

  if (!canManage) return <AdminOnlyNotice what="OAuth apps" />;
  const byConnector = new Map((apps.data?.items ?? []).map((app) => [app.connectorId, app]));

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Connectors that sign in with OAuth use this workspace's own app at the provider. Create one in the provider's
        developer settings, register the redirect URI below, and enter its client ID and secret here.
      </Text>
      {redirectUri && (
        <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-gray-0)">
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text size="sm">
              Redirect URI:{' '}
              <Code fz="sm" style={{ wordBreak: 'break-all' }} data-testid="oauth-apps-redirect-uri">
                {redirectUri}
              </Code>
            </Text>
            <CopyTextButton text={redirectUri} size="compact-sm" variant="default" />
          </Group>
        </Paper>
      )}
      <ErrorAlert error={catalog.error ?? apps.error} title="OAuth apps could not be loaded" />
      <TableCard
        label="OAuth apps"
        loading={catalog.isPending || apps.isPending}
        empty={!catalog.isPending && oauthConnectors.length === 0 ? <Text p="lg" size="sm" c="dimmed">No connector in the catalogue signs in with OAuth.</Text> : undefined}
        head={
          <Table.Tr>
            <Table.Th>Connector</Table.Th>
            <Table.Th>Client ID</Table.Th>
            <Table.Th>Client secret</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        }
      >
        {oauthConnectors.map((connector) => {
          const app = byConnector.get(connector.id);
          return (
            <Table.Tr key={connector.id} data-testid={`oauth-app-${connector.id}`}>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <ConnectorLogo svg={connector.logo} title={connector.title} size={28} />
                  <Text size="sm" fw={500}>
                    {connector.title}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>{app ? <Code>{app.clientId}</Code> : <Badge variant="light" color="gray">not set up</Badge>}</Table.Td>
              <Table.Td>{app ? app.clientSecret ? <Code>{app.clientSecret}</Code> : <Text size="sm" c="dimmed">none (public client)</Text> : null}</Table.Td>
              <Table.Td>{app ? <TimeAgo at={app.updatedAt} /> : null}</Table.Td>
              <Table.Td>
                <Group justify="flex-end" wrap="nowrap" gap="xs">
                  <Button size="xs" variant="light" aria-label={`${app ? 'Edit' : 'Set up'} the ${connector.title} app`} onClick={() => setEditing(connector)}>
                    {app ? 'Edit' : 'Set up'}
                  </Button>
                  {app && (
                    <Button size="xs" variant="subtle" color="red" aria-label={`Remove the ${connector.title} app`} onClick={() => setRemoving(connector)}>
                      Remove
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </TableCard>

      {editing && (
        <OAuthAppModal
          connector={editing}
          app={byConnector.get(editing.id) ?? null}
          onClose={() => setEditing(null)}
          onSaved={() => {
            notifySuccess(`The OAuth app for ${editing.title} was saved.`);
            setEditing(null);
            changed();
          }}
        />
      )}
      <ConfirmModal
        opened={removing !== null}
        title="Remove OAuth app"
        confirmLabel="Remove app"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        No new {removing?.title} connection can be made, and existing ones cannot refresh their tokens, until an app is
        entered again.
      </ConfirmModal>
    </Stack>
  );
}

function OAuthAppModal({ connector, app, onClose, onSaved }: { connector: ConnectorSummary; app: OAuthApp | null; onClose: () => void; onSaved: () => void }) {
  const [clientId, setClientId] = useState(app?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [publicClient, setPublicClient] = useState(app !== null && app.clientSecret === null);
  const save = useMutation({
    // An empty secret field keeps the stored secret (absent); "public client" removes it (null).
    mutationFn: () => saveOAuthApp(connector.id, { clientId: clientId.trim(), ...(publicClient ? { clientSecret: null } : clientSecret ? { clientSecret } : {}) }),
    onSuccess: onSaved,
  });
  const needsSecret = !publicClient && !app?.clientSecret && clientSecret === '';

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Modal opened onClose={onClose} title={`${connector.title} OAuth app`}>
      <form onSubmit={submit} aria-label={`${connector.title} OAuth app`}>
        <Stack gap="md">
          <ErrorAlert error={save.error} />
          <TextInput label="Client ID" required data-autofocus autoComplete="off" spellCheck={false} value={clientId} onChange={(event) => setClientId(event.currentTarget.value)} />
          <Checkbox
            label="Public client (no secret; PKCE protects the exchange)"
            checked={publicClient}
            onChange={(event) => setPublicClient(event.currentTarget.checked)}
          />
          {!publicClient && (
            <PasswordInput
              label="Client secret"
              description={app?.clientSecret ? `Stored: ${app.clientSecret}. Leave empty to keep it.` : 'Stored encrypted; only its last four characters are shown afterwards.'}
              autoComplete="new-password"
              spellCheck={false}
              value={clientSecret}
              onChange={(event) => setClientSecret(event.currentTarget.value)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={clientId.trim() === '' || needsSecret}>
              Save app
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
