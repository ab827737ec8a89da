// The wizard's "OAuth app" step: the workspace's own client at the provider (bring your own OAuth app),
// entered once per connector, with the redirect URI to register there.
import { Code, Group, Paper, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { ConnectorDetail, OAuthApp } from '../../api.ts';
import { CopyTextButton } from '../../components/CopyTextButton.tsx';

export interface OAuthAppDraft {
  clientId: string;
  clientSecret: string;
  /** With an app saved already: whether to replace it. */
  replacing: boolean;
}

export function OAuthAppStep({
  connector,
  app,
  redirectUri,
  draft,
  errors,
  onChange,
}: {
  connector: ConnectorDetail;
  app: OAuthApp | null;
  redirectUri: string;
  draft: OAuthAppDraft;
  errors: { clientId?: string | undefined; clientSecret?: string | undefined };
  onChange: (draft: OAuthAppDraft) => void;
}) {
  const editing = app === null || draft.replacing;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Switchboard signs in to {connector.title} with this workspace's own OAuth app. Create one in the {connector.title}{' '}
        developer settings and register this redirect URI:
      </Text>
      <Paper withBorder radius="md" p="sm" bg="var(--mantine-color-gray-0)">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Code fz="sm" bg="transparent" style={{ wordBreak: 'break-all' }} data-testid="oauth-redirect-uri">
            {redirectUri}
          </Code>
          <CopyTextButton text={redirectUri} size="compact-sm" variant="default" />
        </Group>
      </Paper>
      {app && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="xs">
            <Text size="sm">
              This workspace already has an app for {connector.title}: client ID <Code>{app.clientId}</Code>
              {app.clientSecret ? (
                <>
                  , secret <Code>{app.clientSecret}</Code>
                </>
              ) : (
                ' (a public client, no secret)'
              )}
              .
            </Text>
            <Switch
              label="Use a different app"
              checked={draft.replacing}
              onChange={(event) => onChange({ ...draft, replacing: event.currentTarget.checked })}
            />
          </Stack>
        </Paper>
      )}
      {editing && (
        <>
          <TextInput
            label="Client ID"
            withAsterisk
            autoComplete="off"
            spellCheck={false}
            data-field="clientId"
            error={errors.clientId}
            value={draft.clientId}
            onChange={(event) => onChange({ ...draft, clientId: event.currentTarget.value })}
          />
          <PasswordInput
            label="Client secret"
            description={
              connector.oauth?.pkce
                ? 'Leave empty for a public client: PKCE then protects the exchange on its own.'
                : 'Stored encrypted; only its last four characters are shown afterwards.'
            }
            autoComplete="new-password"
            spellCheck={false}
            data-field="clientSecret"
            error={errors.clientSecret}
            value={draft.clientSecret}
            onChange={(event) => onChange({ ...draft, clientSecret: event.currentTarget.value })}
          />
        </>
      )}
    </Stack>
  );
}
