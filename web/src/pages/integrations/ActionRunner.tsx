// Runs one of the connector's actions through the integration, from a form generated from the action's
// input schema, and shows what came back (or what the provider answered when it refused).
import { useState, type FormEvent } from 'react';
import { Alert, Button, Code, Group, JsonInput, Select, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ApiRequestError, describeError, runAction, type ActionResult, type ConnectorAction, type Integration } from '../../api.ts';
import { hasErrors, initialDraft, placeFieldProblems, readDraft, type Draft, type FieldErrors } from '../../components/schema-form/draft.ts';
import { SchemaForm } from '../../components/schema-form/SchemaForm.tsx';
import { baseType, propertiesOf, type JsonSchema } from '../../components/schema-form/schema.ts';
import { AlertIcon, PlayIcon } from '../../icons.tsx';
import { ActionOutput } from './ActionOutput.tsx';
import { useOperationsRefresh } from './queries.ts';

interface Outcome {
  action: string;
  result: ActionResult;
  elapsedMs: number;
}

/** An input schema the form can draw field by field; anything else is typed as one JSON value. */
function isFormSchema(schema: JsonSchema): boolean {
  return baseType(schema) === 'object' && (propertiesOf(schema).length > 0 || schema.additionalProperties === undefined || schema.additionalProperties === false);
}

export function ActionRunner({ integration, actions }: { integration: Integration; actions: ConnectorAction[] }) {
  const [selected, setSelected] = useState(actions[0]?.name ?? '');
  const action = actions.find((candidate) => candidate.name === selected);
  if (!action) {
    return (
      <Text size="sm" c="dimmed">
        This connector has no actions.
      </Text>
    );
  }
  return (
    <Stack gap="md">
      <Select
        label="Action"
        w={{ base: '100%', sm: 360 }}
        allowDeselect={false}
        checkIconPosition="right"
        data={actions.map((candidate) => ({ value: candidate.name, label: candidate.title }))}
        value={action.name}
        onChange={(value) => value && setSelected(value)}
        renderOption={({ option }) => (
          <Group justify="space-between" w="100%" wrap="nowrap" gap="xs">
            <span>{option.label}</span>
            <Code fz={11}>{option.value}</Code>
          </Group>
        )}
      />
      {/* Keyed: each action starts with its own defaults, and an output never outlives its action. */}
      <ActionForm key={action.name} integration={integration} action={action} />
    </Stack>
  );
}

function ActionForm({ integration, action }: { integration: Integration; action: ConnectorAction }) {
  const schema = action.inputSchema as JsonSchema;
  const asForm = isFormSchema(schema);
  const [draft, setDraft] = useState<Draft>(() => initialDraft(schema));
  const [jsonInput, setJsonInput] = useState('{}');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const refreshOperations = useOperationsRefresh(integration.id);

  const run = useMutation({
    mutationFn: async (input: unknown) => {
      const started = performance.now();
      const result = await runAction(integration.id, action.name, input);
      return { action: action.name, result, elapsedMs: performance.now() - started };
    },
    onMutate: () => setOutcome(null),
    onSuccess: (value) => setOutcome(value),
    onError: (error) => {
      if (error instanceof ApiRequestError && asForm) setErrors(placeFieldProblems(schema, error.fieldProblems, 'body.').errors);
    },
    // Failed calls are operations too: the table below should show them either way.
    onSettled: refreshOperations,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!asForm) {
      try {
        const input = JSON.parse(jsonInput || '{}') as unknown;
        setJsonError(undefined);
        run.mutate(input);
      } catch {
        setJsonError('Not valid JSON.');
      }
      return;
    }
    const { value, errors: problems } = readDraft(schema, draft);
    setErrors(problems);
    if (!hasErrors(problems)) run.mutate(value);
  }

  return (
    <form onSubmit={submit} aria-label={`Run ${action.title}`} noValidate>
      <Stack gap="md" maw={760}>
        <Text size="sm" c="dimmed">
          {action.description}
        </Text>
        {asForm ? (
          <SchemaForm schema={schema} value={draft} onChange={setDraft} errors={errors} idPrefix={`action-${action.name}`} emptyText="This action takes no input." />
        ) : (
          <JsonInput
            label="Input"
            description="The action's input as JSON."
            formatOnBlur
            autosize
            minRows={4}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            error={jsonError}
            value={jsonInput}
            onChange={setJsonInput}
          />
        )}
        <Group>
          <Button type="submit" leftSection={<PlayIcon size={16} />} loading={run.isPending}>
            Run
          </Button>
        </Group>
        {run.isError && <ActionFailure error={run.error} />}
        {outcome && <ActionOutput result={outcome.result} action={outcome.action} elapsedMs={outcome.elapsedMs} />}
      </Stack>
    </form>
  );
}

/** The hub's error for a failed action, with the provider's own answer when it sent one. */
function ActionFailure({ error }: { error: unknown }) {
  const details = error instanceof ApiRequestError ? ((error.details ?? {}) as { providerStatus?: unknown; providerBody?: unknown }) : {};
  const providerBody = details.providerBody ?? null;
  const title =
    error instanceof ApiRequestError
      ? {
          validation_failed: 'Check the input',
          provider_rejected: 'The provider refused the request',
          provider_rate_limited: 'The provider asks to slow down',
          provider_unavailable: 'The provider did not answer properly',
        }[error.code] ?? 'The action failed'
      : 'The action failed';
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} title={title} role="alert" data-testid="action-error">
      <Stack gap={6}>
        <Text size="sm">{describeError(error)}</Text>
        {typeof details.providerStatus === 'number' && (
          <Text size="xs" c="dimmed">
            Provider answered HTTP {details.providerStatus}
            {providerBody !== null ? ':' : '.'}
          </Text>
        )}
        {providerBody !== null && (
          <Code block fz={12} style={{ maxHeight: 220, overflow: 'auto' }}>
            {typeof providerBody === 'string' ? providerBody : JSON.stringify(providerBody, null, 2)}
          </Code>
        )}
      </Stack>
    </Alert>
  );
}
