// Custom connectors: the workspace's run-time connectors (REST, n8n workflow, Spark job) and a builder for them:
// a short form over a JSON editor of the whole definition, validated as JSON while typing and by the hub on save
// (each field problem listed), with a "try it" call that checks the unsaved definition and runs one action.
import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, JsonInput, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../../notify.ts';
import { navigate } from '../../../router.ts';
import { canManageWorkspace, useSession, useWorkspaceKey } from '../../../session.tsx';
import { connectPath } from '../paths.ts';
import { createCustomConnector, deleteCustomConnector, listCustomConnectors, tryCustomConnector, updateCustomConnector, type CustomConnector, type TryResult } from './api.ts';
import { KINDS, starter, type Kind } from './templates.ts';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function parse(text: string): { value: Record<string, unknown> | null; error: string | null } {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { value: null, error: 'The definition must be a JSON object.' };
    return { value: value as Record<string, unknown>, error: null };
  } catch (error) {
    return { value: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export function CustomConnectorsPage() {
  const session = useSession();
  const canManage = canManageWorkspace(session);
  const key = ['custom-connectors', useWorkspaceKey()];
  const list = useQuery({ queryKey: key, queryFn: listCustomConnectors });
  const [editing, setEditing] = useState<CustomConnector | 'new' | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: ['connectors'] }), queryClient.invalidateQueries({ queryKey: ['connector'] })]);
  const remove = useMutation({
    mutationFn: (connector: CustomConnector) => deleteCustomConnector(connector.id),
    onSuccess: async () => {
      notifySuccess('The connector was deleted.');
      await refresh();
    },
    onError: (error) => notifyError('Could not delete the connector', error),
  });

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          Connectors defined here appear in this workspace's catalogue like built-in ones and connect through the same wizard. Every save is a new version;
          integrations use the latest.
        </Text>
        {canManage && editing === null && <Button onClick={() => setEditing('new')}>New connector</Button>}
      </Group>
      {list.isError && <ErrorAlert error={list.error} title="The custom connectors could not be loaded" />}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="Custom connectors" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Connector</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((connector) => (
              <Table.Tr key={connector.id}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {connector.title}
                  </Text>
                  <Code fz={11}>{connector.connectorId}</Code>
                </Table.Td>
                <Table.Td>{KINDS.find((k) => k.value === connector.kind)?.label ?? connector.kind}</Table.Td>
                <Table.Td>
                  <Badge variant="light">v{connector.version}</Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end">
                    <Button size="xs" variant="default" onClick={() => navigate(connectPath(connector.connectorId))}>
                      Connect
                    </Button>
                    {canManage && (
                      <>
                        <Button size="xs" variant="default" onClick={() => setEditing(connector)}>
                          Edit
                        </Button>
                        <Button size="xs" variant="light" color="red" loading={remove.isPending && remove.variables?.id === connector.id} onClick={() => remove.mutate(connector)}>
                          Delete
                        </Button>
                      </>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.items.length === 0 && editing === null && (
        <Text size="sm" c="dimmed" data-testid="custom-connectors-empty">
          No custom connectors yet.
        </Text>
      )}
      {editing !== null && (
        <Builder
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          existing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            await refresh();
            setEditing(null);
          }}
        />
      )}
    </Stack>
  );
}

