// The form that starts a scrape: seed URL, pages and depth, engine, robots.txt; workspace defaults fill the rest.
import { useState } from 'react';
import { Button, Group, NumberInput, Paper, Select, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../notify.ts';
import { startScrape, type Engine } from './api.ts';

const ENGINES: { value: Engine; label: string }[] = [
  { value: 'http', label: 'HTTP (fast)' },
  { value: 'browser', label: 'Browser (Chromium)' },
  { value: 'auto', label: 'Auto (browser when empty)' },
];

export function StartScrapeForm() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [maxPages, setMaxPages] = useState<number | string>(50);
  const [maxDepth, setMaxDepth] = useState<number | string>(2);
  const [engine, setEngine] = useState<Engine>('http');
  const [respectRobots, setRespectRobots] = useState(true);
  const start = useMutation({
    mutationFn: () =>
      startScrape({ urls: [url.trim()], maxPages: Number(maxPages), maxDepth: Number(maxDepth), engine, respectRobots }),
    onSuccess: (scrape) => {
      notifySuccess(`Scrape of ${scrape.url} started.`);
      setUrl('');
      void queryClient.invalidateQueries({ queryKey: ['scrapes'] });
    },
  });

  return (
    <Paper withBorder radius="md" p="md" mb="lg">
      <form
        aria-label="Start a scrape"
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate();
        }}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label="URL" placeholder="https://example.com/" required w={340} value={url} onChange={(event) => setUrl(event.currentTarget.value)} />
          <NumberInput label="Max pages" min={1} max={100000} w={110} value={maxPages} onChange={setMaxPages} />
          <NumberInput label="Max depth" min={0} max={50} w={110} value={maxDepth} onChange={setMaxDepth} />
          <Select label="Engine" w={220} data={ENGINES} value={engine} onChange={(value) => value && setEngine(value as Engine)} allowDeselect={false} />
          <Switch label="Respect robots.txt" checked={respectRobots} onChange={(event) => setRespectRobots(event.currentTarget.checked)} mb={8} />
          <Button type="submit" loading={start.isPending}>
            Start scrape
          </Button>
        </Group>
      </form>
      {start.isError && (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={start.error} title="The scrape was not started" />
        </div>
      )}
    </Paper>
  );
}
