// GET /api/v1/connectors/custom/:id/versions: every version of a run-time connector's definition, newest first.
import { z } from 'zod';
import { iso } from '../../platform/http/pagination.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { versionView } from '../contracts.ts';
import { listVersions } from '../service.ts';

export function listVersionsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/connectors/custom/:id/versions',
    { schema: { tags: ['connectors'], summary: "A run-time connector's versions", params: z.object({ id: z.uuid() }), response: { 200: z.object({ items: z.array(versionView) }) } } },
    async (request) => {
      const versions = await listVersions(hub, principalOf(request).workspaceId, request.params.id);
      return { items: versions.map((v) => ({ version: v.version, definition: v.definition, createdAt: iso(v.createdAt) as string })) };
    },
  );
}
