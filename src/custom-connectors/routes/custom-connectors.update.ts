// PATCH /api/v1/connectors/custom/:id: a new version of the definition (top-level fields over the latest, or
// `restoreVersion` to bring an older one back); integrations follow the latest version from their next call.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { customConnectorView, toCustomConnectorView } from '../contracts.ts';
import { updateCustomConnector } from '../service.ts';

export function updateCustomConnectorRoute(app: App, hub: HubContext) {
  app.patch(
    '/api/v1/connectors/custom/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['connectors'],
        summary: 'Change a run-time connector (a new version)',
        params: z.object({ id: z.uuid() }),
        body: z.record(z.string(), z.unknown()).and(z.object({ restoreVersion: z.number().int().min(1).optional() })),
        response: { 200: customConnectorView },
      },
    },
    async (request) => toCustomConnectorView(await updateCustomConnector(hub, principalOf(request), request.params.id, request.body, request.ip)),
  );
}
