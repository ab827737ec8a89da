// Typed client for the hub's /api/v1: one function per call the dashboard makes, errors as ApiRequestError.
import type { z } from 'zod';
import type { apiKeyView } from '../../src/access/api-keys.ts';
import type { memberView, sessionView } from '../../src/access/contracts.ts';
import type { auditEntry } from '../../src/audit/contracts.ts';
import type { Category } from '../../src/connectors/sdk/define.ts';
import type { connectorDetail, connectorSummary, integrationView, operationView } from '../../src/integrations/contracts.ts';
import type { oauthAppView, startFlowResponse } from '../../src/integrations/oauth/contracts.ts';
import type { IntegrationStatus } from '../../src/integrations/tables.ts';
import type { jobView } from '../../src/jobs/contracts.ts';
import type { changeView, kpiPoint, KPI_GROUPS, recordsPage, RunView, SyncView } from '../../src/syncs/contracts.ts';
import type { ApiKeyScope, Role as ServerRole } from '../../src/platform/db/schema.ts';
import type { JobState as ServerJobState } from '../../src/platform/jobs/engine.ts';

// Response shapes come from the server's own zod contracts (type-only imports: nothing of the server is
// bundled), so a changed contract fails `npm run typecheck` here instead of breaking the page at run time.
export type Role = ServerRole;
export type Scope = ApiKeyScope;
export type JobState = ServerJobState;
export type Session = z.infer<typeof sessionView>;
export type User = Session['user'];
export type Workspace = Session['workspace'];
export type Member = z.infer<typeof memberView>;
export type ApiKey = z.infer<typeof apiKeyView>;
export type Job = z.infer<typeof jobView>;
export type JobProgress = NonNullable<Job['progress']>;

// The runtime lists the forms offer, most powerful role first (CreateApiKeyModal relies on that order).
export const ROLES = ['owner', 'admin', 'member'] as const satisfies readonly Role[];
export const SCOPES = ['read', 'write'] as const satisfies readonly Scope[];
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const satisfies readonly JobState[];

export type AuditEntry = z.infer<typeof auditEntry>;

export type ConnectorCategory = Category;
export type ConnectorSummary = z.infer<typeof connectorSummary>;
export type ConnectorDetail = z.infer<typeof connectorDetail>;
export type ConnectorAction = ConnectorDetail['actions'][number];
export type Integration = z.infer<typeof integrationView>;
export type { IntegrationStatus };
export type Operation = z.infer<typeof operationView>;
export type OAuthApp = z.infer<typeof oauthAppView>;
// The catalogue's categories in the order the marketplace offers them (the server's own order).
export const CONNECTOR_CATEGORIES = [
  'video',
  'audio',
  'ai',
  'automation',
  'content',
  'analytics',
  'social',
  'commerce',
  'marketing',
  'email',
  'data',
  'custom',
] as const satisfies readonly Category[];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** An error answer from the API (or a network failure, with code `network_error`). */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  readonly status: number;
  readonly code: string;
  readonly fieldProblems: FieldProblem[];
  /** The error's `details` as sent; a non-list for some codes (connection_failed: `{ reason, field? }`). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, fieldProblems: FieldProblem[] = [], details: unknown = undefined) {
    super(message);
    this.status = status;
    this.code = code;
    this.fieldProblems = fieldProblems;
    this.details = details;
  }
}

/** The message to show a person: the API's message plus each field's problem it does not already spell out. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    const extra = unmentionedFieldProblems(error);
    if (extra.length === 0) return error.message;
    return `${error.message} ${extra.map((problem) => `${fieldLabel(problem.field)}: ${problem.message}`).join('; ')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Field problems the error's message does not already include (the hub often writes them into it). */
export function unmentionedFieldProblems(error: ApiRequestError): FieldProblem[] {
  return error.fieldProblems.filter((problem) => !error.message.includes(problem.message));
}

/** The API prefixes field paths with where they came from (body.name); a person only cares about "name". */
export function fieldLabel(field: string): string {
  return field.replace(/^(body|query|params)\./, '');
}

function parseFieldProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (item): item is FieldProblem =>
      typeof item === 'object' && item !== null && typeof item.field === 'string' && typeof item.message === 'string',
  );
}

