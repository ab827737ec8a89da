// Shown instead of the dashboard while the account still has a temporary password.
import { useState, type FormEvent } from 'react';
import { Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePassword, signOut } from '../api.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { notifySuccess } from '../notify.ts';

export function ChangePasswordPage({ email }: { email: string }) {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const change = useMutation({
    mutationFn: () => changePassword(currentPassword, newPassword),
    onSuccess: async () => {
      notifySuccess('Password changed.');
      await queryClient.invalidateQueries();
    },
  });
  const leave = useMutation({ mutationFn: signOut, onSettled: () => queryClient.resetQueries() });

  function submit(event: FormEvent) {
    event.preventDefault();
    // The only rule checked here; length and strength are the hub's to judge and explain.
    const differs = newPassword !== confirmation;
    setMismatch(differs);
    if (!differs) change.mutate();
  }

  return (
    <AuthCard
      title="Choose a new password"
      subtitle={
        <>
          <Text span size="sm" fw={500}>
            {email}
          </Text>{' '}
          signed in with a temporary password. Choose your own to continue.
        </>
      }
    >
      <form onSubmit={submit} aria-label="Choose a new password">
        <Stack gap="md">
          <ErrorAlert error={change.error} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => setNewPassword(event.currentTarget.value)}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            value={confirmation}
            error={mismatch ? 'The two new passwords differ.' : undefined}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
          />
          <Button type="submit" fullWidth loading={change.isPending}>
            Set new password
          </Button>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => leave.mutate()}>
            Sign out instead
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
