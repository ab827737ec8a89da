// GET /api/v1/jobs/:id: one job with its attempts, output and progress (percentage, step, ETA).
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { jobView, toJobResponse } from '../contracts.ts';

export function getJob(app: App, hub: HubContext) {
  app.get(
    '/api/v1/jobs/:id',
    { schema: { tags: ['jobs'], summary: 'Inspect a job', params: z.object({ id: z.uuid() }), response: { 200: jobView } } },
    async (request) => {
      const job = await hub.jobs.get(request.params.id, principalOf(request).workspaceId);
      if (!job) throw notFound('Job');
      return toJobResponse(job);
    },
  );
}
