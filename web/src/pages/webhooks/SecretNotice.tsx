// The text beside a newly shown signing secret: how receivers verify with it.
import { Code, Stack, Text } from '@mantine/core';

export function SecretIntro({ url, rotated, warnings }: { url: string; rotated: boolean; warnings: string[] }) {
  return (
    <Stack gap={6}>
      <Text size="sm">
        {rotated ? 'The new signing secret for ' : 'The signing secret for '}
        <b>{url}</b>. Verify each delivery’s <Code>webhook-signature</Code> with a Standard Webhooks library and this secret.
        {rotated ? ' Deliveries carry a signature with the old secret too until the overlap ends.' : ''}
      </Text>
      {warnings.map((warning) => (
        <Text key={warning} size="sm" c="orange.8">
          {warning}
        </Text>
      ))}
    </Stack>
  );
}
