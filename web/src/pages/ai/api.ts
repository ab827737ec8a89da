// The AI page's calls to /api/v1/ai, typed by the server's own contracts (type-only imports).
import type { z } from 'zod';
import type { attemptView, completionResponse, providerChoice, providerView, quotaSettingsView, quotaView, routeInput, routeView, usageView } from '../../../../src/ai/contracts.ts';
import { ApiRequestError } from '../../api.ts';

export type ProviderHealth = z.infer<typeof providerView>;
export type AiRoute = z.infer<typeof routeView>;
export type RouteInput = z.input<typeof routeInput>;
export type RouteTarget = AiRoute['targets'][number];
export type ProviderChoice = z.infer<typeof providerChoice>;
export type Quota = z.infer<typeof quotaView>;
export type QuotaSettings = z.infer<typeof quotaSettingsView>;
export type Usage = z.infer<typeof usageView>;
export type UsageGroup = Usage['groupBy'];
export type Attempt = z.infer<typeof attemptView>;
export type Completion = z.infer<typeof completionResponse>;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/ai${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'The hub could not be reached. Check that it is running.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: any;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (!response.ok) {
    const error = payload?.error;
    const details = error?.details;
    const fields = Array.isArray(details) ? details.filter((item: any) => typeof item?.field === 'string' && typeof item?.message === 'string') : [];
    throw new ApiRequestError(response.status, error?.code ?? 'http_error', error?.message ?? `The hub answered ${response.status}.`, fields, details);
  }
  return payload as T;
}

export const listProviders = () => call<{ items: ProviderHealth[] }>('GET', '/providers');
export const listRoutes = () => call<{ items: AiRoute[]; providers: ProviderChoice[] }>('GET', '/routes');
export const saveRoute = (name: string, input: RouteInput) => call<AiRoute>('PUT', `/routes/${encodeURIComponent(name)}`, input);
export const deleteRoute = (name: string) => call<void>('DELETE', `/routes/${encodeURIComponent(name)}`);
export const getQuota = () => call<Quota>('GET', '/quota');
export const updateQuota = (settings: QuotaSettings) => call<Quota>('PUT', '/quota', settings);
export const getUsage = (groupBy: UsageGroup, range: { from?: string; to?: string } = {}) => {
  const search = new URLSearchParams({ groupBy, ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) });
  return call<Usage>('GET', `/usage?${search}`);
};
export const listAttempts = (limit = 20) => call<{ items: Attempt[]; nextCursor: string | null }>('GET', `/usage/attempts?limit=${limit}`);
export const complete = (input: { prompt: string; taskType?: string; maxTokens?: number }) => call<Completion>('POST', '/completion', input);
