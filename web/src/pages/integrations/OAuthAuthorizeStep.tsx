// The wizard's last step for OAuth connectors: which access is asked for, and where the browser goes next.
import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import type { ConnectorDetail } from '../../api.ts';

export function OAuthAuthorizeStep({ connector }: { connector: ConnectorDetail }) {
  const scopes = connector.oauth?.scopes ?? [];
  return (
    <Stack gap="md">
      <Text size="sm">
        {connector.title} connects with OAuth 2.0. You will be taken to {connector.title} to sign in and approve access, then
        brought back here. Switchboard stores the tokens encrypted and refreshes them before they expire.
      </Text>
      <Paper withBorder radius="md" p="md" bg="var(--mantine-color-gray-0)">
        <Stack gap={8}>
          <Text size="sm" fw={600}>
            Access requested
          </Text>
          {scopes.length > 0 ? (
            <Group gap={6} data-testid="oauth-scopes">
              {scopes.map((scope) => (
                <Badge key={scope} variant="default" tt="none" ff="monospace" fw={500} radius="sm">
                  {scope}
                </Badge>
              ))}
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              No scopes: the provider's default access.
            </Text>
          )}
          {connector.oauth?.pkce && (
            <Text size="xs" c="dimmed">
              Protected with PKCE: the authorization code is useless to anyone who intercepts it.
            </Text>
          )}
        </Stack>
      </Paper>
      <Text size="xs" c="dimmed">
        Scopes are described in the{' '}
        <Anchor href={connector.docsUrl} target="_blank" rel="noreferrer" size="xs">
          {connector.title} documentation
        </Anchor>
        .
      </Text>
    </Stack>
  );
}
