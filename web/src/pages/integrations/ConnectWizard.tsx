// The connect wizard (seed 001's API-key modal, seed 003's step-by-step wizard): name and settings, then the
// credential, then "Test & connect", all generated from the connector's JSON Schemas. OAuth connectors end
// with a trip to the provider and come back to this same address with the outcome in the query string.
import { useEffect, useState, type FormEvent } from 'react';
import { Anchor, Button, Center, Group, Loader, Modal, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createIntegration, saveOAuthApp, startOAuth, type ConnectorDetail, type Integration } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { hasErrors, initialDraft, readDraft, type Draft, type FieldErrors } from '../../components/schema-form/draft.ts';
import { SchemaForm } from '../../components/schema-form/SchemaForm.tsx';
import { fieldLabelOf, propertiesOf, type JsonSchema } from '../../components/schema-form/schema.ts';
import { placeConnectionError, type ProblemSummary } from './connection-errors.ts';
import { ConnectedStep } from './ConnectedStep.tsx';
import { ConnectorLogo } from './ConnectorLogo.tsx';
import { OAuthAppStep, type OAuthAppDraft } from './OAuthAppStep.tsx';
import { OAuthAuthorizeStep } from './OAuthAuthorizeStep.tsx';
import { ModalFooter } from './ModalFooter.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';
import { useConnector, useIntegration, useIntegrations, useIntegrationsRefresh, useOAuthApps } from './queries.ts';

/** What the hub's OAuth callback put in the return address. */
export interface OAuthReturn {
  integrationId: string | null;
  error: string | null;
}

type StepKey = 'settings' | 'credentials' | 'connect' | 'oauthApp' | 'authorize';

const STEP_LABELS: Record<StepKey, { label: string; description: string }> = {
  settings: { label: 'Settings', description: 'Name and options' },
  credentials: { label: 'Credentials', description: 'Key or password' },
  oauthApp: { label: 'OAuth app', description: 'Your client at the provider' },
  connect: { label: 'Test & connect', description: 'Checked with the provider' },
  authorize: { label: 'Authorize', description: 'Approve at the provider' },
};

// The name typed before leaving for the provider, so a failed OAuth trip does not lose it.
const oauthDraftKey = (connectorId: string) => `switchboard:oauth-name:${connectorId}`;

function stepsOf(connector: ConnectorDetail): StepKey[] {
  if (connector.authKind === 'oauth2') return ['settings', 'oauthApp', 'authorize'];
  if (propertiesOf(connector.credentialSchema as JsonSchema).length === 0) return ['settings', 'connect'];
  return ['settings', 'credentials', 'connect'];
}

/** The connector's title, or "Title 2", "Title 3"… when the workspace already uses that name. */
function suggestedName(title: string, taken: ReadonlySet<string>): string {
  if (!taken.has(title)) return title;
  for (let n = 2; ; n++) if (!taken.has(`${title} ${n}`)) return `${title} ${n}`;
}

export function ConnectWizard({
  connectorId,
  oauthReturn,
  returnPath,
  onClose,
  onOpenIntegration,
}: {
  /** The wizard is open while this is set. */
  connectorId: string | null;
  oauthReturn: OAuthReturn | null;
  /** This page's address, where the OAuth flow sends the browser back. */
  returnPath: string;
  onClose: () => void;
  onOpenIntegration: (integration: Integration) => void;
}) {
  const connector = useConnector(connectorId);
  const title = connector.data?.title ?? 'integration';
  return (
    <Modal
      opened={connectorId !== null}
      onClose={onClose}
      size={680}
      // Half-typed credentials are lost on a stray click outside; closing is deliberate (× or Cancel).
      closeOnClickOutside={false}
      title={
        <Group gap="sm" wrap="nowrap">
          {connector.data && <ConnectorLogo svg={connector.data.logo} title={connector.data.title} size={28} />}
          <Text fw={650} size="lg">
            Connect {title}
          </Text>
        </Group>
      }
    >
      {connector.isPending ? (
        <Center p="xl">
          <Loader size="sm" aria-label="Loading the connector" />
        </Center>
      ) : connector.isError ? (
        <ErrorAlert error={connector.error} title="The connector could not be loaded" />
      ) : (
        <WizardBody
          key={connector.data.id}
          connector={connector.data}
          oauthReturn={oauthReturn}
          returnPath={returnPath}
          onClose={onClose}
          onOpenIntegration={onOpenIntegration}
        />
      )}
    </Modal>
  );
}

