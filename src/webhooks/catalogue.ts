// The event catalogue: every event type the hub emits, with a versioned payload schema (served as JSON
// Schema at GET /api/v1/event-types), and how endpoint filters (`sync.*`) match types.
import { z } from 'zod';

export interface EventTypeDefinition {
  type: string;
  /** Bumped when a payload changes incompatibly; each event records the version it was written with. */
  version: number;
  description: string;
  /** The hub emits these itself; POST /api/v1/events may not forge them. */
  hubOnly?: boolean;
  payload: z.ZodType<Record<string, unknown>>;
}

// Schemas are loose objects: producers may add fields (subscribers must ignore unknown ones), but the
// listed fields are promised to every subscriber of that version.
const integrationRef = { integrationId: z.string(), connectorId: z.string() };
const syncRef = { runId: z.string(), integrationId: z.string(), sync: z.string().describe('The sync name, e.g. `campaigns`.') };
const counts = { added: z.number().int(), updated: z.number().int(), deleted: z.number().int() };
const quota = { quota: z.string(), used: z.number(), limit: z.number() };
const runRef = {
  ...integrationRef,
  runId: z.string(),
  kind: z.enum(['action', 'spark']),
  action: z.string(),
  durationMs: z.number().nullable(),
  externalId: z.string().nullable().describe('The Livy batch id of a Spark run.'),
  externalState: z.string().nullable().describe('The Livy batch state a Spark run ended in.'),
};

function define(type: string, description: string, shape: z.ZodRawShape, options: { hubOnly?: boolean; version?: number } = {}): EventTypeDefinition {
  return { type, version: options.version ?? 1, description, hubOnly: options.hubOnly ?? false, payload: z.looseObject(shape) };
}

export const EVENT_TYPES: readonly EventTypeDefinition[] = [
  define('integration.connected', 'An integration was connected (or re-authorised) and its credential checked.', {
    ...integrationRef,
    name: z.string(),
    account: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  }),
  define('integration.failed', 'An integration stopped working: its provider refused the credential or is unreachable.', {
    ...integrationRef,
    reason: z.string(),
    message: z.string(),
  }),
  define('integration.expired', "An integration's credential expired and could not be refreshed; it needs re-authorising.", {
    ...integrationRef,
    message: z.string(),
  }),
  define('integration.disconnected', 'An integration was disconnected and its credential deleted.', { ...integrationRef, name: z.string() }),
  define('data.synced', 'New or changed records arrived from a provider.', { ...integrationRef, sync: z.string(), model: z.string(), ...counts }),
  define('sync.started', 'A sync run started.', { ...syncRef, trigger: z.enum(['schedule', 'manual', 'webhook']).optional() }),
  define('sync.completed', 'A sync run finished.', { ...syncRef, durationMs: z.number(), ...counts }),
  define('sync.failed', 'A sync run failed; it may be retried.', { ...syncRef, error: z.string(), attempt: z.number().int(), willRetry: z.boolean() }),
  define('sync.dead', 'A sync run failed for good: its retries are exhausted.', { ...syncRef, error: z.string(), attempts: z.number().int() }),
  define('scrape.completed', 'A scrape finished.', { scrapeId: z.string(), url: z.string(), pages: z.number().int() }),
  define('scrape.failed', 'A scrape failed.', { scrapeId: z.string(), url: z.string(), error: z.string() }),
  define('ai.quota.warning', 'AI usage passed the warning share of a quota.', { ...quota, percent: z.number() }),
  define('ai.quota.exceeded', 'AI usage reached a quota; further requests are refused until it resets.', quota),
  define(
    'endpoint.disabled',
    'A webhook endpoint was disabled: it answered 410 Gone, or every delivery failed for the configured period.',
    { endpointId: z.string(), url: z.string(), reason: z.string(), failingSince: z.string().nullable() },
    { hubOnly: true },
  ),
  define(
    'endpoint.recovered',
    'A webhook endpoint accepted a delivery again after failing for at least ten minutes.',
    { endpointId: z.string(), url: z.string(), failingSince: z.string().nullable() },
    { hubOnly: true },
  ),
  define('run.completed', 'An integration run (POST /api/v1/integrations/:id/run: an action, n8n workflow or Spark job) succeeded.', runRef),
  define('run.failed', 'An integration run failed: the provider refused, the workflow failed, or the Spark batch ended dead, killed or error.', { ...runRef, error: z.string() }),
  define('run.cancelled', 'An integration run was cancelled (a Spark batch is killed with DELETE /batches/:id).', runRef),
  define('error.occurred', 'An error worth a person’s attention happened in the hub or a provider.', {
    message: z.string(),
    code: z.string().optional(),
  }),
  define('webhook.test', 'Sent by “send test event” to one endpoint; never to subscribers.', { message: z.string(), endpointId: z.string() }, { hubOnly: true }),
];

/** The family of provider webhooks received at /api/v1/hooks/:integrationId: `inbound.<connector>.<type>`. */
export const INBOUND_EVENT: EventTypeDefinition = define(
  'inbound.<connector>.<type>',
  'A provider webhook received and verified at /api/v1/hooks/:integrationId, e.g. inbound.resend.email.delivered.',
  { inboundId: z.string(), providerType: z.string(), data: z.unknown() },
  { hubOnly: true },
);

/** What POST /api/v1/events accepts beside catalogue types: `custom.<name>` with any object payload. */
export const CUSTOM_EVENT: EventTypeDefinition = define('custom.<name>', 'Emitted by your own systems with POST /api/v1/events.', {});

const byType = new Map(EVENT_TYPES.map((definition) => [definition.type, definition]));

export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$/;

/** The definition an event of this type is validated against, or null for a type the hub does not know. */
export function eventTypeDefinition(type: string): EventTypeDefinition | null {
  if (type.startsWith('inbound.')) return INBOUND_EVENT;
  if (type.startsWith('custom.')) return CUSTOM_EVENT;
  return byType.get(type) ?? null;
}

/** `inbound.<connector>.<provider type>`, with the provider's type folded into the allowed characters. */
export function inboundEventType(connectorId: string, providerType: string): string {
  const folded = providerType
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+|[._-]+$/g, '');
  return `inbound.${connectorId}.${folded || 'unknown'}`;
}

/** `*` (everything), an exact type, or a prefix wildcard such as `sync.*` or `inbound.resend.*`. */
export const EVENT_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_-]+)*(\.\*)?)$/;

/** The rule; emit.ts applies the same one in SQL when it picks an event's endpoints (a test checks they agree). */
export function matchesFilter(type: string, filter: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return type === filter;
}

export function matchesAny(type: string, filters: readonly string[]): boolean {
  return filters.some((filter) => matchesFilter(type, filter));
}
