// GET /api/v1/integrations/:id/records: synced records, cursor-paginated in change order (a record changed
// while you page moves to the end, so none is skipped), with `stale: true` and the last success time when
// the last run failed or the integration is in error: the last good records are still served.
import { and, asc, eq, gt, ilike, sql } from 'drizzle-orm';
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import { iso } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordsPage } from '../contracts.ts';
import { CHANGE_KINDS, syncRecords } from '../tables.ts';
import { staleness } from '../views.ts';

export function listRecordsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/integrations/:id/records',
    {
      schema: {
        tags: ['syncs'],
        summary: "List an integration's synced records",
        params: z.object({ id: z.uuid() }),
        querystring: z.object({
          model: z.string().trim().min(1).max(100).optional().describe('e.g. Order; omit for every model.'),
          cursor: z.string().regex(/^\d{1,19}$/, 'must be the nextCursor of the previous page').optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          modifiedAfter: z.iso.datetime({ offset: true }).optional().describe('Only records changed (added, updated or deleted) after this moment.'),
          filter: z.enum(CHANGE_KINDS).optional().describe('Only records whose last change was this.'),
          search: z.string().trim().min(1).max(200).optional().describe('Text anywhere in the record or its id (case-insensitive).'),
        }),
        response: { 200: recordsPage },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      const { model, cursor, limit, modifiedAfter, filter, search } = request.query;
      const rows = await hub.db
        .select()
        .from(syncRecords)
        .where(
          and(
            eq(syncRecords.workspaceId, row.workspaceId),
            eq(syncRecords.integrationId, row.id),
            model ? eq(syncRecords.model, model) : undefined,
            cursor ? gt(syncRecords.seq, Number(cursor)) : undefined,
            modifiedAfter ? gt(syncRecords.modifiedAt, new Date(modifiedAfter)) : undefined,
            filter ? eq(syncRecords.lastChange, filter) : undefined,
            search ? sql`(${syncRecords.externalId} = ${search} or ${ilike(sql`${syncRecords.data}::text`, `%${search.replace(/[\\%_]/g, '\\$&')}%`)})` : undefined,
          ),
        )
        .orderBy(asc(syncRecords.seq))
        .limit(limit + 1);
      const items = rows.slice(0, limit);
      return {
        items: items.map((record) => ({
          externalId: record.externalId,
          model: record.model,
          data: record.data,
          contentHash: record.contentHash,
          lastChange: record.lastChange,
          deleted: record.deletedAt !== null,
          deletedAt: iso(record.deletedAt),
          firstSeenAt: record.firstSeenAt.toISOString(),
          modifiedAt: record.modifiedAt.toISOString(),
        })),
        nextCursor: rows.length > limit ? String(items.at(-1)!.seq) : null,
        ...(await staleness(hub, row, model)),
      };
    },
  );
}
