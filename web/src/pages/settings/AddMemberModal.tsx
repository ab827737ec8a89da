// Form to add a person to the workspace; a new account gets a temporary password the caller shows once.
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { addMember, type Member, type Role } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ROLE_OPTIONS } from './RoleBadge.tsx';

export function AddMemberModal({
  opened,
  onClose,
  onAdded,
}: {
  opened: boolean;
  onClose: () => void;
  onAdded: (result: { member: Member; temporaryPassword: string | null }) => void;
}) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const mutation = useMutation({
    mutationFn: () => addMember({ email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) }),
    onSuccess: (result) => {
      onAdded(result);
      setEmail('');
      setName('');
      setRole('member');
      mutation.reset();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Add member">
      <form onSubmit={submit} aria-label="Add member">
        <Stack gap="md">
          <ErrorAlert error={mutation.error} />
          <TextInput
            label="Email"
            type="email"
            required
            data-autofocus
            description="Someone without an account gets one, with a temporary password you pass on."
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <TextInput label="Name" placeholder="Optional" value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <Select
            label="Role"
            allowDeselect={false}
            data={ROLE_OPTIONS}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Add member
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
