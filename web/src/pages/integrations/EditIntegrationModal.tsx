// Edit an integration: rename it, change its settings, or replace its credential. The hub checks new
// settings or a new credential with the provider before they replace what works now.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Divider, Loader, Modal, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { updateIntegration, type ConnectorDetail, type Integration, type IntegrationInput } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { hasErrors, initialDraft, readDraft, type Draft, type FieldErrors } from '../../components/schema-form/draft.ts';
import { SchemaForm } from '../../components/schema-form/SchemaForm.tsx';
import { propertiesOf, type JsonSchema } from '../../components/schema-form/schema.ts';
import { notifySuccess } from '../../notify.ts';
import { placeConnectionError, type ProblemSummary } from './connection-errors.ts';
import { ModalFooter } from './ModalFooter.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';
import { useConnector, useIntegrationsRefresh } from './queries.ts';

export function EditIntegrationModal({ integration, onClose }: { integration: Integration | null; onClose: () => void }) {
  const connector = useConnector(integration?.connectorId);
  return (
    <Modal opened={integration !== null} onClose={onClose} title={`Edit ${integration?.name ?? 'integration'}`} size="lg" closeOnClickOutside={false}>
      {!integration ? null : connector.isPending ? (
        <Center p="xl">
          <Loader size="sm" aria-label="Loading the connector" />
        </Center>
      ) : connector.isError ? (
        <ErrorAlert error={connector.error} title="The connector could not be loaded" />
      ) : (
        <EditForm key={integration.id} integration={integration} connector={connector.data} onClose={onClose} />
      )}
    </Modal>
  );
}

/** Placeholders that show what a secret is now ("••••1234") while the input for its replacement is empty. */
function maskedPlaceholders(integration: Integration): Record<string, string> {
  return Object.fromEntries(Object.entries(integration.credentials).map(([field, masked]) => [field, `Now ${masked}`]));
}

function EditForm({ integration, connector, onClose }: { integration: Integration; connector: ConnectorDetail; onClose: () => void }) {
  const configSchema = connector.configSchema as JsonSchema;
  const credentialSchema = connector.credentialSchema as JsonSchema;
  const canReplaceCredential = connector.authKind !== 'oauth2' && propertiesOf(credentialSchema).length > 0;
  const refresh = useIntegrationsRefresh();

  const [name, setName] = useState(integration.name);
  const [config, setConfig] = useState<Draft>(() => initialDraft(configSchema, integration.config));
  const [replacing, setReplacing] = useState(false);
  const [credentials, setCredentials] = useState<Draft>(() => initialDraft(credentialSchema));
  const [nameError, setNameError] = useState<string | undefined>();
  const [configErrors, setConfigErrors] = useState<FieldErrors>({});
  const [credentialErrors, setCredentialErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ProblemSummary | null>(null);

  const save = useMutation({
    mutationFn: (changes: Partial<IntegrationInput>) => updateIntegration(integration.id, changes),
    onMutate: () => setProblem(null),
    onSuccess: (updated) => {
      notifySuccess(`${updated.name} was saved.`);
      void refresh(updated);
      onClose();
    },
    onError: (error, changes) => {
      const filledSecrets = Object.keys(changes.credentials ?? {}).filter((field) => credentialSchema.properties?.[field]?.writeOnly);
      const placed = placeConnectionError(error, { config: configSchema, credentials: credentialSchema }, filledSecrets);
      setProblem(placed.alert);
      setNameError(placed.name);
      setConfigErrors(placed.config);
      setCredentialErrors(placed.credentials);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const nameProblem = trimmed === '' ? 'Required.' : undefined;
    const settings = readDraft(configSchema, config);
    // Fields left empty are not sent, and the hub keeps their stored values: nothing is required here.
    const secret = replacing ? readDraft({ ...credentialSchema, required: [] }, credentials) : { value: {}, errors: {} };
    setNameError(nameProblem);
    setConfigErrors(settings.errors);
    setCredentialErrors(secret.errors);
    if (nameProblem || hasErrors(settings.errors) || hasErrors(secret.errors)) return;

    // Only what changed is sent: unchanged settings would make the hub re-check the provider for nothing.
    const changes: Partial<IntegrationInput> = {};
    if (trimmed !== integration.name) changes.name = trimmed;
    if (JSON.stringify(settings.value) !== JSON.stringify(readDraft(configSchema, initialDraft(configSchema, integration.config)).value)) {
      changes.config = settings.value;
    }
    if (replacing) changes.credentials = secret.value;
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    save.mutate(changes);
  }

  return (
    <form onSubmit={submit} aria-label={`Edit ${integration.name}`} noValidate>
      <Stack gap="md">
        <ProblemAlert problem={problem} />
        <TextInput label="Name" withAsterisk data-autofocus data-field="name" maxLength={100} error={nameError} value={name} onChange={(event) => setName(event.currentTarget.value)} />
        {propertiesOf(configSchema).length > 0 && (
          <>
            <Divider label="Settings" labelPosition="left" />
            <SchemaForm schema={configSchema} value={config} onChange={setConfig} errors={configErrors} idPrefix="edit-config" collapseDefaults />
          </>
        )}
        {canReplaceCredential ? (
          <>
            <Divider label="Credential" labelPosition="left" />
            <Switch
              label="Change the credential"
              description="Fill in the fields to change; empty ones keep their current value. The result is checked with the provider first; if refused, the current credential stays."
              checked={replacing}
              onChange={(event) => setReplacing(event.currentTarget.checked)}
            />
            {replacing && (
              <SchemaForm
                schema={credentialSchema}
                value={credentials}
                onChange={setCredentials}
                errors={credentialErrors}
                idPrefix="edit-credentials"
                placeholders={maskedPlaceholders(integration)}
              />
            )}
          </>
        ) : connector.authKind === 'oauth2' ? (
          <Alert color="gray" variant="light">
            <Text size="sm">The hub refreshes the OAuth tokens itself. To sign in again or grant access anew, use Reconnect on the integration's page.</Text>
          </Alert>
        ) : null}
        <ModalFooter>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </ModalFooter>
      </Stack>
    </form>
  );
}
