// A modal's button row that stays at its bottom edge while a long form scrolls above it.
import type { ReactNode } from 'react';
import { Group } from '@mantine/core';

// The modal body's own padding, so the bar reaches its edges and covers what scrolls beneath.
const PAD = 'var(--mb-padding, var(--mantine-spacing-md))';

export function ModalFooter({ children, justify = 'flex-end' }: { children: ReactNode; justify?: 'flex-end' | 'space-between' }) {
  return (
    <Group
      justify={justify}
      pos="sticky"
      bottom={0}
      bg="var(--mantine-color-body)"
      py="sm"
      mx={`calc(${PAD} * -1)`}
      px={PAD}
      mb={`calc(${PAD} * -1)`}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)', zIndex: 2 }}
    >
      {children}
    </Group>
  );
}
