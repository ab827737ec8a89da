// A job's state as a coloured badge; "failed" is the dead letter: out of attempts, waiting for a person.
import { Badge } from '@mantine/core';
import type { JobState } from '../../api.ts';

const STATE_COLORS: Record<JobState, string> = {
  created: 'gray',
  retry: 'yellow',
  active: 'blue',
  completed: 'teal',
  cancelled: 'dark',
  failed: 'red',
};

export function jobStateLabel(state: JobState): string {
  return state === 'failed' ? 'failed (dead letter)' : state;
}

export function JobStateBadge({ state }: { state: JobState }) {
  return (
    <Badge
      color={STATE_COLORS[state] ?? 'gray'}
      // Gray "light" is too faint to read as a badge; a queued job gets an outline instead.
      variant={state === 'created' ? 'outline' : 'light'}
      tt="none"
      data-testid="job-state"
      // Badges clip long labels by default; "failed (dead letter)" must read whole.
      styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {jobStateLabel(state)}
    </Badge>
  );
}
