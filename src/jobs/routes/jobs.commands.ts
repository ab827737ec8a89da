// POST /api/v1/jobs/:id/retry and /cancel: re-queue a failed or cancelled job; cancel a queued or running one.
import { z } from 'zod';
import { ApiError, notFound } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { jobView, toJobResponse } from '../contracts.ts';

const RETRYABLE = new Set(['failed', 'cancelled']);
const CANCELLABLE = new Set(['created', 'retry', 'active']);

export function jobCommands(app: App, hub: HubContext) {
  for (const command of ['retry', 'cancel'] as const) {
    app.post(
      `/api/v1/jobs/:id/${command}`,
      {
        config: { minRole: 'admin' },
        schema: {
          tags: ['jobs'],
          summary: command === 'retry' ? 'Retry a failed or cancelled job' : 'Cancel a queued or running job',
          params: z.object({ id: z.uuid() }),
          response: { 200: jobView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const job = await hub.jobs.get(request.params.id, principal.workspaceId);
        if (!job) throw notFound('Job');
        const allowed = command === 'retry' ? RETRYABLE : CANCELLABLE;
        if (!allowed.has(job.state)) {
          throw new ApiError('conflict', `A ${job.state} job cannot be ${command === 'retry' ? 'retried' : 'cancelled'}; allowed states: ${[...allowed].join(', ')}.`);
        }
        const updated = command === 'retry' ? await hub.jobs.retry(job.id, principal.workspaceId) : await hub.jobs.cancel(job.id, principal.workspaceId);
        await recordAudit(hub.db, { workspaceId: principal.workspaceId, actor: principal, action: `job.${command === 'retry' ? 'retried' : 'cancelled'}`, targetType: 'job', targetId: job.id, ip: request.ip, metadata: { type: job.type } });
        return toJobResponse(updated ?? job);
      },
    );
  }
}