function Builder({ existing, onClose, onSaved }: { existing: CustomConnector | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const [text, setText] = useState(() => pretty(existing?.definition ?? starter('rest')));
  const parsed = parse(text);
  const definition = parsed.value;
  const setField = (field: string, value: string) => definition && setText(pretty({ ...definition, [field]: value }));

  const save = useMutation({
    mutationFn: () => (existing ? updateCustomConnector(existing.id, definition) : createCustomConnector(definition)),
    onSuccess: async (saved) => {
      notifySuccess(`${saved.title} saved as version ${saved.version}.`);
      await onSaved();
    },
  });

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Connector builder">
      <Title order={2} size="h4" mb="md">
        {existing ? `Edit ${existing.title}` : 'New connector'}
      </Title>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Kind"
            data={KINDS.map((k) => ({ value: k.value, label: k.label }))}
            value={(definition?.kind as string | undefined) ?? 'rest'}
            disabled={existing !== null}
            allowDeselect={false}
            onChange={(value) => value && setText(pretty(starter(value as Kind)))}
          />
          <TextInput label="Title" value={typeof definition?.title === 'string' ? definition.title : ''} disabled={!definition} onChange={(event) => setField('title', event.currentTarget.value)} />
          <TextInput
            label="Slug"
            description="The connector id becomes custom-<slug>"
            value={typeof definition?.slug === 'string' ? definition.slug : ''}
            disabled={!definition || existing !== null}
            onChange={(event) => setField('slug', event.currentTarget.value)}
          />
        </SimpleGrid>
        <JsonInput
          label="Definition (JSON)"
          description="Placeholders: {{input.name}} and {{config.name}}, encoded where they land. Credentials are placed by the auth settings only."
          value={text}
          onChange={setText}
          autosize
          minRows={14}
          maxRows={30}
          error={parsed.error}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        {save.isError && <ErrorAlert error={save.error} title="The hub refused the definition" />}
        <Group gap="sm">
          <Button disabled={!definition} loading={save.isPending} onClick={() => save.mutate()}>
            {existing ? 'Save new version' : 'Save connector'}
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
        {definition && <TryIt definition={definition} />}
      </Stack>
    </Paper>
  );
}

function TryIt({ definition }: { definition: Record<string, unknown> }) {
  const actions = Array.isArray(definition.actions) ? (definition.actions as { name?: unknown }[]).map((a) => String(a.name)) : definition.kind === 'rest' ? [] : [definition.kind === 'spark' ? 'submit' : 'run'];
  const [config, setConfig] = useState('{}');
  const [credentials, setCredentials] = useState('{}');
  const [action, setAction] = useState<string | null>(null);
  const [input, setInput] = useState('{}');
  const attempt = useMutation({
    mutationFn: () =>
      tryCustomConnector({
        definition,
        config: JSON.parse(config),
        credentials: JSON.parse(credentials),
        ...(action ? { action, input: JSON.parse(input) } : {}),
      }),
  });
  const valid = [config, credentials, input].every((value) => parse(value).value !== null);
  return (
    <Paper withBorder radius="md" p="md" bg="var(--mantine-color-gray-0)" component="section" aria-label="Try it">
      <Title order={3} size="h5" mb={4}>
        Try it
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Checks the unsaved definition with these settings and credentials through the hub's outbound client, and runs one action. Nothing is stored.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <JsonInput label="Settings (JSON)" value={config} onChange={setConfig} autosize minRows={3} validationError="Not valid JSON" />
        <JsonInput label="Credentials (JSON)" value={credentials} onChange={setCredentials} autosize minRows={3} validationError="Not valid JSON" />
        <Select label="Action to run" placeholder="Only the check" clearable data={actions} value={action} onChange={setAction} />
        <JsonInput label="Action input (JSON)" value={input} onChange={setInput} autosize minRows={3} validationError="Not valid JSON" disabled={!action} />
      </SimpleGrid>
      <Button mt="md" variant="light" disabled={!valid} loading={attempt.isPending} onClick={() => attempt.mutate()}>
        Try it
      </Button>
      {attempt.isError && <ErrorAlert error={attempt.error} title="The definition could not be tried" />}
      {attempt.data && <TryOutcome result={attempt.data} />}
    </Paper>
  );
}

function TryOutcome({ result }: { result: TryResult }) {
  return (
    <Stack gap="xs" mt="md">
      <Alert color={result.check.ok ? 'teal' : 'red'} variant="light" data-testid="try-check" title={result.check.ok ? 'The check passed' : 'The check failed'}>
        {result.check.ok ? `Account: ${String((result.check.account as { name?: unknown } | undefined)?.name ?? '')}` : result.check.message}
      </Alert>
      {result.action && (
        <Alert color={result.action.ok ? 'teal' : 'red'} variant="light" title={result.action.ok ? 'The action answered' : 'The action failed'}>
          {result.action.ok ? (
            <Code block data-testid="try-output">
              {pretty(result.action.output)}
            </Code>
          ) : (
            <Text size="sm">{result.action.message}</Text>
          )}
        </Alert>
      )}
      {result.calls.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="try-calls">
          Calls: {result.calls.map((call) => `${call.method} ${call.url} → ${call.status ?? 'no answer'}`).join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
