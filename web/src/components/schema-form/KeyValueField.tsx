// Edits a map of names to text values (query parameters, headers) as rows of two inputs.
import { ActionIcon, Button, Group, Input, Stack, TextInput } from '@mantine/core';
import { PlusIcon } from '../../icons.tsx';
import type { RecordEntry } from './draft.ts';

const EMPTY_ROW: RecordEntry = { key: '', value: '' };

export function KeyValueField({
  id,
  label,
  description,
  error,
  required,
  disabled,
  entries,
  onChange,
}: {
  id: string;
  label: string;
  description?: string | undefined;
  error?: string | undefined;
  required: boolean;
  disabled?: boolean | undefined;
  entries: RecordEntry[];
  onChange: (entries: RecordEntry[]) => void;
}) {
  // One empty row is always offered, so adding the first value needs no extra click.
  const rows = entries.length === 0 ? [EMPTY_ROW] : entries;
  const update = (index: number, change: Partial<RecordEntry>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  return (
    <Input.Wrapper id={id} label={label} description={description} error={error} withAsterisk={required} role="group" aria-label={label}>
      <Stack gap={6} mt={description ? 4 : 0}>
        {rows.map((row, index) => (
          <Group key={index} gap={6} wrap="nowrap" align="flex-start">
            <TextInput
              aria-label={`${label}: name ${index + 1}`}
              placeholder="name"
              flex={1}
              disabled={disabled}
              error={Boolean(error)}
              value={row.key}
              onChange={(event) => update(index, { key: event.currentTarget.value })}
            />
            <TextInput
              aria-label={`${label}: value ${index + 1}`}
              placeholder="value"
              flex={2}
              disabled={disabled}
              error={Boolean(error)}
              value={row.value}
              onChange={(event) => update(index, { value: event.currentTarget.value })}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size={36}
              aria-label={`Remove ${label} ${index + 1}`}
              disabled={disabled}
              // The lone empty row has nothing to remove; it keeps its place so the inputs do not jump.
              style={rows.length === 1 && row.key === '' && row.value === '' ? { visibility: 'hidden' } : undefined}
              onClick={() => onChange(rows.filter((_, at) => at !== index))}
            >
              <span aria-hidden="true" style={{ fontSize: 18, lineHeight: 1 }}>
                ×
              </span>
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<PlusIcon size={14} />}
            disabled={disabled}
            onClick={() => onChange([...rows, EMPTY_ROW])}
          >
            Add row
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}
