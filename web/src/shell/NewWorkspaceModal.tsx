// Form to create a workspace; the slug follows the name until someone edits it.
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createWorkspace } from '../api.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { slugify } from '../format.ts';

// The hub's answer is read loosely: the contract promises the workspace, not the envelope around it.
function createdWorkspaceId(response: unknown): string | undefined {
  const body = response as { id?: unknown; workspace?: { id?: unknown } } | undefined;
  const id = body?.workspace?.id ?? body?.id;
  return typeof id === 'string' ? id : undefined;
}

export function NewWorkspaceModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (workspace: { id: string | undefined; name: string }) => void;
}) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const mutation = useMutation({
    mutationFn: () => createWorkspace({ name: name.trim(), slug }),
    onSuccess: (response) => {
      onCreated({ id: createdWorkspaceId(response), name: name.trim() });
      setName('');
      setSlug('');
      setSlugEdited(false);
      mutation.reset();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="New workspace">
      <form onSubmit={submit} aria-label="New workspace">
        <Stack gap="md">
          <ErrorAlert error={mutation.error} />
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setName(value);
              if (!slugEdited) setSlug(slugify(value));
            }}
          />
          <TextInput
            label="Slug"
            description="Lower-case letters, digits and dashes; used in URLs."
            required
            value={slug}
            onChange={(event) => {
              setSlug(event.currentTarget.value);
              setSlugEdited(true);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Create workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