function WizardBody({
  connector,
  oauthReturn,
  returnPath,
  onClose,
  onOpenIntegration,
}: {
  connector: ConnectorDetail;
  oauthReturn: OAuthReturn | null;
  returnPath: string;
  onClose: () => void;
  onOpenIntegration: (integration: Integration) => void;
}) {
  const configSchema = connector.configSchema as JsonSchema;
  const credentialSchema = connector.credentialSchema as JsonSchema;
  const steps = stepsOf(connector);
  const lastStep = steps.length - 1;
  const integrations = useIntegrations();
  const refreshIntegrations = useIntegrationsRefresh();

  const [active, setActive] = useState(() => (oauthReturn?.error ? lastStep : 0));
  const [name, setName] = useState(() => sessionStorage.getItem(oauthDraftKey(connector.id)) ?? '');
  const [nameTouched, setNameTouched] = useState(false);
  const [config, setConfig] = useState<Draft>(() => initialDraft(configSchema));
  const [credentials, setCredentials] = useState<Draft>(() => initialDraft(credentialSchema));
  const [nameError, setNameError] = useState<string | undefined>();
  const [configErrors, setConfigErrors] = useState<FieldErrors>({});
  const [credentialErrors, setCredentialErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ProblemSummary | null>(() =>
    oauthReturn?.error ? { title: `${connector.title} did not connect`, message: oauthReturn.error, problems: [] } : null,
  );
  const [created, setCreated] = useState<Integration | null>(null);
  // Once the summary has been seen, fixing a field should not mean walking through the steps again.
  const [reviewed, setReviewed] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [appDraft, setAppDraft] = useState<OAuthAppDraft>({ clientId: '', clientSecret: '', replacing: false });
  const [appErrors, setAppErrors] = useState<{ clientId?: string | undefined }>({});
  const returned = useIntegration(oauthReturn?.integrationId);
  const oauthApps = useOAuthApps(steps.includes('oauthApp'));
  const oauthApp = oauthApps.data?.items.find((app) => app.connectorId === connector.id) ?? null;

  // Until someone types a name, offer the connector's title (numbered when the workspace already has one).
  const takenNames = new Set((integrations.data?.items ?? []).map((integration) => integration.name));
  const effectiveName = nameTouched || name ? name : suggestedName(connector.title, takenNames);

  useEffect(() => {
    if (oauthReturn) sessionStorage.removeItem(oauthDraftKey(connector.id));
  }, [oauthReturn, connector.id]);

  const connect = useMutation({
    mutationFn: (payload: { config: Record<string, unknown>; credentials: Record<string, unknown> }) =>
      createIntegration({ connectorId: connector.id, name: effectiveName.trim(), ...payload }),
    onMutate: () => setProblem(null),
    onSuccess: (integration) => {
      setCreated(integration);
      setActive(steps.length);
      void refreshIntegrations(integration);
    },
    onError: (error, payload) => showRefusal(error, Object.keys(payload.credentials)),
  });

  const saveApp = useMutation({
    mutationFn: () =>
      saveOAuthApp(connector.id, { clientId: appDraft.clientId.trim(), clientSecret: appDraft.clientSecret.trim() === '' ? null : appDraft.clientSecret.trim() }),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setAppDraft({ clientId: '', clientSecret: '', replacing: false });
      await oauthApps.refetch();
      setActive(steps.indexOf('authorize'));
    },
    onError: (error) => setProblem(placeConnectionError(error, { config: configSchema, credentials: credentialSchema }).alert),
  });

  // The browser leaves for the provider; the name is kept in case it comes back with an error.
  const authorize = useMutation({
    mutationFn: (configValue: Record<string, unknown>) => startOAuth(connector.id, { name: effectiveName.trim(), config: configValue, returnTo: returnPath }),
    onMutate: () => setProblem(null),
    onSuccess: ({ authorizationUrl }) => {
      sessionStorage.setItem(oauthDraftKey(connector.id), effectiveName.trim());
      setLeaving(true);
      window.location.assign(authorizationUrl);
    },
    onError: (error) => showRefusal(error, []),
  });

  /** Shows why the hub refused, on the inputs concerned, and takes the person to the first step to fix. */
  function showRefusal(error: unknown, sentCredentialFields: string[]) {
    const filledSecrets = sentCredentialFields.filter((field) => credentialSchema.properties?.[field]?.writeOnly);
    const placed = placeConnectionError(error, { config: configSchema, credentials: credentialSchema }, filledSecrets);
    setProblem(placed.alert);
    setNameError(placed.name);
    setConfigErrors(placed.config);
    setCredentialErrors(placed.credentials);
    // A provider outage (no field at fault) leaves the person where they are.
    if (placed.name || hasErrors(placed.config)) setActive(steps.indexOf('settings'));
    else if (hasErrors(placed.credentials) && steps.includes('credentials')) setActive(steps.indexOf('credentials'));
  }

  /** Checks the steps up to `step`; moves to the first one with a problem and answers null then. */
  function validateThrough(step: number): { config: Record<string, unknown>; credentials: Record<string, unknown> } | null {
    const trimmed = effectiveName.trim();
    const nameProblem = trimmed === '' ? 'Required.' : trimmed.length > 100 ? 'At most 100 characters.' : undefined;
    const settings = readDraft(configSchema, config);
    const secret = readDraft(credentialSchema, credentials);
    setNameError(nameProblem);
    setConfigErrors(settings.errors);
    const settingsBad = nameProblem !== undefined || hasErrors(settings.errors);
    if (settingsBad) {
      setActive(steps.indexOf('settings'));
      return null;
    }
    const credentialStep = steps.indexOf('credentials');
    if (credentialStep !== -1 && step >= credentialStep) {
      setCredentialErrors(secret.errors);
      if (hasErrors(secret.errors)) {
        setActive(credentialStep);
        return null;
      }
    }
    return { config: settings.value, credentials: secret.value };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const step = steps[active];
    const connecting = step === 'connect' || (reviewed && steps[lastStep] === 'connect');
    // "Test & connect" from an earlier step sends everything, so everything is checked first.
    const values = validateThrough(connecting ? lastStep : active);
    if (!values) return;
    if (connecting) connect.mutate(values);
    else if (step === 'authorize') authorize.mutate(values.config);
    else if (step === 'oauthApp' && (oauthApp === null || appDraft.replacing)) {
      const clientIdProblem = appDraft.clientId.trim() === '' ? 'Required.' : undefined;
      setAppErrors({ clientId: clientIdProblem });
      if (!clientIdProblem) saveApp.mutate();
    } else {
      if (active + 1 === lastStep) setReviewed(true);
      setActive(active + 1);
    }
  }

  const done = created ?? returned.data ?? null;
  if (oauthReturn?.integrationId) {
    if (returned.isPending) {
      return (
        <Center p="xl">
          <Loader size="sm" aria-label="Loading the new integration" />
        </Center>
      );
    }
    if (returned.isError) return <ErrorAlert error={returned.error} title="The new integration could not be loaded" />;
  }
  if (done) return <ConnectedStep integration={done} connector={connector} onClose={onClose} onOpen={() => onOpenIntegration(done)} />;

  const stepKey = steps[active] ?? 'settings';
  const busy = connect.isPending || saveApp.isPending || authorize.isPending || leaving;
  const primaryLabel =
    stepKey === 'connect' || (reviewed && steps[lastStep] === 'connect')
      ? 'Test & connect'
      : stepKey === 'authorize'
        ? `Connect with ${connector.title}`
        : stepKey === 'oauthApp' && (oauthApp === null || appDraft.replacing)
          ? 'Save app & continue'
          : 'Next';

  return (
    <form onSubmit={submit} aria-label={`Connect ${connector.title}`} noValidate>
      <Stack gap="lg">
        <Stepper active={active} onStepClick={(step) => step < active && setActive(step)} size="sm" allowNextStepsSelect={false}>
          {steps.map((step) => (
            <Stepper.Step key={step} label={STEP_LABELS[step].label} description={STEP_LABELS[step].description} />
          ))}
        </Stepper>

        <ProblemAlert problem={problem} />

        {stepKey === 'settings' && (
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {connector.description}{' '}
              <Anchor href={connector.docsUrl} target="_blank" rel="noreferrer" size="sm">
                Provider documentation
              </Anchor>
            </Text>
            <TextInput
              label="Name"
              description="How this connection is called in Switchboard, e.g. “Billing API (production)”."
              withAsterisk
              data-autofocus
              data-field="name"
              maxLength={100}
              error={nameError}
              value={effectiveName}
              onChange={(event) => {
                setNameTouched(true);
                setName(event.currentTarget.value);
              }}
            />
            <SchemaForm
              schema={configSchema}
              value={config}
              onChange={setConfig}
              errors={configErrors}
              idPrefix="connect-config"
              emptyText={`${connector.title} needs no settings.`}
              collapseDefaults
            />
          </Stack>
        )}

        {stepKey === 'credentials' && (
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Stored encrypted in this hub. After saving, only the last four characters are ever shown.
            </Text>
            <SchemaForm schema={credentialSchema} value={credentials} onChange={setCredentials} errors={credentialErrors} idPrefix="connect-credentials" />
          </Stack>
        )}

        {stepKey === 'connect' && (
          <ConnectSummary connector={connector} name={effectiveName} config={readDraft(configSchema, config).value} credentials={readDraft(credentialSchema, credentials).value} />
        )}

        {stepKey === 'oauthApp' &&
          (oauthApps.isPending ? (
            <Center p="md">
              <Loader size="sm" aria-label="Loading the workspace's OAuth apps" />
            </Center>
          ) : (
            <>
              <ErrorAlert error={oauthApps.error} title="The workspace's OAuth apps could not be loaded" />
              <OAuthAppStep
                connector={connector}
                app={oauthApp}
                redirectUri={connector.oauth?.redirectUri ?? oauthApp?.redirectUri ?? ''}
                draft={appDraft}
                errors={appErrors}
                onChange={setAppDraft}
              />
            </>
          ))}

        {stepKey === 'authorize' && <OAuthAuthorizeStep connector={connector} />}

        <ModalFooter justify="space-between">
          <div>
            {active > 0 && (
              <Button variant="default" onClick={() => setActive(active - 1)} disabled={busy}>
                Back
              </Button>
            )}
          </div>
          <Group gap="sm">
            <Button variant="subtle" color="gray" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {primaryLabel}
            </Button>
          </Group>
        </ModalFooter>
      </Stack>
    </form>
  );
}

