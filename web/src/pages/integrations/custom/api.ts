// The custom-connector builder's and the run history's calls to /api/v1, typed from the server's own contracts
// so a changed contract fails the typecheck here.
import type { z } from 'zod';
import type { customConnectorView, tryResult, versionView } from '../../../../../src/custom-connectors/contracts.ts';
import type { runView } from '../../../../../src/integration-runs/contracts.ts';
import { request, type Page } from '../../../api.ts';

export type CustomConnector = z.infer<typeof customConnectorView>;
export type CustomConnectorVersion = z.infer<typeof versionView>;
export type TryResult = z.infer<typeof tryResult>;
export type Run = z.infer<typeof runView>;
export const ACTIVE_RUN_STATUSES: ReadonlySet<Run['status']> = new Set(['queued', 'running']);


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
