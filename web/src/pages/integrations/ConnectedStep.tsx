// The wizard's end: the integration exists, checked with the provider, and this is whose account it reached.
import { Button, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ConnectorDetail, Integration } from '../../api.ts';
import { CheckIcon } from '../../icons.tsx';
import { CredentialHint } from './CredentialHint.tsx';

export function ConnectedStep({
  integration,
  connector,
  onClose,
  onOpen,
}: {
  integration: Integration;
  connector: ConnectorDetail;
  onClose: () => void;
  onOpen: () => void;
}) {
  return (
    <Stack gap="lg" data-testid="connect-success">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={44} radius="xl" color="green" variant="light">
          <CheckIcon size={24} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text fw={650} size="lg">
            {integration.name} is connected
          </Text>
          <Text size="sm" c="dimmed">
            {connector.title} accepted the credential
            {integration.account ? (
              <>
                {' '}
                for the account{' '}
                <Text span fw={600} c="dark">
                  {integration.account.name}
                </Text>
              </>
            ) : null}
            . Actions can run now.
          </Text>
          <CredentialHint integration={integration} oauth={connector.authKind === 'oauth2'} />
        </Stack>
      </Group>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Done
        </Button>
        <Button onClick={onOpen}>Open integration</Button>
      </Group>
    </Stack>
  );
}
