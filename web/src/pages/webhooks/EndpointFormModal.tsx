// Add or edit an endpoint: a preset (n8n, Zapier, Make or any URL) explains the URL it expects and sets
// defaults; event filters, rate limit, custom headers (sent, never shown again) and the retry schedule.
import { useEffect, useState, type FormEvent } from 'react';
import { ActionIcon, Button, Group, Modal, NumberInput, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { createEndpoint, listEventTypes, listPresets, updateEndpoint, type Endpoint, type EndpointInput, type EndpointPreset } from './api.ts';

interface HeaderRow {
  name: string;
  value: string;
}

export interface SavedEndpoint {
  endpoint: Endpoint;
  /** Set when the endpoint was just created: shown once. */
  secret: string | null;
  warnings: string[];
}

/** "5, 300, 1800" → [5, 300, 1800]; empty → null (the default schedule). */
function parseSchedule(text: string): number[] | null | 'invalid' {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const parts = trimmed.split(/[\s,]+/).map(Number);
  return parts.every((n) => Number.isInteger(n) && n >= 1) ? parts : 'invalid';
}

export function EndpointFormModal({
  endpoint,
  opened,
  onClose,
  onSaved,
}: {
  endpoint: Endpoint | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (result: SavedEndpoint) => void;
}) {
  const presets = useQuery({ queryKey: ['webhooks', 'presets'], queryFn: listPresets, staleTime: Infinity });
  const eventTypes = useQuery({ queryKey: ['webhooks', 'event-types'], queryFn: listEventTypes, staleTime: Infinity });
  const [preset, setPreset] = useState<EndpointPreset>('generic');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [filters, setFilters] = useState<string[]>(['*']);
  const [rateLimit, setRateLimit] = useState<number | ''>('');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [replaceHeaders, setReplaceHeaders] = useState(false);
  const [schedule, setSchedule] = useState('');

  useEffect(() => {
    if (!opened) return;
    setPreset(endpoint?.preset ?? 'generic');
    setUrl(endpoint?.url ?? '');
    setDescription(endpoint?.description ?? '');
    setFilters(endpoint?.eventTypes ?? ['*']);
    setRateLimit(endpoint?.rateLimitPerSecond ?? '');
    setHeaders([]);
    setReplaceHeaders(endpoint === null);
    setSchedule(endpoint?.customRetrySchedule ? endpoint.retrySchedule.join(', ') : '');
  }, [opened, endpoint]);

  const chosen = presets.data?.items.find((item) => item.id === preset);
  const parsedSchedule = parseSchedule(schedule);
  const mutation = useMutation({
    mutationFn: async (): Promise<SavedEndpoint> => {
      const input: EndpointInput = {
        url: url.trim(),
        description: description.trim(),
        preset,
        eventTypes: filters,
        rateLimitPerSecond: rateLimit === '' ? (endpoint ? null : (chosen?.rateLimitPerSecond ?? null)) : rateLimit,
        retrySchedule: parsedSchedule === 'invalid' ? null : parsedSchedule,
      };
      if (replaceHeaders) input.headers = Object.fromEntries(headers.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value]));
      if (endpoint) {
        const result = await updateEndpoint(endpoint.id, input);
        return { endpoint: result.endpoint, secret: null, warnings: result.warnings };
      }
      const created = await createEndpoint(input);
      return { endpoint: created.endpoint, secret: created.secret, warnings: created.warnings };
    },
    onSuccess: (result) => {
      mutation.reset();
      onSaved(result);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate();
  }

  // Suggest each catalogue type and each family's wildcard (sync.*, integration.*, inbound.*).
  const typeNames = (eventTypes.data?.items ?? []).map((item) => item.type).filter((type) => !type.includes('<'));
  const families = [...new Set(typeNames.map((type) => `${type.split('.')[0]}.*`))];
  const suggestions = [...new Set(['*', ...families, 'inbound.*', 'custom.*', ...typeNames])];

  return (
    <Modal opened={opened} onClose={onClose} title={endpoint ? 'Edit endpoint' : 'Add endpoint'} size="lg">
      <form onSubmit={submit} aria-label={endpoint ? 'Edit endpoint' : 'Add endpoint'}>
        <Stack gap="md">
          <ErrorAlert error={mutation.error} />
          <Select
            label="Receiver"
            allowDeselect={false}
            data={(presets.data?.items ?? []).map((item) => ({ value: item.id, label: item.label }))}
            value={preset}
            onChange={(value) => value && setPreset(value as EndpointPreset)}
            description={chosen?.description}
          />
          <TextInput
            label="URL"
            required
            data-autofocus
            placeholder={chosen?.urlExample}
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
          />
          <TextInput label="Description" placeholder="What this receiver does" value={description} onChange={(event) => setDescription(event.currentTarget.value)} />
          <TagsInput
            label="Events"
            description="Exact types, or a family such as sync.*; * sends everything."
            data={suggestions}
            value={filters}
            onChange={setFilters}
            clearable
          />
          <NumberInput
            label="Rate limit (messages per second)"
            description={chosen?.rateLimitPerSecond ? `Default for ${chosen.label}: ${chosen.rateLimitPerSecond}/s. Empty: no limit.` : 'Empty: no limit.'}
            min={1}
            max={10_000}
            allowDecimal={false}
            value={rateLimit}
            onChange={(value) => setRateLimit(typeof value === 'number' ? value : '')}
          />
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Custom headers
              </Text>
              {endpoint && !replaceHeaders ? (
                <Button size="xs" variant="subtle" onClick={() => setReplaceHeaders(true)}>
                  Replace headers{endpoint.headerNames.length > 0 ? ` (${endpoint.headerNames.join(', ')})` : ''}
                </Button>
              ) : (
                <Button size="xs" variant="subtle" onClick={() => setHeaders([...headers, { name: '', value: '' }])}>
                  Add header
                </Button>
              )}
            </Group>
            {chosen?.headerHint && (
              <Text size="xs" c="dimmed">
                {chosen.headerHint}
              </Text>
            )}
            {replaceHeaders &&
              headers.map((row, index) => (
                <Group key={index} gap="xs" wrap="nowrap" align="flex-end">
                  <TextInput
                    aria-label={`Header ${index + 1} name`}
                    placeholder="X-Switchboard-Token"
                    value={row.name}
                    onChange={(event) => setHeaders(headers.map((h, i) => (i === index ? { ...h, name: event.currentTarget.value } : h)))}
                    style={{ flex: 1 }}
                  />
                  <TextInput
                    aria-label={`Header ${index + 1} value`}
                    type="password"
                    placeholder="value (stored encrypted)"
                    value={row.value}
                    onChange={(event) => setHeaders(headers.map((h, i) => (i === index ? { ...h, value: event.currentTarget.value } : h)))}
                    style={{ flex: 1 }}
                  />
                  <ActionIcon variant="subtle" color="gray" aria-label={`Remove header ${index + 1}`} onClick={() => setHeaders(headers.filter((_, i) => i !== index))}>
                    ×
                  </ActionIcon>
                </Group>
              ))}
          </Stack>
          <TextInput
            label="Retry schedule (seconds)"
            description="Waits after each failed attempt. Empty: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h."
            placeholder="5, 300, 1800, 7200"
            value={schedule}
            onChange={(event) => setSchedule(event.currentTarget.value)}
            error={parsedSchedule === 'invalid' ? 'Whole numbers of seconds, separated by commas.' : undefined}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={parsedSchedule === 'invalid' || filters.length === 0}>
              {endpoint ? 'Save endpoint' : 'Add endpoint'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
