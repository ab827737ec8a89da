// What the receiver answered to "send test event": status, latency and the start of its body.
import { Alert, Badge, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import type { Endpoint, TestResult } from './api.ts';

export function TestResultModal({ tested, onClose }: { tested: { endpoint: Endpoint; result: TestResult } | null; onClose: () => void }) {
  const result = tested?.result;
  return (
    <Modal opened={tested !== null} onClose={onClose} title="Test event sent">
      {result && (
        <Stack gap="md" data-testid="test-result" data-ok={result.ok}>
          <Text size="sm">
            A <Code>webhook.test</Code> event went to <b>{tested.endpoint.url}</b>.
          </Text>
          <Group gap="sm">
            <Badge color={result.ok ? 'teal' : 'red'} size="lg" variant="light" data-testid="test-status">
              {result.status ?? 'no answer'}
            </Badge>
            <Text size="sm" c="dimmed" data-testid="test-latency">
              {result.latencyMs} ms
            </Text>
          </Group>
          {result.error && (
            <Alert color="red" variant="light">
              {result.error}
            </Alert>
          )}
          {result.responseBody && (
            <Stack gap={4}>
              <Text size="xs" c="dimmed">
                The receiver’s answer (first 4 KB)
              </Text>
              <Code block data-testid="test-body" style={{ maxHeight: 200, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
                {result.responseBody}
              </Code>
            </Stack>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