/** A JSON call to `/api/v1<path>` with the session cookie; a refusal becomes an ApiRequestError naming the fields at fault. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetchOrNetworkError(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      // A proxy's HTML error page, for example: fall through to a generic message with the status.
    }
  }
  if (!response.ok) throw errorFromAnswer(response, payload);
  return payload as T;
}

function errorFromAnswer(response: Response, payload: unknown): ApiRequestError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  return new ApiRequestError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : `The hub answered ${response.status} ${response.statusText}.`,
    parseFieldProblems(error?.details),
    error?.details,
  );
}

async function fetchOrNetworkError(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`/api/v1${path}`, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The hub could not be reached. Check that it is running.');
  }
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const id = encodeURIComponent;

// Session and account
export const getSession = () => request<Session>('GET', '/session');
export const signIn = (email: string, password: string) => request<unknown>('POST', '/session', { email, password });
export const signOut = () => request<void>('DELETE', '/session');
export const switchWorkspace = (workspaceId: string) => request<unknown>('POST', '/session/workspace', { workspaceId });
export const changePassword = (currentPassword: string, newPassword: string) =>
  request<unknown>('POST', '/account/password', { currentPassword, newPassword });

// Workspaces
export const createWorkspace = (input: { name: string; slug: string }) => request<unknown>('POST', '/workspaces', input);

// Jobs
export interface JobFilter {
  state?: JobState | null;
  type?: string;
  cursor?: string | null;
  limit?: number;
}
export const listJobs = (filter: JobFilter) => request<Page<Job>>('GET', `/jobs${query({ ...filter })}`);
export const retryJob = (jobId: string) => request<unknown>('POST', `/jobs/${id(jobId)}/retry`);
export const cancelJob = (jobId: string) => request<unknown>('POST', `/jobs/${id(jobId)}/cancel`);

// Sync runs (the sync engine's own view of its jobs: one run across its attempts, dead-lettered ones included).
export type SyncRun = RunView;
export const listSyncRuns = (filter: { status?: string | null; integrationId?: string | null; cursor?: string | null; limit?: number }) =>
  request<Page<SyncRun>>('GET', `/sync-runs${query({ ...filter })}`);
export const retrySyncRun = (runId: string) => request<SyncRun>('POST', `/sync-runs/${id(runId)}/retry`);
export const cancelSyncRun = (runId: string) => request<SyncRun>('POST', `/sync-runs/${id(runId)}/cancel`);

// An integration's syncs (schedule, pause, "Sync now"), its synced records with their history, and KPI series.
export type IntegrationSync = SyncView;
export type RecordsPage = z.infer<typeof recordsPage>;
export type SyncedRecord = RecordsPage['items'][number];
export type RecordChange = z.infer<typeof changeView>;
export type KpiPoint = z.infer<typeof kpiPoint>;
export type KpiGroupBy = (typeof KPI_GROUPS)[number];
export const listIntegrationSyncs = (integrationId: string) => request<{ items: IntegrationSync[] }>('GET', `/integrations/${id(integrationId)}/syncs`);
export const updateIntegrationSync = (integrationId: string, sync: string, input: { frequency?: string | null; paused?: boolean }) =>
  request<IntegrationSync>('PATCH', `/integrations/${id(integrationId)}/syncs/${id(sync)}`, input);
export const runIntegrationSync = (integrationId: string, sync: string) => request<SyncRun>('POST', `/integrations/${id(integrationId)}/syncs/${id(sync)}/run`);
export const listRecords = (
  integrationId: string,
  filter: { model?: string | null; search?: string; filter?: RecordChange['kind'] | null; cursor?: string | null; limit?: number },
) => request<RecordsPage>('GET', `/integrations/${id(integrationId)}/records${query({ ...filter })}`);
export const getRecordHistory = (integrationId: string, model: string, externalId: string, cursor?: string | null) =>
  request<{ record: SyncedRecord; items: RecordChange[]; nextCursor: string | null }>(
    'GET',
    `/integrations/${id(integrationId)}/records/${id(model)}/${id(externalId)}/history${query({ cursor })}`,
  );
export const getKpis = (filter: { metric: string; from?: string; to?: string; groupBy?: KpiGroupBy; integrationId?: string | null }) =>
  request<{ from: string; to: string; groupBy: KpiGroupBy; items: KpiPoint[] }>('GET', `/kpis${query({ ...filter })}`);

// Members
export const listMembers = () => request<{ items: Member[] }>('GET', '/members');
export const addMember = (input: { email: string; name?: string; role: Role }) =>
  request<{ member: Member; temporaryPassword: string | null }>('POST', '/members', input);
export const changeMemberRole = (userId: string, role: Role) => request<unknown>('PATCH', `/members/${id(userId)}`, { role });
export const removeMember = (userId: string) => request<void>('DELETE', `/members/${id(userId)}`);

// API keys
export const listApiKeys = () => request<{ items: ApiKey[] }>('GET', '/api-keys');
export const createApiKey = (input: { name: string; role: Role; scopes: Scope[] }) =>
  request<{ apiKey: ApiKey; key: string }>('POST', '/api-keys', input);
export const revokeApiKey = (keyId: string) => request<void>('DELETE', `/api-keys/${id(keyId)}`);

// Audit log
export const listAuditLog = (filter: { action?: string; cursor?: string | null; limit?: number }) =>
  request<Page<AuditEntry>>('GET', `/audit-log${query({ ...filter })}`);

// Connectors (the catalogue)
export const listConnectors = (filter: { category?: ConnectorCategory | null; q?: string } = {}) =>
  request<{ items: ConnectorSummary[] }>('GET', `/connectors${query({ ...filter })}`);
export const getConnector = (connectorId: string) => request<ConnectorDetail>('GET', `/connectors/${id(connectorId)}`);

// Integrations
export interface IntegrationInput {
  name: string;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}
export const listIntegrations = () => request<{ items: Integration[] }>('GET', '/integrations');
export const getIntegration = (integrationId: string) => request<Integration>('GET', `/integrations/${id(integrationId)}`);
export const createIntegration = (input: IntegrationInput & { connectorId: string }) => request<Integration>('POST', '/integrations', input);
export const updateIntegration = (integrationId: string, input: Partial<IntegrationInput>) =>
  request<Integration>('PATCH', `/integrations/${id(integrationId)}`, input);
export const disconnectIntegration = (integrationId: string) => request<Integration>('DELETE', `/integrations/${id(integrationId)}`);
export const testIntegration = (integrationId: string) =>
  request<{ ok: boolean; message: string | null; integration: Integration }>('POST', `/integrations/${id(integrationId)}/test`);
export const listOperations = (integrationId: string, filter: { cursor?: string | null; limit?: number }) =>
  request<Page<Operation>>('GET', `/integrations/${id(integrationId)}/operations${query({ ...filter })}`);

/** What an action answered: typed JSON, or bytes (audio, video, files) with their content type. */
export type ActionResult =
  | { kind: 'json'; output: unknown }
  | { kind: 'binary'; blob: Blob; contentType: string; fileName: string | null };

