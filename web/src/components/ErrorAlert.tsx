// An inline, announced error box showing the API's message and each field problem.
import { Alert, List } from '@mantine/core';
import { ApiRequestError, fieldLabel, unmentionedFieldProblems } from '../api.ts';
import { AlertIcon } from '../icons.tsx';

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiRequestError ? unmentionedFieldProblems(error) : [];
  return (
    <Alert color="red" variant="light" title={title} icon={<AlertIcon />} role="alert" data-testid="error-alert">
      {message}
      {fields.length > 0 && (
        <List size="sm" mt={6}>
          {fields.map((problem) => (
            <List.Item key={`${problem.field}:${problem.message}`}>
              {fieldLabel(problem.field)}: {problem.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
