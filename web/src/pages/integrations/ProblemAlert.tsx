// The alert above a form after the hub refused it: what went wrong, and problems no input shows itself.
import { useEffect, useRef } from 'react';
import { Alert, List } from '@mantine/core';
import { fieldLabel } from '../../api.ts';
import { AlertIcon } from '../../icons.tsx';
import type { ProblemSummary } from './connection-errors.ts';

export function ProblemAlert({ problem }: { problem: ProblemSummary | null }) {
  const ref = useRef<HTMLDivElement>(null);
  // In a long, scrolled form the alert sits above the fold: bring it into view when a new one arrives.
  useEffect(() => {
    if (problem) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [problem]);
  if (!problem) return null;
  return (
    <Alert ref={ref} color="red" variant="light" title={problem.title} icon={<AlertIcon />} role="alert" data-testid="connect-error">
      {problem.message}
      {problem.problems.length > 0 && (
        <List size="sm" mt={6}>
          {problem.problems.map((item) => (
            <List.Item key={`${item.field}:${item.message}`}>
              {fieldLabel(item.field)}: {item.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
