// A bordered card holding a scrollable table, its empty state, and a "Load more" footer.
import type { ReactNode } from 'react';
import { Button, Center, Loader, Paper, Table } from '@mantine/core';

export function TableCard({
  head,
  children,
  loading,
  empty,
  hasMore,
  loadingMore,
  onLoadMore,
  label,
}: {
  head: ReactNode;
  children: ReactNode;
  loading?: boolean;
  /** Rendered instead of the table when set. */
  empty?: ReactNode;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  label: string;
}) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      {loading ? (
        <Center p="xl">
          <Loader size="sm" aria-label={`Loading ${label}`} />
        </Center>
      ) : empty ? (
        empty
      ) : (
        <Table.ScrollContainer minWidth={720} type="native">
          <Table aria-label={label} striped={false}>
            <Table.Thead bg="var(--mantine-color-gray-0)">{head}</Table.Thead>
            <Table.Tbody>{children}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hasMore && !loading && !empty && (
        <Center p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Button variant="subtle" size="sm" loading={loadingMore} onClick={onLoadMore}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}
