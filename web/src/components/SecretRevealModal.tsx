// Shows a secret the hub will never show again (an API key, a temporary password), with a copy button.
import type { ReactNode } from 'react';
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { AlertIcon } from '../icons.tsx';
import { CopyTextButton } from './CopyTextButton.tsx';

export function SecretRevealModal({
  title,
  intro,
  secret,
  secretTestId,
  onClose,
}: {
  title: string;
  intro: ReactNode;
  /** The modal is open while this is set. */
  secret: string | null;
  secretTestId: string;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title={title}
      size="lg"
      // A stray click outside must not lose a secret that cannot be shown again.
      closeOnClickOutside={false}
    >
      <Stack gap="md">
        <Text size="sm">{intro}</Text>
        <Alert color="yellow" variant="light" icon={<AlertIcon />}>
          Copy it now: it will not be shown again.
        </Alert>
        <Code
          block
          data-testid={secretTestId}
          fz="sm"
          style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
        >
          {secret}
        </Code>
        <Group justify="flex-end">
          {secret && <CopyTextButton text={secret} />}
          <Button variant="default" onClick={onClose}>
            Done
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
