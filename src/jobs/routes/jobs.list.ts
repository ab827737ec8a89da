// GET /api/v1/jobs: the workspace's background jobs, newest first; `state=failed` is the dead-letter list.
import { z } from 'zod';
import { JOB_STATES } from '../../platform/jobs/engine.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import { page, pageQuery } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { jobView, toJobResponse } from '../contracts.ts';

export function listJobs(app: App, hub: HubContext) {
  app.get(
    '/api/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'List background jobs',
        querystring: z.object({
          ...pageQuery,
          state: z.enum(JOB_STATES).optional().describe('failed = retries exhausted or not retryable (dead letter)'),
          type: z.string().max(63).optional(),
        }),
        response: { 200: z.object({ items: z.array(jobView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { cursor, limit, state, type } = request.query;
      const jobs = await hub.jobs.list({
        workspaceId: principalOf(request).workspaceId,
        state,
        type,
        cursor,
        limit: limit + 1,
      });
      return page(jobs.map(toJobResponse), limit);
    },
  );
}
