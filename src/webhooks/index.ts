// The webhook capability's public surface: emit an event inside your transaction, and the jobs, routes
// and runtime the hub wires in. Other capabilities import only from here.
export { emitEvent, type EmitEventInput, type EmittedEvent, type EventJobs } from './emit.ts';
export { EVENT_TYPES, eventTypeDefinition, inboundEventType, matchesFilter } from './catalogue.ts';
export { EVENT_SOURCES, type EventSource } from './tables.ts';
export { webhookJobs } from './jobs.ts';
export { closeWebhookRuntime } from './runtime.ts';
export { createWebhookRoutes, webhookRoutes } from './routes.ts';
export type { InboundTarget, LoadInboundTarget } from './inbound/target.ts';
