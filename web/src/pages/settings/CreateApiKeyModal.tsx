// Form to create an API key with a role (at most the creator's own) and scopes.
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createApiKey, ROLES, SCOPES, type ApiKey, type Role, type Scope } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { capitalize } from '../../format.ts';

// ROLES runs from most to least powerful; a key may not hold more power than the person creating it.
function grantableRoles(own: Role): Role[] {
  return ROLES.slice(ROLES.indexOf(own));
}

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  read: 'Read: list and fetch resources',
  write: 'Write: create, change and delete resources',
};

export function CreateApiKeyModal({
  opened,
  ownRole,
  onClose,
  onCreated,
}: {
  opened: boolean;
  ownRole: Role;
  onClose: () => void;
  onCreated: (result: { apiKey: ApiKey; key: string }) => void;
}) {
  const roles = grantableRoles(ownRole);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(roles.includes('member') ? 'member' : (roles[0] ?? 'member'));
  const [scopes, setScopes] = useState<Scope[]>([...SCOPES]);
  const mutation = useMutation({
    mutationFn: () => createApiKey({ name: name.trim(), role, scopes }),
    onSuccess: (result) => {
      onCreated(result);
      setName('');
      setScopes([...SCOPES]);
      mutation.reset();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Create API key">
      <form onSubmit={submit} aria-label="Create API key">
        <Stack gap="md">
          <ErrorAlert error={mutation.error} />
          <TextInput
            label="Name"
            description="Say where it is used, e.g. “n8n production”."
            required
            data-autofocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Select
            label="Role"
            description="What the key may do, like a member with this role."
            allowDeselect={false}
            data={roles.map((value) => ({ value, label: capitalize(value) }))}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
          />
          <Checkbox.Group
            label="Scopes"
            value={scopes}
            onChange={(value) => setScopes(value as Scope[])}
            error={scopes.length === 0 ? 'Choose at least one scope.' : undefined}
          >
            <Stack gap={6} mt={6}>
              {SCOPES.map((scope) => (
                <Checkbox key={scope} value={scope} label={SCOPE_DESCRIPTIONS[scope]} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={scopes.length === 0}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
