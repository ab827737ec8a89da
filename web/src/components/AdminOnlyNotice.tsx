// Said instead of a list that the hub shows only to owners and admins, rather than a "forbidden" error.
import { Alert } from '@mantine/core';
import { AlertIcon } from '../icons.tsx';

export function AdminOnlyNotice({ what }: { what: string }) {
  return (
    <Alert color="gray" variant="light" icon={<AlertIcon />} title="Owners and admins only" data-testid="admin-only">
      {what} are visible to the workspace’s owners and admins. Ask one of them if you need access.
    </Alert>
  );
}
