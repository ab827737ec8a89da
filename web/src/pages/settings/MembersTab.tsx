// Members of the workspace: who they are, their role, adding, re-roling and removing them.
import { useState } from 'react';
import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { changeMemberRole, listMembers, removeMember, type Member, type Role } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SecretRevealModal } from '../../components/SecretRevealModal.tsx';
import { TableCard } from '../../components/TableCard.tsx';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { PlusIcon } from '../../icons.tsx';
import { notifyError, notifySuccess } from '../../notify.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { AddMemberModal } from './AddMemberModal.tsx';
import { ROLE_OPTIONS, RoleBadge } from './RoleBadge.tsx';

export function MembersTab() {
  const session = useSession();
  const queryClient = useQueryClient();
  const queryKey = ['members', session.workspace.id];
  const canManage = canManageWorkspace(session);
  const [adding, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  const [newAccount, setNewAccount] = useState<{ email: string; password: string } | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const members = useQuery({ queryKey, queryFn: listMembers });
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) => changeMemberRole(member.userId, role),
    onSuccess: (_, { member, role }) => {
      notifySuccess(`${member.email} is now ${role === 'admin' ? 'an' : 'a'} ${role}.`);
      void refresh();
    },
    onError: (error) => notifyError('Could not change the role', error),
  });
  const remove = useMutation({
    mutationFn: (member: Member) => removeMember(member.userId),
    onSuccess: (_, member) => {
      notifySuccess(`${member.email} was removed from the workspace.`);
      setRemoving(null);
      void refresh();
    },
  });

  const items = members.data?.items ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {members.data ? `${items.length} ${items.length === 1 ? 'member' : 'members'} in ${session.workspace.name}` : ' '}
        </Text>
        {canManage && (
          <Button leftSection={<PlusIcon size={16} />} onClick={openAdd}>
            Add member
          </Button>
        )}
      </Group>
      <ErrorAlert error={members.error} title="Members could not be loaded" />
      <TableCard
        label="Members"
        loading={members.isPending}
        head={
          <Table.Tr>
            <Table.Th>Member</Table.Th>
            <Table.Th w={180}>Role</Table.Th>
            <Table.Th>Joined</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        }
      >
        {items.map((member) => {
          const isSelf = member.userId === session.user.id;
          return (
            <Table.Tr key={member.userId} data-testid={`member-${member.email}`}>
              <Table.Td>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {member.name || member.email}
                  </Text>
                  {isSelf && (
                    <Badge size="xs" variant="outline" color="gray">
                      you
                    </Badge>
                  )}
                </Group>
                {member.name && (
                  <Text size="xs" c="dimmed">
                    {member.email}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {/* Changing one's own role could lock the workspace out; the hub decides, the UI does not offer it. */}
                {canManage && !isSelf ? (
                  <Select
                    aria-label={`Role of ${member.email}`}
                    size="xs"
                    w={140}
                    allowDeselect={false}
                    data={ROLE_OPTIONS}
                    value={member.role}
                    disabled={changeRole.isPending && changeRole.variables?.member.userId === member.userId}
                    onChange={(role) => role && role !== member.role && changeRole.mutate({ member, role: role as Role })}
                  />
                ) : (
                  <RoleBadge role={member.role} />
                )}
              </Table.Td>
              <Table.Td>
                <TimeAgo at={member.createdAt} />
              </Table.Td>
              <Table.Td>
                <Group justify="flex-end">
                  {canManage && !isSelf && (
                    <Button size="xs" variant="subtle" color="red" aria-label={`Remove ${member.email}`} onClick={() => setRemoving(member)}>
                      Remove
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </TableCard>

      <AddMemberModal
        opened={adding}
        onClose={closeAdd}
        onAdded={({ member, temporaryPassword }) => {
          closeAdd();
          void refresh();
          if (temporaryPassword) setNewAccount({ email: member.email, password: temporaryPassword });
          else notifySuccess(`${member.email} was added to the workspace.`);
        }}
      />
      <SecretRevealModal
        title="Temporary password"
        intro={
          <>
            An account was created for <b>{newAccount?.email}</b>. Pass this temporary password on; they choose their own
            at first sign-in.
          </>
        }
        secret={newAccount?.password ?? null}
        secretTestId="temporary-password"
        onClose={() => setNewAccount(null)}
      />
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove member"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        <b>{removing?.email}</b> will lose access to {session.workspace.name}. Their account stays, with any other workspaces.
      </ConfirmModal>
    </Stack>
  );
}
