// Replaying what failed to an endpoint since a time: offered after re-enabling a disabled endpoint, or on demand.
import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import type { Endpoint } from './api.ts';

/** An ISO time as the value of a datetime-local input (local time, minutes). */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function ReplayFailedModal({
  replaying,
  pending,
  error,
  onReplay,
  onClose,
}: {
  replaying: { endpoint: Endpoint; since: string; count: number | null } | null;
  pending: boolean;
  error: unknown;
  onReplay: (since: string) => void;
  onClose: () => void;
}) {
  const [since, setSince] = useState('');
  useEffect(() => {
    if (replaying) setSince(toLocalInput(replaying.since));
  }, [replaying]);
  const valid = since !== '' && !Number.isNaN(new Date(since).getTime());

  return (
    <Modal opened={replaying !== null} onClose={onClose} title="Replay failed deliveries">
      {replaying && (
        <Stack gap="md" data-testid="replay-failed">
          {replaying.count !== null ? (
            <Text size="sm">
              <b>{replaying.endpoint.url}</b> receives events again. {replaying.count} deliveries failed since {formatDateTime(replaying.since)} while it was
              failing. Send them again, with the same webhook-id each?
            </Text>
          ) : (
            <Text size="sm">
              Every delivery to <b>{replaying.endpoint.url}</b> that failed for good since this time is sent again, with the same webhook-id.
            </Text>
          )}
          <TextInput label="Failed since" type="datetime-local" value={since} onChange={(event) => setSince(event.currentTarget.value)} />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Not now
            </Button>
            <Button loading={pending} disabled={!valid} onClick={() => onReplay(new Date(since).toISOString())}>
              Replay failed deliveries
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
