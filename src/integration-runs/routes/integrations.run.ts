// POST /api/v1/integrations/:id/run: seed 003's "trigger an integration". Runs the connector's default action (or
// the one named), an n8n workflow, or a Spark job followed to its end, as a job; answers 202 with the run.
import { z } from 'zod';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { runView, startRunBody, toRunView } from '../contracts.ts';
import { startRun } from '../service.ts';

export function startRunRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/:id/run',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Run an integration (its default action, an n8n workflow or a Spark job) as a background job',
        description:
          'The input is validated now (400 names the field); the run executes as job `jobId` (progress at GET /api/v1/jobs/:id). ' +
          'Follow it at GET /api/v1/integrations/:id/runs/:runId; it ends with a run.completed, run.failed or run.cancelled event.',
        params: z.object({ id: z.uuid() }),
        body: startRunBody,
        response: { 202: runView },
      },
    },
    async (request, reply) => {
      const run = await startRun(hub, principalOf(request), request.params.id, request.body);
      return reply.code(202).send(toRunView(run));
    },
  );
}
