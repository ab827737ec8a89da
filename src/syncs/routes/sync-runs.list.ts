// GET /api/v1/sync-runs: the workspace's runs, newest first, with progress; `status=dead` is the dead-letter list.
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, toRunView } from '../contracts.ts';
import { RUN_STATUSES, syncRuns } from '../tables.ts';

const statusList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const list = value.split(',').map((item) => item.trim()).filter(Boolean);
    const wrong = list.filter((item) => !(RUN_STATUSES as readonly string[]).includes(item));
    if (wrong.length) ctx.addIssue({ code: 'custom', message: `unknown status ${wrong.join(', ')}; use ${RUN_STATUSES.join(', ')} (comma-separated)` });
    return list as (typeof RUN_STATUSES)[number][];
  });

export function listSyncRunsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/sync-runs',
    {
      schema: {
        tags: ['syncs'],
        summary: 'List sync runs',
        querystring: z.object({ ...pageQuery, status: statusList.optional(), integrationId: z.uuid().optional(), sync: z.string().max(60).optional() }),
        response: { 200: z.object({ items: z.array(runView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { cursor, limit, status, integrationId, sync } = request.query;
      const rows = await hub.db
        .select()
        .from(syncRuns)
        .where(
          and(
            eq(syncRuns.workspaceId, principalOf(request).workspaceId),
            status?.length ? inArray(syncRuns.status, status) : undefined,
            integrationId ? eq(syncRuns.integrationId, integrationId) : undefined,
            sync ? eq(syncRuns.syncName, sync) : undefined,
            cursor ? lt(syncRuns.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(syncRuns.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return { items: result.items.map(toRunView), nextCursor: result.nextCursor };
    },
  );
}
