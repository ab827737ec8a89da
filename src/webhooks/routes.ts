// The events and webhooks routes. The inbound hook routes take the function that finds an integration's
// connector and credentials, which the integrations capability provides.
import type { App } from '../platform/http/server.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { unwiredInboundTarget, type LoadInboundTarget } from './inbound/target.ts';
import { replayDeliveryRoute } from './routes/deliveries.replay.ts';
import { createEndpointRoute } from './routes/endpoints.create.ts';
import { deleteEndpointRoute } from './routes/endpoints.delete.ts';
import { getEndpoint } from './routes/endpoints.get.ts';
import { listEndpoints } from './routes/endpoints.list.ts';
import { pauseEndpointRoute } from './routes/endpoints.pause.ts';
import { replayEndpointRoute } from './routes/endpoints.replay.ts';
import { resumeEndpointRoute } from './routes/endpoints.resume.ts';
import { rotateSecretRoute } from './routes/endpoints.rotate-secret.ts';
import { testEndpointRoute } from './routes/endpoints.send-test.ts';
import { updateEndpointRoute } from './routes/endpoints.update.ts';
import { listEventTypes } from './routes/event-types.list.ts';
import { createEventRoute } from './routes/events.create.ts';
import { exportEventsRoute } from './routes/events.export.ts';
import { getEventRoute } from './routes/events.get.ts';
import { listEventsRoute } from './routes/events.list.ts';
import { eventStatsRoute } from './routes/events.stats.ts';
import { hookChallengeRoute } from './routes/hooks.challenge.ts';
import { receiveHookRoute } from './routes/hooks.receive.ts';
import { listPresets } from './routes/presets.list.ts';

type RouteRegistration = (app: App, hub: HubContext) => void;

export function createWebhookRoutes(options: { loadInboundTarget: LoadInboundTarget }): RouteRegistration[] {
  return [
    listEventTypes,
    listEventsRoute,
    exportEventsRoute,
    eventStatsRoute,
    getEventRoute,
    createEventRoute,
    listPresets,
    listEndpoints,
    getEndpoint,
    createEndpointRoute,
    updateEndpointRoute,
    deleteEndpointRoute,
    rotateSecretRoute,
    pauseEndpointRoute,
    resumeEndpointRoute,
    testEndpointRoute,
    replayEndpointRoute,
    replayDeliveryRoute,
    receiveHookRoute(options.loadInboundTarget),
    hookChallengeRoute(options.loadInboundTarget),
  ];
}

/** The routes with no inbound loader (every hook answers 404), for suites that test the others alone; the hub wires the integrations loader (app.ts). */
export const webhookRoutes: RouteRegistration[] = createWebhookRoutes({ loadInboundTarget: unwiredInboundTarget });
