// PATCH /api/v1/integrations/:id/syncs/:sync: this integration's frequency override and pause.
import { z } from 'zod';
import { loadIntegration } from '../../integrations/service.ts';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { syncView } from '../contracts.ts';
import { frequencyProblem, nextRunAfter } from '../frequency.ts';
import { clockNow, syncOf } from '../runs.ts';
import { syncStates } from '../tables.ts';
import { syncViews } from '../views.ts';

export function updateIntegrationSyncRoute(app: App, hub: HubContext) {
  app.patch(
    '/api/v1/integrations/:id/syncs/:sync',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['syncs'],
        summary: "Change a sync's schedule for this integration, or pause it",
        description: '`frequency`: a 5-field cron expression (UTC) or `every <n>m|h|d`; null returns to the connector default. `paused`: no scheduled runs (manual runs still work).',
        params: z.object({ id: z.uuid(), sync: z.string().max(60) }),
        body: z.object({ frequency: z.string().trim().max(100).nullable().optional(), paused: z.boolean().optional() }),
        response: { 200: syncView },
      },
    },
    async (request) => {
      const row = await loadIntegration(hub, principalOf(request).workspaceId, request.params.id);
      const { sync } = syncOf(hub, row, request.params.sync);
      const { frequency, paused } = request.body;
      if (frequency) {
        const problem = frequencyProblem(frequency);
        if (problem) throw new ApiError('validation_failed', `body.frequency ${problem}.`, { details: [{ field: 'body.frequency', message: problem }] });
      }
      if (frequency === undefined && paused === undefined) {
        throw new ApiError('validation_failed', 'Send frequency (cron, "every 1h", or null for the default) or paused (true/false).', {
          details: [{ field: 'body', message: 'nothing to change' }],
        });
      }
      const now = clockNow(hub);
      const changes: Partial<typeof syncStates.$inferInsert> = { updatedAt: now };
      if (frequency !== undefined) {
        changes.frequencyOverride = frequency;
        // The new schedule counts from now.
        changes.nextRunAt = nextRunAfter(frequency ?? sync.frequency, now);
      }
      if (paused !== undefined) changes.paused = paused;
      await hub.db
        .insert(syncStates)
        .values({ workspaceId: row.workspaceId, integrationId: row.id, syncName: sync.name, nextRunAt: now, ...changes })
        .onConflictDoUpdate({ target: [syncStates.integrationId, syncStates.syncName], set: changes });
      const views = await syncViews(hub, row);
      return views.find((view) => view.name === sync.name)!;
    },
  );
}
