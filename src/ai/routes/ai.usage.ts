// GET /api/v1/ai/usage: AI usage and cost of the workspace grouped by provider, model, day or task type
// over a date range (seed 001's /ai/usage/:orgId; `?workspaceId=` for another workspace the caller administers).
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { USAGE_GROUPS, usageView } from '../contracts.ts';
import { aiRuntime } from '../runtime.ts';
import { usageBy } from '../usage/query.ts';
import { scopedWorkspace, workspaceQuery } from './workspace-scope.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'use YYYY-MM-DD (a full ISO timestamp is cut to its date)');
const DEFAULT_DAYS = 30;

export function usageRoute(app: App, hub: HubContext) {
  app.get(
    '/api/v1/ai/usage',
    {
      schema: {
        tags: ['ai'],
        summary: 'AI usage and cost grouped by provider, model, day or task type',
        description: `\`from\` and \`to\` are UTC dates, both included; default the last ${DEFAULT_DAYS} days.`,
        querystring: z.object({ groupBy: z.enum(USAGE_GROUPS).default('provider'), from: day.optional(), to: day.optional(), ...workspaceQuery }),
        response: { 200: usageView },
      },
    },
    async (request) => {
      const workspaceId = await scopedWorkspace(hub, principalOf(request), request.query.workspaceId);
      const rt = await aiRuntime(hub);
      const today = new Date(rt.now()).toISOString().slice(0, 10);
      const to = (request.query.to ?? today).slice(0, 10);
      const from = (request.query.from ?? new Date(Date.parse(to) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString()).slice(0, 10);
      if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || from > to) {
        throw new ApiError('validation_failed', `The range ${from} … ${to} is not valid: use dates with from ≤ to.`, { details: [{ field: 'query.from', message: 'must be a date not after to' }] });
      }
      // Reads see every attempt answered so far.
      await rt.ledger.flush();
      const { items, totals } = await usageBy(hub.db, { workspaceId, groupBy: request.query.groupBy, from, to });
      return { workspaceId, groupBy: request.query.groupBy, from, to, items, totals };
    },
  );
}
