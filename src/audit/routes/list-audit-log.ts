// GET /api/v1/audit-log: the workspace's audit entries, newest first, with filters and cursor pagination.
import { and, desc, eq, gte, like, lt, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../platform/db/schema.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import { iso, page, pageQuery } from '../../platform/http/pagination.ts';
import { auditEntry } from '../contracts.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';


export function listAuditLog(app: App, hub: HubContext) {
  app.get(
    '/api/v1/audit-log',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'List audit log entries',
        querystring: z.object({
          ...pageQuery,
          action: z.string().max(100).optional().describe('Exact action, or a prefix ending in * (api_key.*).'),
          actorId: z.string().max(100).optional(),
          targetType: z.string().max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 200: z.object({ items: z.array(auditEntry), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const q = request.query;
      const conditions: SQL[] = [eq(auditLog.workspaceId, workspaceId)];
      if (q.action) {
        const prefix = q.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
        conditions.push(q.action.endsWith('*') ? like(auditLog.action, `${prefix}%`) : eq(auditLog.action, q.action));
      }
      if (q.actorId) conditions.push(eq(auditLog.actorId, q.actorId));
      if (q.targetType) conditions.push(eq(auditLog.targetType, q.targetType));
      if (q.from) conditions.push(gte(auditLog.createdAt, new Date(q.from)));
      if (q.to) conditions.push(lte(auditLog.createdAt, new Date(q.to)));
      if (q.cursor) conditions.push(lt(auditLog.id, q.cursor));
      const rows = await hub.db
        .select()
        .from(auditLog)
        .where(and(...conditions))
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      return page(
        rows.map((row) => ({ ...row, createdAt: iso(row.createdAt) as string })),
        q.limit,
      );
    },
  );
}
