// The header's right side: who is signed in, and signing out.
import { Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { signOut } from '../api.ts';
import { LogoutIcon } from '../icons.tsx';
import { notifyError } from '../notify.ts';
import { useSession } from '../session.tsx';

export function AccountControls() {
  const session = useSession();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: signOut,
    onSuccess: () => queryClient.resetQueries(),
    onError: (error) => notifyError('Could not sign out', error),
  });

  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" c="dimmed" visibleFrom="md" data-testid="current-user-email" title={session.user.name ?? undefined}>
        {session.user.email}
      </Text>
      <Button
        variant="default"
        size="xs"
        leftSection={<LogoutIcon size={16} />}
        loading={mutation.isPending}
        onClick={() => mutation.mutate()}
      >
        Sign out
      </Button>
    </Group>
  );
}
