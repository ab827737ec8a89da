// GET /api/v1/integrations/:id/records/:model/:externalId/history: a record's changes, newest first.
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { changeView, recordView } from '../contracts.ts';
import { syncRecordChanges, syncRecords } from '../tables.ts';

export function recordHistoryRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/records/:model/:externalId/history',
    {
      schema: {
        tags: ['syncs'],
        summary: "A record's change history",
        description: 'Kept SWITCHBOARD_SYNC_HISTORY_RETENTION_DAYS.',
        params: z.object({ id: z.uuid(), model: z.string().min(1).max(100), externalId: z.string().min(1).max(500) }),
        querystring: z.object({
          cursor: z.string().regex(/^\d{1,19}$/, 'must be the nextCursor of the previous page').optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ record: recordView, items: z.array(changeView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      const { model, externalId } = request.params;
      const [record] = await hub.db
        .select()
        .from(syncRecords)
        .where(and(eq(syncRecords.workspaceId, row.workspaceId), eq(syncRecords.integrationId, row.id), eq(syncRecords.model, model), eq(syncRecords.externalId, externalId)));
      if (!record) throw notFound('Record');
      const { cursor, limit } = request.query;
      const changes = await hub.db
        .select()
        .from(syncRecordChanges)
        .where(
          and(
            eq(syncRecordChanges.integrationId, row.id),
            eq(syncRecordChanges.model, model),
            eq(syncRecordChanges.externalId, externalId),
            cursor ? lt(syncRecordChanges.id, Number(cursor)) : undefined,
          ),
        )
        .orderBy(desc(syncRecordChanges.id))
        .limit(limit + 1);
      const items = changes.slice(0, limit);
      return {
        record: {
          externalId: record.externalId,
          model: record.model,
          data: record.data,
          contentHash: record.contentHash,
          lastChange: record.lastChange,
          deleted: record.deletedAt !== null,
          deletedAt: record.deletedAt?.toISOString() ?? null,
          firstSeenAt: record.firstSeenAt.toISOString(),
          modifiedAt: record.modifiedAt.toISOString(),
        },
        items: items.map((change) => ({
          id: String(change.id),
          kind: change.kind,
          contentHash: change.contentHash,
          previousHash: change.previousHash,
          runId: change.runId,
          changedAt: change.changedAt.toISOString(),
        })),
        nextCursor: changes.length > limit ? String(items.at(-1)!.id) : null,
      };
    },
  );
}
