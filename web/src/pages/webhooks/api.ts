// Typed calls of the Webhooks page to /api/v1/events and /api/v1/webhooks, with the server's contracts as types.
import type { z } from 'zod';
import type {
  attemptView,
  deliveryView,
  endpointView,
  eventDetailView,
  eventStatsView,
  eventTypeView,
  eventView,
  presetView,
  testResultView,
  EventStatus,
} from '../../../../src/webhooks/contracts.ts';
import type { EndpointPreset } from '../../../../src/webhooks/tables.ts';
import { request, type Page } from '../../api.ts';

export type Endpoint = z.infer<typeof endpointView>;
export type EventSummary = z.infer<typeof eventView>;
export type EventDetail = z.infer<typeof eventDetailView>;
export type Delivery = z.infer<typeof deliveryView>;
export type Attempt = z.infer<typeof attemptView>;
export type EventType = z.infer<typeof eventTypeView>;
export type Preset = z.infer<typeof presetView>;
export type TestResult = z.infer<typeof testResultView>;
export type EventStats = z.infer<typeof eventStatsView>;
export type { EndpointPreset, EventStatus };

export const EVENT_STATUSES = ['delivered', 'failed', 'pending', 'none'] as const satisfies readonly EventStatus[];



export function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const id = encodeURIComponent;

export interface EndpointInput {
  url: string;
  description: string;
  preset: EndpointPreset;
  eventTypes: string[];
  rateLimitPerSecond: number | null;
  headers?: Record<string, string>;
  retrySchedule: number[] | null;
}

export interface EventFilter {
  type?: string;
  connectorId?: string;
  status?: EventStatus | null;
  from?: string;
  to?: string;
  q?: string;
}

export const listEndpoints = () => request<{ items: Endpoint[] }>('GET', '/webhooks/endpoints');
export const listPresets = () => request<{ items: Preset[] }>('GET', '/webhooks/presets');
export const listEventTypes = () => request<{ items: EventType[] }>('GET', '/event-types');
export const createEndpoint = (input: EndpointInput) => request<{ endpoint: Endpoint; secret: string; warnings: string[] }>('POST', '/webhooks/endpoints', input);
export const updateEndpoint = (endpointId: string, input: Partial<EndpointInput>) =>
  request<{ endpoint: Endpoint; warnings: string[] }>('PATCH', `/webhooks/endpoints/${id(endpointId)}`, input);
export const deleteEndpoint = (endpointId: string) => request<void>('DELETE', `/webhooks/endpoints/${id(endpointId)}`);
export const rotateSecret = (endpointId: string, overlapHours: number) =>
  request<{ endpoint: Endpoint; secret: string }>('POST', `/webhooks/endpoints/${id(endpointId)}/rotate-secret`, { overlapHours });
export const pauseEndpoint = (endpointId: string) => request<Endpoint>('POST', `/webhooks/endpoints/${id(endpointId)}/pause`);
export const resumeEndpoint = (endpointId: string) =>
  request<{ endpoint: Endpoint; released: number; replayable: { since: string; count: number } | null }>('POST', `/webhooks/endpoints/${id(endpointId)}/resume`);
export const testEndpoint = (endpointId: string) => request<TestResult>('POST', `/webhooks/endpoints/${id(endpointId)}/test`);
export const replayFailed = (endpointId: string, since: string) => request<{ queued: number }>('POST', `/webhooks/endpoints/${id(endpointId)}/replay`, { since });
export const replayDelivery = (deliveryId: string) => request<Delivery>('POST', `/webhooks/deliveries/${id(deliveryId)}/replay`);

export const listEvents = (filter: EventFilter & { cursor?: string | null; limit?: number }) =>
  request<Page<EventSummary>>('GET', `/events${queryString({ ...filter })}`);
export const getEvent = (eventId: string) => request<EventDetail>('GET', `/events/${id(eventId)}`);
export const getEventStats = () => request<EventStats>('GET', '/events/stats');
/** The export is a plain download: the session cookie authenticates it. */
export const exportUrl = (filter: EventFilter, format: 'csv' | 'json') => `/api/v1/events/export${queryString({ ...filter, format })}`;
