// GET /api/v1/kpis: KPI series (seed 004) by day, week, month, integration or dimension.
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { KPI_GROUPS, kpiPoint } from '../contracts.ts';
import { queryKpis, RESEND_METRICS } from '../kpis.ts';

const day = z.iso.date().describe('YYYY-MM-DD (UTC)');

export function getKpisRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/kpis',
    {
      schema: {
        tags: ['syncs'],
        summary: 'KPI series',
        description: `metric: one name or several, comma-separated (sessions, active_users, conversions, revenue, spend, impressions, clicks, ctr, roas, ${RESEND_METRICS.join(', ')} …). Counts and money are summed across integrations; ratios are averaged. groupBy=dimension returns the split values (source/medium, campaign).`,
        querystring: z.object({
          metric: z
            .string()
            .trim()
            .regex(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/, 'one snake_case metric name or several, comma-separated, e.g. sessions,spend'),
          from: day.optional().describe('Default: 30 days before `to`.'),
          to: day.optional().describe('Default: today (UTC).'),
          groupBy: z.enum(KPI_GROUPS).default('day'),
          integrationId: z.uuid().optional(),
        }),
        response: { 200: z.object({ from: z.string(), to: z.string(), groupBy: z.enum(KPI_GROUPS), items: z.array(kpiPoint) }) },
      },
    },
    async (request) => {
      const { metric, groupBy, integrationId } = request.query;
      const to = request.query.to ?? new Date(hub.jobs.clock.now()).toISOString().slice(0, 10);
      const from = request.query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
      if (from > to) throw new ApiError('validation_failed', `query.from (${from}) is after query.to (${to}); swap them.`, { details: [{ field: 'query.from', message: 'after query.to' }] });
      const items = await queryKpis(hub.db, { workspaceId: principalOf(request).workspaceId, metrics: metric.split(','), from, to, groupBy, integrationId });
      return { from, to, groupBy, items };
    },
  );
}
