// GET /api/v1/event-types: the event catalogue, each type with its payload's JSON Schema and version.
import { z } from 'zod';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { CUSTOM_EVENT, EVENT_TYPES, INBOUND_EVENT, type EventTypeDefinition } from '../catalogue.ts';
import { eventTypeView } from '../contracts.ts';

function view(definition: EventTypeDefinition): z.infer<typeof eventTypeView> {
  return {
    type: definition.type,
    version: definition.version,
    description: definition.description,
    hubOnly: definition.hubOnly ?? false,
    schema: z.toJSONSchema(definition.payload, { unrepresentable: 'any' }) as Record<string, unknown>,
  };
}

export function listEventTypes(app: App, _hub: HubContext) {
  const items = [...EVENT_TYPES, INBOUND_EVENT, CUSTOM_EVENT].map(view);
  app.get(
    '/api/v1/event-types',
    {
      schema: {
        tags: ['events'],
        summary: 'The event catalogue with versioned payload schemas',
        response: { 200: z.object({ items: z.array(eventTypeView) }) },
      },
    },
    async () => ({ items }),
  );
}
