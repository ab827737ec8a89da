// POST /api/v1/events: emits an event from your own systems (source `manual`) to the matching endpoints.
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { EVENT_TYPE_PATTERN, eventTypeDefinition } from '../catalogue.ts';
import { emitEvent } from '../emit.ts';

function invalid(field: string, message: string): ApiError {
  return new ApiError('validation_failed', `Invalid request. ${field}: ${message}`, { details: [{ field, message }] });
}

export function createEventRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Emit a custom event',
        description:
          'The type is `custom.<name>` (any object payload) or a catalogue type that the hub does not reserve for itself ' +
          '(its payload must match the type’s schema; see GET /api/v1/event-types).',
        body: z.object({
          type: z.string().regex(EVENT_TYPE_PATTERN, 'must look like custom.order_created (lower-case, dot-separated)').max(120),
          payload: z.record(z.string(), z.unknown()).default({}),
          integrationId: z.uuid().optional(),
          connectorId: z.string().max(100).optional(),
        }),
        response: { 201: z.object({ id: z.string(), type: z.string(), deliveries: z.number() }) },
      },
    },
    async (request, reply) => {
      const { workspaceId } = principalOf(request);
      const { type, payload, integrationId, connectorId } = request.body;
      const definition = eventTypeDefinition(type);
      if (!definition) throw invalid('body.type', `is not in the catalogue; use custom.<name> for your own events`);
      if (definition.hubOnly) throw invalid('body.type', `${type} is emitted by the hub itself and cannot be sent through the API`);
      const checked = definition.payload.safeParse(payload);
      if (!checked.success) {
        const details = checked.error.issues.map((issue) => ({ field: ['body', 'payload', ...issue.path].join('.'), message: issue.message }));
        throw new ApiError('validation_failed', `Invalid request. The payload does not match the ${type} schema.`, { details });
      }
      const emitted = await hub.db.transaction((tx) =>
        emitEvent(hub.jobs, tx, { workspaceId, type, source: 'manual', integrationId: integrationId ?? null, connectorId: connectorId ?? null, payload }),
      );
      return reply.code(201).send({ id: emitted.id, type, deliveries: emitted.deliveries });
    },
  );
}
