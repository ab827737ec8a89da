// POST /api/v1/connectors/custom: a run-time connector from a declarative definition (version 1).
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { customConnectorView, toCustomConnectorView } from '../contracts.ts';
import { createCustomConnector } from '../service.ts';

export function createCustomConnectorRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/connectors/custom',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['connectors'],
        summary: 'Define a connector at run time (kind rest, n8n-workflow or spark)',
        description:
          'The body is the definition (see the README, "Connectors defined at run time"). It is validated (shape, placeholders, the n8n or Livy integration it names) ' +
          'and appears as `custom-<slug>` in GET /api/v1/connectors for this workspace only.',
        body: z.record(z.string(), z.unknown()),
        response: { 201: customConnectorView },
      },
    },
    async (request, reply) => {
      const record = await createCustomConnector(hub, principalOf(request), request.body, request.ip);
      return reply.code(201).send(toCustomConnectorView(record));
    },
  );
}
