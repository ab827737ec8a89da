// GET /api/v1/ai/usage/attempts: the newest rows of the usage ledger, one per attempt (fallbacks and
// failures included), newest first.
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { attemptView } from '../contracts.ts';
import { aiRuntime } from '../runtime.ts';
import { aiUsage } from '../tables.ts';

export function attemptsRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/ai/usage/attempts',
    {
      schema: {
        tags: ['ai'],
        summary: 'Recent AI attempts from the usage ledger',
        querystring: z.object({ ...pageQuery, requestId: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(attemptView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const { cursor, limit, requestId } = request.query;
      await (await aiRuntime(hub)).ledger.flush();
      // Ids are UUIDv7: their order is their creation order.
      const rows = await hub.db
        .select()
        .from(aiUsage)
        .where(and(eq(aiUsage.workspaceId, workspaceId), cursor ? lt(aiUsage.id, cursor) : undefined, requestId ? eq(aiUsage.requestId, requestId) : undefined))
        .orderBy(desc(aiUsage.id))
        .limit(limit + 1);
      const views = rows.map((row) => ({
        id: row.id,
        requestId: row.requestId,
        attempt: row.attempt,
        route: row.route,
        taskType: row.taskType,
        kind: row.kind,
        provider: row.provider,
        model: row.model,
        streamed: row.streamed,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cachedTokens: row.cachedTokens,
        reasoningTokens: row.reasoningTokens,
        images: row.images,
        cost: row.cost,
        currency: row.currency,
        costUsd: row.costUsd,
        latencyMs: row.latencyMs,
        firstTokenMs: row.firstTokenMs,
        success: row.success,
        incomplete: row.incomplete,
        estimated: row.estimated,
        errorClass: row.errorClass,
        errorMessage: row.errorMessage,
        fallbackReason: row.fallbackReason,
        createdAt: row.createdAt.toISOString(),
      }));
      return page(views, limit);
    },
  );
}
