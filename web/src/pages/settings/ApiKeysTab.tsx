// API keys of the workspace: create one (its secret shown once), see when each was used, revoke.
import { useState } from 'react';
import { Badge, Button, Code, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listApiKeys, revokeApiKey, type ApiKey } from '../../api.ts';
import { AdminOnlyNotice } from '../../components/AdminOnlyNotice.tsx';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SecretRevealModal } from '../../components/SecretRevealModal.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { PlusIcon } from '../../icons.tsx';
import { notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { CreateApiKeyModal } from './CreateApiKeyModal.tsx';
import { RoleBadge } from './RoleBadge.tsx';

function isExpired(key: ApiKey): boolean {
  return key.expiresAt !== null && new Date(key.expiresAt).getTime() <= Date.now();
}

export function ApiKeysTab() {
  const session = useSession();
  const queryClient = useQueryClient();
  const queryKey = ['api-keys', session.workspace.id];
  const canManage = canManageWorkspace(session);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const keys = useQuery({ queryKey, queryFn: listApiKeys, enabled: canManage });
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => revokeApiKey(key.id),
    onSuccess: (_, key) => {
      notifySuccess(`API key “${key.name}” was revoked.`);
      setRevoking(null);
      void refresh();
      void queryClient.invalidateQueries({ queryKey: ['audit-log', session.workspace.id] });
    },
  });

  if (!canManage) return <AdminOnlyNotice what="API keys" />;

  const items = keys.data?.items ?? [];
  // Live keys first, each group newest first: revoked keys stay visible for the record but out of the way.
  const sorted = [...items].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Programs call the API with <Code>Authorization: Bearer sb_…</Code>. A key acts with its role and scopes.
        </Text>
        <Button leftSection={<PlusIcon size={16} />} onClick={openCreate}>
          Create API key
        </Button>
      </Group>
      <ErrorAlert error={keys.error} title="API keys could not be loaded" />
      <TableCard
        label="API keys"
        loading={keys.isPending}
        empty={
          !keys.isError && items.length === 0 ? (
            <EmptyState
              py={48}
              title="No API keys yet"
              description="Create one for each program that calls this workspace’s API, so each can be revoked alone."
              data-testid="api-keys-empty"
            />
          ) : undefined
        }
        head={
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Scopes</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th aria-label="Status and actions" />
          </Table.Tr>
        }
      >
        {sorted.map((key) => {
          const revoked = key.revokedAt !== null;
          const expired = !revoked && isExpired(key);
          return (
            <Table.Tr
              key={key.id}
              data-testid={`api-key-${key.id}`}
              data-revoked={revoked || undefined}
              style={revoked ? { opacity: 0.55 } : undefined}
            >
              <Table.Td>
                <Text size="sm" fw={500} td={revoked ? 'line-through' : undefined}>
                  {key.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{key.prefix}…</Code>
              </Table.Td>
              <Table.Td>
                <RoleBadge role={key.role} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {key.scopes.map((scope) => (
                    <Badge key={scope} size="sm" variant="outline" color="gray" tt="none">
                      {scope}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <TimeAgo at={key.createdAt} />
              </Table.Td>
              <Table.Td>
                {key.lastUsedAt ? <TimeAgo at={key.lastUsedAt} /> : <Text size="sm" c="dimmed">never</Text>}
              </Table.Td>
              <Table.Td>
                {key.expiresAt ? <TimeAgo at={key.expiresAt} /> : <Text size="sm" c="dimmed">never</Text>}
              </Table.Td>
              <Table.Td>
                <Group justify="flex-end" wrap="nowrap">
                  {revoked ? (
                    <Badge color="gray" variant="filled" title={`Revoked ${new Date(key.revokedAt ?? '').toLocaleString()}`}>
                      revoked
                    </Badge>
                  ) : expired ? (
                    <Badge color="orange" variant="light">
                      expired
                    </Badge>
                  ) : null}
                  {!revoked && (
                    <Button size="xs" variant="subtle" color="red" aria-label={`Revoke ${key.name}`} onClick={() => setRevoking(key)}>
                      Revoke
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </TableCard>

      <CreateApiKeyModal
        opened={creating}
        ownRole={session.role}
        onClose={closeCreate}
        onCreated={({ apiKey, key }) => {
          closeCreate();
          setCreated({ name: apiKey.name, key });
          void refresh();
          void queryClient.invalidateQueries({ queryKey: ['audit-log', session.workspace.id] });
        }}
      />
      <SecretRevealModal
        title="API key created"
        intro={
          <>
            This is the key <b>{created?.name}</b>. Send it as <Code>Authorization: Bearer …</Code> from the program that
            uses it.
          </>
        }
        secret={created?.key ?? null}
        secretTestId="new-api-key"
        onClose={() => setCreated(null)}
      />
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key"
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Programs using <b>{revoking?.name}</b> (<Code>{revoking?.prefix}…</Code>) will be refused from now on. This cannot be
        undone.
      </ConfirmModal>
    </Stack>
  );
}
