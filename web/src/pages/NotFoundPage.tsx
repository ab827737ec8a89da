// Shown for a dashboard address that matches no section.
import { Anchor, EmptyState, Paper } from '@mantine/core';
import { InboxIcon } from '../icons.tsx';
import { linkProps } from '../router.ts';
import { HOME_PATH } from '../sections.tsx';

export function NotFoundPage() {
  return (
    <Paper withBorder p="xl" radius="md">
      <EmptyState
        icon={<InboxIcon size={28} />}
        title="Page not found"
        description={
          <>
            Nothing lives at this address. <Anchor {...linkProps(HOME_PATH)}>Go to Syncs &amp; Jobs</Anchor>
          </>
        }
      />
    </Paper>
  );
}
