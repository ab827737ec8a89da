// Request and response shapes of the events and webhooks routes, shared by the server, the tests and the dashboard.
import { z } from 'zod';
import { isoDate } from '../platform/http/pagination.ts';
import { EVENT_FILTER_PATTERN } from './catalogue.ts';
import { ATTEMPT_TRIGGERS, DELIVERY_STATUSES, ENDPOINT_PRESETS, ENDPOINT_STATES, EVENT_SOURCES } from './tables.ts';

export const EVENT_STATUSES = ['delivered', 'failed', 'pending', 'none'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const eventTypeView = z.object({
  type: z.string(),
  version: z.number(),
  description: z.string(),
  /** Emitted by the hub itself; POST /api/v1/events refuses them. */
  hubOnly: z.boolean(),
  /** JSON Schema of the payload (`data` in the delivered message). */
  schema: z.record(z.string(), z.unknown()),
});

export const deliveryCounts = z.object({ total: z.number(), succeeded: z.number(), failed: z.number(), pending: z.number() });

export const eventView = z.object({
  id: z.string(),
  type: z.string(),
  version: z.number(),
  source: z.enum(EVENT_SOURCES),
  integrationId: z.string().nullable(),
  connectorId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  /** failed: a delivery failed for good. pending: one is still trying. delivered: all succeeded. none: no endpoint subscribed. */
  status: z.enum(EVENT_STATUSES),
  deliveries: deliveryCounts,
});

export const attemptView = z.object({
  id: z.string(),
  attemptNumber: z.number(),
  trigger: z.enum(ATTEMPT_TRIGGERS),
  startedAt: isoDate,
  latencyMs: z.number(),
  status: z.number().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** As sent, with custom header values masked. */
  requestHeaders: z.record(z.string(), z.string()),
  responseHeaders: z.record(z.string(), z.string()).nullable(),
  /** The first 4 KB of the answer. */
  responseBody: z.string().nullable(),
  nextAttemptAt: isoDate.nullable(),
});

export const deliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  endpointId: z.string(),
  endpointUrl: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attemptCount: z.number(),
  nextAttemptAt: isoDate.nullable(),
  lastAttemptAt: isoDate.nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
});

export const eventDetailView = eventView.extend({
  deliveryList: z.array(deliveryView.extend({ attempts: z.array(attemptView) })),
});

export const endpointHealth = z.object({
  /** Attempts in the last 24 hours, test sends included. */
  attempts24h: z.number(),
  succeeded24h: z.number(),
  failed24h: z.number(),
  /** Share of those attempts that succeeded, 0–1; null without attempts. */
  successRate24h: z.number().nullable(),
  lastAttemptAt: isoDate.nullable(),
  lastStatus: z.number().nullable(),
  /** Deliveries waiting: queued, retrying, or held while paused. */
  pending: z.number(),
});

export const endpointView = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  preset: z.enum(ENDPOINT_PRESETS),
  eventTypes: z.array(z.string()),
  state: z.enum(ENDPOINT_STATES),
  disabledReason: z.string().nullable(),
  disabledAt: isoDate.nullable(),
  rateLimitPerSecond: z.number().nullable(),
  /** Seconds waited after each failed attempt (the default schedule unless the endpoint sets its own). */
  retrySchedule: z.array(z.number()),
  customRetrySchedule: z.boolean(),
  /** Names of the custom headers; their values are never returned. */
  headerNames: z.array(z.string()),
  secretRotatedAt: isoDate.nullable(),
  /** While set and in the future, deliveries carry a signature with the previous secret too. */
  previousSecretExpiresAt: isoDate.nullable(),
  failingSince: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  health: endpointHealth,
});

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be a valid HTTP header name')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()) && !name.toLowerCase().startsWith('webhook-'), 'is set by the hub and cannot be overridden');
export const RESERVED_HEADERS = new Set(['content-type', 'content-length', 'host', 'user-agent', 'connection', 'transfer-encoding', 'te', 'upgrade', 'expect']);

export const endpointFields = {
  url: z.string().trim().min(1).max(2048),
  description: z.string().trim().max(500),
  preset: z.enum(ENDPOINT_PRESETS),
  eventTypes: z
    .array(z.string().regex(EVENT_FILTER_PATTERN, 'must be an event type, a prefix such as sync.*, or *'))
    .min(1)
    .max(100),
  rateLimitPerSecond: z.number().int().min(1).max(10_000).nullable(),
  /** Sent with every delivery (e.g. n8n Header Auth); stored encrypted; replaces all custom headers when given. */
  headers: z.record(headerName, z.string().max(4096)).refine((value) => Object.keys(value).length <= 20, 'at most 20 headers'),
  /** Seconds to wait after each failed attempt, e.g. [5, 300, 1800]; null restores the default schedule. */
  retrySchedule: z.array(z.number().int().min(1).max(604_800)).max(20).nullable(),
};

export const createEndpointBody = z.object({
  url: endpointFields.url,
  description: endpointFields.description.default(''),
  preset: endpointFields.preset.default('generic'),
  eventTypes: endpointFields.eventTypes.default(['*']),
  /** false creates it paused. */
  enabled: z.boolean().default(true),
  rateLimitPerSecond: endpointFields.rateLimitPerSecond.optional(),
  headers: endpointFields.headers.optional(),
  retrySchedule: endpointFields.retrySchedule.optional(),
});

export const updateEndpointBody = z.object({
  url: endpointFields.url.optional(),
  description: endpointFields.description.optional(),
  preset: endpointFields.preset.optional(),
  eventTypes: endpointFields.eventTypes.optional(),
  rateLimitPerSecond: endpointFields.rateLimitPerSecond.optional(),
  headers: endpointFields.headers.optional(),
  retrySchedule: endpointFields.retrySchedule.optional(),
});

export const presetView = z.object({
  id: z.enum(ENDPOINT_PRESETS),
  label: z.string(),
  description: z.string(),
  urlExample: z.string(),
  rateLimitPerSecond: z.number().nullable(),
  headerHint: z.string().nullable(),
});

export const testResultView = z.object({
  ok: z.boolean(),
  status: z.number().nullable(),
  latencyMs: z.number(),
  responseBody: z.string().nullable(),
  error: z.string().nullable(),
  eventId: z.string(),
  deliveryId: z.string(),
});

export const eventStatsView = z.object({
  since: isoDate,
  /** Deliveries that succeeded or failed for good in the window, and those still waiting now. */
  succeeded: z.number(),
  failed: z.number(),
  pending: z.number(),
});

/** The event log's filters, shared by the list and the export. */
export const eventFilterQuery = {
  type: z.string().regex(EVENT_FILTER_PATTERN, 'must be an event type or a prefix such as sync.*').optional(),
  connectorId: z.string().max(100).optional(),
  integrationId: z.uuid().optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Text to find anywhere in the payload (case-insensitive).'),
};
