// The custom-connector builder's and the run history's calls to /api/v1, typed from the server's own contracts
// so a changed contract fails the typecheck here.
import type { z } from 'zod';
import type { customConnectorView, tryResult, versionView } from '../../../../../src/custom-connectors/contracts.ts';
import type { runView } from '../../../../../src/integration-runs/contracts.ts';
import { ApiRequestError, type FieldProblem, type Page } from '../../../api.ts';

export type CustomConnector = z.infer<typeof customConnectorView>;
export type CustomConnectorVersion = z.infer<typeof versionView>;
export type TryResult = z.infer<typeof tryResult>;
export type Run = z.infer<typeof runView>;
export const ACTIVE_RUN_STATUSES: ReadonlySet<Run['status']> = new Set(['queued', 'running']);

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The hub could not be reached. Check that it is running.');
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  if (!response.ok) {
    const details = payload?.error?.details;
    const problems = Array.isArray(details) ? (details as FieldProblem[]).filter((item) => typeof item?.field === 'string') : [];
    throw new ApiRequestError(response.status, payload?.error?.code ?? 'http_error', payload?.error?.message ?? `The hub answered ${response.status}.`, problems, details);
  }
  return payload as T;
}

const id = encodeURIComponent;

export const listCustomConnectors = () => request<{ items: CustomConnector[] }>('GET', '/connectors/custom');
export const createCustomConnector = (definition: unknown) => request<CustomConnector>('POST', '/connectors/custom', definition);
export const updateCustomConnector = (customId: string, definition: unknown) => request<CustomConnector>('PATCH', `/connectors/custom/${id(customId)}`, definition);
export const deleteCustomConnector = (customId: string) => request<void>('DELETE', `/connectors/custom/${id(customId)}`);
export const tryCustomConnector = (input: { definition: unknown; config: unknown; credentials: unknown; action?: string; input?: unknown }) =>
  request<TryResult>('POST', '/connectors/custom/try', input);

export const listRuns = (integrationId: string) => request<Page<Run>>('GET', `/integrations/${id(integrationId)}/runs?limit=20`);
export const startRun = (integrationId: string, body: { action?: string; input?: unknown }) => request<Run>('POST', `/integrations/${id(integrationId)}/run`, body);
export const cancelRun = (integrationId: string, runId: string) => request<Run>('POST', `/integrations/${id(integrationId)}/runs/${id(runId)}/cancel`);