export async function runAction(integrationId: string, action: string, input: unknown): Promise<ActionResult> {
  const response = await fetchOrNetworkError(`/integrations/${id(integrationId)}/actions/${id(action)}`, {
    method: 'POST',
    headers: { accept: 'application/json, */*', 'content-type': 'application/json' },
    body: JSON.stringify(input ?? {}),
  });
  const contentType = response.headers.get('content-type') ?? '';
  // Binary outputs arrive as the provider's bytes; everything else (answers and errors) is the hub's JSON.
  if (response.ok && !contentType.startsWith('application/json')) {
    const disposition = response.headers.get('content-disposition') ?? '';
    return { kind: 'binary', blob: await response.blob(), contentType: contentType || 'application/octet-stream', fileName: /filename="([^"]*)"/.exec(disposition)?.[1] ?? null };
  }
  const text = await response.text();
  let payload: unknown = undefined;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON although it said so: reported below with the status.
  }
  if (!response.ok) throw errorFromAnswer(response, payload);
  return { kind: 'json', output: (payload as { output?: unknown } | undefined)?.output ?? null };
}

// OAuth: the workspace's own OAuth app per connector, and starting an authorization.
export const listOAuthApps = () => request<{ items: OAuthApp[] }>('GET', '/oauth-apps');
export const saveOAuthApp = (connectorId: string, input: { clientId: string; clientSecret?: string | null }) =>
  request<OAuthApp>('PUT', `/oauth-apps/${id(connectorId)}`, input);
export const deleteOAuthApp = (connectorId: string) => request<void>('DELETE', `/oauth-apps/${id(connectorId)}`);

/**
 * Starts an OAuth authorization and answers the provider's URL to send the browser to. The provider
 * returns to the hub's callback, which sends the browser back to `returnTo` with `?integration=<id>` or
 * `?oauthError=<message>`. (The POST form of the start route, not the redirecting GET: a refusal, such as
 * a missing OAuth app or a taken name, then arrives as an error the page can show, not as a JSON page.)
 */
export const startOAuth = (
  connectorId: string,
  input: { returnTo: string } & ({ name: string; config: Record<string, unknown> } | { integrationId: string }),
) => request<z.infer<typeof startFlowResponse>>('POST', `/integrations/oauth/${id(connectorId)}/start`, input);
