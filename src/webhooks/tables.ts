// The event log, subscriber endpoints, deliveries (one event to one endpoint) with their HTTP attempts, and
// the receipts of inbound provider webhooks. Secrets (signing secrets, custom headers) are vault ciphertexts.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../platform/db/schema.ts';

export const EVENT_SOURCES = ['api', 'sync', 'scraper', 'provider', 'manual'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const events = pgTable(
  'events',
  {
    /** UUIDv7: sorts by time, and is the `webhook-id` of every delivery of the event. */
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** Version of the type's payload schema the payload was written against (GET /api/v1/event-types). */
    version: integer('version').notNull(),
    source: text('source', { enum: EVENT_SOURCES }).notNull(),
    // No foreign keys to integrations: an event stays readable, and deliverable, whatever happens to its cause.
    integrationId: uuid('integration_id'),
    connectorId: text('connector_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_workspace_idx').on(t.workspaceId, t.id),
    index('events_workspace_type_idx').on(t.workspaceId, t.type, t.id),
    index('events_integration_idx').on(t.integrationId),
    index('events_created_idx').on(t.createdAt),
  ],
);

export const ENDPOINT_PRESETS = ['generic', 'n8n', 'zapier', 'make'] as const;
export type EndpointPreset = (typeof ENDPOINT_PRESETS)[number];

/** enabled: receives. paused: deliveries wait (held) until resumed. disabled: by 410 Gone or sustained failure. */
export const ENDPOINT_STATES = ['enabled', 'paused', 'disabled'] as const;
export type EndpointState = (typeof ENDPOINT_STATES)[number];

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    preset: text('preset', { enum: ENDPOINT_PRESETS }).notNull(),
    /** Exact types and wildcards (`sync.*`, `*`). */
    eventTypes: jsonb('event_types').$type<string[]>().notNull(),
    state: text('state', { enum: ENDPOINT_STATES }).notNull(),
    /** Why the endpoint is disabled, in words a person can act on. */
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Messages per second; null: no limit. */
    rateLimitPerSecond: integer('rate_limit_per_second'),
    /** Seconds to wait after each failed attempt; null: the default schedule. */
    retrySchedule: jsonb('retry_schedule').$type<number[]>(),
    /** Vault ciphertext of `{ name: value }`: headers such as n8n's Header Auth carry credentials. */
    headers: text('headers'),
    /** The custom headers' names, shown in the API and dashboard (the values never are). */
    headerNames: jsonb('header_names').$type<string[]>().notNull().default([]),
    /** Vault ciphertext of the signing secret (`whsec_…`). */
    secret: text('secret'),
    /** The secret before the last rotation, still used to sign (beside the new one) until it expires. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }),
    /** Start of the current run of failures (null after a success): the base of automatic disabling. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    /**
     * The next free send slot of a rate-limited endpoint. Each delivery reserves one, so a backlog is spread
     * out in the job queue instead of waiting inside workers.
     */
    rateSlotAt: timestamp('rate_slot_at', { withTimezone: true }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Soft delete: the event log keeps the deliveries made to it. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhook_endpoints_workspace_idx').on(t.workspaceId).where(sql`${t.deletedAt} is null`)],
);

/**
 * pending: an attempt is queued or scheduled (job_id). held: the endpoint is paused; no job until resume.
 * succeeded / failed: final, until a replay makes it pending again.
 */
export const DELIVERY_STATUSES = ['pending', 'held', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    /**
     * The one job allowed to make the next attempt. A job that finds another id here was superseded (by a
     * retry, a replay, or its own earlier run that committed before a crash) and does nothing.
     */
    jobId: uuid('job_id'),
    /** HTTP attempts made so far, over every replay. */
    attemptCount: integer('attempt_count').notNull().default(0),
    /** Failed attempts since the schedule (re)started: the index into the retry schedule. */
    scheduleStep: integer('schedule_step').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When it became succeeded or failed. */
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_event_idx').on(t.eventId),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.status, t.completedAt),
    index('webhook_deliveries_workspace_completed_idx').on(t.workspaceId, t.completedAt),
  ],
);

export const ATTEMPT_TRIGGERS = ['scheduled', 'replay', 'test'] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull(),
    /** 1 for the delivery's first attempt, counting across replays. */
    attemptNumber: integer('attempt_number').notNull(),
    trigger: text('trigger', { enum: ATTEMPT_TRIGGERS }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    latencyMs: integer('latency_ms').notNull(),
    /** Null when no answer came (timeout, network, refused, breaker open). */
    status: integer('status'),
    /** The outbound client's code (timeout, network, ssrf_refused, circuit_open …) or http_error. */
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** What was sent, without secrets: custom header values are masked. */
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    /** The first 4 KB of the answer. */
    responseBody: text('response_body'),
    /** When the next attempt was scheduled, if one was. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptNumber),
    index('webhook_attempts_endpoint_idx').on(t.endpointId, t.startedAt),
    index('webhook_attempts_started_idx').on(t.startedAt),
  ],
);

/** One accepted provider webhook: the raw body as received and its normalised form. */
export const inboundWebhooks = pgTable(
  'inbound_webhooks',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id').notNull(),
    connectorId: text('connector_id').notNull(),
    /** The provider's delivery id, or a digest of the signature: a second request with it is a replay. */
    dedupKey: text('dedup_key').notNull(),
    providerType: text('provider_type').notNull(),
    contentType: text('content_type'),
    rawBody: text('raw_body').notNull(),
    /** Request headers minus the signature and anything credential-like. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull(),
    normalized: jsonb('normalized'),
    eventId: uuid('event_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_webhooks_dedup_idx').on(t.integrationId, t.dedupKey),
    index('inbound_webhooks_received_idx').on(t.receivedAt),
  ],
);
