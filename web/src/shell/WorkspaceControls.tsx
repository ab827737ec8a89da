// The header's workspace switcher and its "new workspace" action.
import { ActionIcon, Button, Group, Select } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { switchWorkspace } from '../api.ts';
import { capitalize } from '../format.ts';
import { PlusIcon } from '../icons.tsx';
import { notifyError, notifySuccess } from '../notify.ts';
import { useSession } from '../session.tsx';
import { NewWorkspaceModal } from './NewWorkspaceModal.tsx';

export function WorkspaceControls() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);

  const switching = useMutation({
    mutationFn: switchWorkspace,
    // Every cached answer was about the previous workspace; refetch all of it, the session first among them.
    onSuccess: () => queryClient.invalidateQueries(),
    onError: (error) => notifyError('Could not switch workspace', error),
  });

  function switchTo(workspaceId: string, announce?: string) {
    switching.mutate(workspaceId, { onSuccess: () => announce && notifySuccess(announce) });
  }

  const options = session.workspaces.map((workspace) => ({
    value: workspace.id,
    label: workspace.name,
    role: workspace.role,
  }));

  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        aria-label="Workspace"
        data-testid="workspace-switcher"
        w={{ base: 150, sm: 220 }}
        size="sm"
        allowDeselect={false}
        checkIconPosition="right"
        disabled={switching.isPending}
        value={session.workspace.id}
        data={options}
        renderOption={({ option }) => {
          const role = options.find((candidate) => candidate.value === option.value)?.role;
          return (
            <Group justify="space-between" w="100%" wrap="nowrap" gap="xs">
              <span>{option.label}</span>
              {role && <span style={{ color: 'var(--mantine-color-dimmed)', fontSize: 12 }}>{capitalize(role)}</span>}
            </Group>
          );
        }}
        onChange={(workspaceId) => {
          if (workspaceId && workspaceId !== session.workspace.id) switchTo(workspaceId);
        }}
      />
      <Button variant="subtle" size="sm" px="xs" leftSection={<PlusIcon size={16} />} onClick={openCreate} visibleFrom="sm">
        New workspace
      </Button>
      <ActionIcon variant="subtle" size="lg" aria-label="New workspace" onClick={openCreate} hiddenFrom="sm">
        <PlusIcon />
      </ActionIcon>
      <NewWorkspaceModal
        opened={creating}
        onClose={closeCreate}
        onCreated={(workspace) => {
          closeCreate();
          if (workspace.id) switchTo(workspace.id, `Switched to the new workspace “${workspace.name}”.`);
          else {
            notifySuccess(`Workspace “${workspace.name}” created.`);
            void queryClient.invalidateQueries();
          }
        }}
      />
    </Group>
  );
}
