// A timestamp shown as "5 minutes ago" with the exact date and time on hover.
import { Text, type TextProps } from '@mantine/core';
import { formatDateTime, formatRelative } from '../format.ts';

export function TimeAgo({ at, ...props }: { at: string | null | undefined } & TextProps) {
  if (!at) {
    return (
      <Text size="sm" c="dimmed" {...props}>
        —
      </Text>
    );
  }
  return (
    <Text size="sm" component="time" dateTime={at} title={formatDateTime(at)} style={{ whiteSpace: 'nowrap' }} {...props}>
      {formatRelative(at)}
    </Text>
  );
}
