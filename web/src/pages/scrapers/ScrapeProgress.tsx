// A scrape's progress: a bar over the pages found so far, its step, counts and ETA, kept live over SSE.
import { Badge, Progress, Stack, Text } from '@mantine/core';
import { formatDuration } from '../../format.ts';
import type { Scrape, ScrapeStatus } from './api.ts';
import { useLiveScrape } from './useLiveScrape.ts';

const STATUS_COLORS: Record<ScrapeStatus, string> = { queued: 'gray', running: 'blue', completed: 'teal', failed: 'red', cancelled: 'dark' };

export function ScrapeStatusBadge({ status }: { status: ScrapeStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'queued' ? 'outline' : 'light'} tt="none" data-testid="scrape-status">
      {status}
    </Badge>
  );
}

export function ScrapeProgress({ scrape }: { scrape: Scrape }) {
  useLiveScrape(scrape);
  const { progress } = scrape;
  const running = scrape.status === 'running' || scrape.status === 'queued';
  const color = scrape.status === 'failed' ? 'red' : scrape.status === 'completed' ? 'teal' : scrape.status === 'cancelled' ? 'gray' : 'blue';
  const details = [
    running ? scrape.step : null,
    `${progress.processed} / ${progress.total} pages`,
    `${Math.round(progress.percentage)}%`,
    running && progress.etaSeconds !== null ? `ETA ${formatDuration(progress.etaSeconds)}` : null,
    progress.ratePerSecond !== null && running ? `${progress.ratePerSecond.toFixed(1)} pages/s` : null,
  ].filter(Boolean);
  return (
    <Stack gap={4} miw={200} data-testid="scrape-progress">
      <Progress value={progress.percentage} color={color} size="sm" striped={running} animated={running} aria-label={`${Math.round(progress.percentage)}% done`} />
      <Text size="xs" c="dimmed">
        {details.join(' · ')}
      </Text>
      {(progress.failed > 0 || progress.blocked > 0) && (
        <Text size="xs" c="dimmed">
          {progress.failed > 0 ? `${progress.failed} failed` : ''}
          {progress.failed > 0 && progress.blocked > 0 ? ' · ' : ''}
          {progress.blocked > 0 ? `${progress.blocked} blocked by robots.txt` : ''}
        </Text>
      )}
    </Stack>
  );
}
