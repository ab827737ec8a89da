// A job's progress: a bar from its percentage, then step, counts and ETA as reported by the job itself.
import { Progress, Stack, Text } from '@mantine/core';
import type { Job } from '../../api.ts';
import { formatDuration } from '../../format.ts';

const RUNNING_STATES = new Set(['active']);

export function JobProgressCell({ job }: { job: Job }) {
  const progress = job.progress;
  const running = RUNNING_STATES.has(job.state);
  if (!progress) {
    if (!running) return <Text c="dimmed" size="sm">—</Text>;
    return (
      <Stack gap={4} miw={160}>
        <Progress value={100} striped animated color="blue" size="sm" aria-label="Running, no progress reported" />
        <Text size="xs" c="dimmed">
          Running
        </Text>
      </Stack>
    );
  }

  // A job that knows neither a percentage nor a total can only say that it is moving.
  const known = progress.percentage !== null;
  const percentage = known ? Math.min(100, Math.max(0, progress.percentage ?? 0)) : 100;
  const color = job.state === 'failed' ? 'red' : job.state === 'completed' ? 'teal' : job.state === 'cancelled' ? 'gray' : 'blue';
  const counts = progress.total !== null ? `${progress.processed.toLocaleString()} / ${progress.total.toLocaleString()}` : `${progress.processed.toLocaleString()} done`;
  const details = [
    progress.step,
    counts,
    known ? `${Math.round(percentage)}%` : null,
    running && progress.etaSeconds !== null ? `ETA ${formatDuration(progress.etaSeconds)}` : null,
  ].filter(Boolean);

  return (
    <Stack gap={4} miw={160} data-testid="job-progress">
      <Progress
        value={percentage}
        color={color}
        size="sm"
        striped={running && !known}
        animated={running && !known}
        aria-label={known ? `${Math.round(percentage)}% done` : 'Progress unknown'}
      />
      <Text size="xs" c="dimmed">
        {details.map((detail, index) => (
          <span key={index} style={{ whiteSpace: 'nowrap' }}>
            {index > 0 && ' · '}
            {detail}
          </span>
        ))}
      </Text>
      {progress.message && (
        <Text size="xs" lineClamp={2} title={progress.message}>
          {progress.message}
        </Text>
      )}
    </Stack>
  );
}