/** What "Test & connect" is about to send, secrets shortened to their last characters. */
function ConnectSummary({
  connector,
  name,
  config,
  credentials,
}: {
  connector: ConnectorDetail;
  name: string;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}) {
  const configSchema = connector.configSchema as JsonSchema;
  const credentialSchema = connector.credentialSchema as JsonSchema;
  const rows: [string, string][] = [['Name', name.trim()]];
  for (const [key, value] of Object.entries(config)) {
    rows.push([fieldLabelOf(key, configSchema.properties?.[key] ?? {}), typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  for (const [key, value] of Object.entries(credentials)) {
    const schema = credentialSchema.properties?.[key] ?? {};
    const text = String(value);
    rows.push([fieldLabelOf(key, schema), schema.writeOnly ? `••••${text.length > 8 ? text.slice(-4) : ''}` : text]);
  }
  return (
    <Stack gap="sm">
      <Text size="sm">
        Switchboard will call {connector.title} with these details and save the integration only if the provider accepts
        them.
      </Text>
      <Stack gap={6} p="md" bg="var(--mantine-color-gray-0)" style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-gray-3)' }}>
        {rows.map(([label, value]) => (
          <Group key={label} gap="md" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" w={170} style={{ flex: 'none' }}>
              {label}
            </Text>
            <Text size="sm" ff={label === 'Name' ? undefined : 'monospace'} style={{ wordBreak: 'break-all' }}>
              {value}
            </Text>
          </Group>
        ))}
      </Stack>
    </Stack>
  );
}
