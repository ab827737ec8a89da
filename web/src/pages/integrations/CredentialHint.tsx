// An integration's stored credential as the hub shows it: masked secrets (`••••1234`) and plain non-secret fields.
import { Code, Group, Text, Tooltip } from '@mantine/core';
import type { Integration } from '../../api.ts';
import { humanize } from '../../components/schema-form/schema.ts';

export function CredentialHint({ integration, oauth }: { integration: Integration; oauth: boolean }) {
  const entries = Object.entries(integration.credentials);
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {oauth ? 'OAuth tokens' : '—'}
      </Text>
    );
  }
  // The first field is the key itself in every catalogue entry; the rest are behind the tooltip.
  const [[name, masked]] = entries as [[string, string], ...[string, string][]];
  const hint = (
    <Group gap={6} wrap="nowrap" data-testid="credential-hint">
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {humanize(name)}
      </Text>
      <Code fz="sm" style={{ whiteSpace: 'nowrap' }}>
        {masked}
      </Code>
      {entries.length > 1 && (
        <Text size="xs" c="dimmed">
          +{entries.length - 1}
        </Text>
      )}
    </Group>
  );
  if (entries.length === 1) return hint;
  return (
    <Tooltip label={entries.map(([field, value]) => `${humanize(field)}: ${value}`).join(' · ')} multiline maw={360}>
      {hint}
    </Tooltip>
  );
}
