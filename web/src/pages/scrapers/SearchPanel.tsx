// Search over the workspace's scraped chunks: vector similarity and full-text rank, fused.
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { search } from './api.ts';

export function SearchPanel() {
  const [query, setQuery] = useState('');
  const run = useMutation({ mutationFn: () => search({ query: query.trim(), k: 10 }) });
  return (
    <Stack gap="md">
      <form
        aria-label="Search scraped content"
        onSubmit={(event) => {
          event.preventDefault();
          if (query.trim()) run.mutate();
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput label="Search" placeholder="What are you looking for?" w={420} value={query} onChange={(event) => setQuery(event.currentTarget.value)} />
          <Button type="submit" loading={run.isPending}>Search</Button>
        </Group>
      </form>
      <ErrorAlert error={run.error} title="Search failed" />
      {run.data && (
        <Text size="xs" c="dimmed">
          {run.data.items.length} results{run.data.model ? ` · vectors: ${run.data.model}` : ''} (the offline lexical model matches words, not meaning)
        </Text>
      )}
      {run.data?.items.map((hit) => (
        <Paper key={hit.id} withBorder radius="md" p="sm" data-testid="search-hit">
          <Group gap="xs" mb={4} wrap="nowrap">
            <Badge size="xs" variant="light" tt="none">score {hit.score.toFixed(3)}</Badge>
            {hit.similarity !== null && <Badge size="xs" variant="outline" tt="none">cosine {hit.similarity.toFixed(2)}</Badge>}
            {hit.textRank !== null && <Badge size="xs" variant="outline" color="gray" tt="none">text {hit.textRank.toFixed(2)}</Badge>}
            <Anchor href={hit.url} target="_blank" rel="noreferrer noopener" size="xs" truncate>{hit.title ?? hit.url}</Anchor>
          </Group>
          {hit.headingPath.length > 0 && <Text size="xs" c="dimmed">{hit.headingPath.join(' › ')}</Text>}
          <Text size="sm" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }}>{hit.content}</Text>
        </Paper>
      ))}
    </Stack>
  );
}
