// Shapes of the run routes, shared by the server, its tests and the dashboard's run history.
import { z } from 'zod';
import { iso, isoDate } from '../platform/http/pagination.ts';
import { INTEGRATION_RUN_KINDS, INTEGRATION_RUN_STATUSES, type integrationRuns } from './tables.ts';

export const startRunBody = z
  .object({
    action: z.string().max(60).optional().describe("Which action to run; the connector's default action when absent"),
    input: z.unknown().optional().describe("The action's input (see its JSON Schema in GET /api/v1/connectors/:id)"),
    poll: z
      .object({ initialSeconds: z.number().min(0.05).max(60).optional(), maxSeconds: z.number().min(0.05).max(600).optional() })
      .optional()
      .describe('Spark runs: how often to ask Livy for the state (from initialSeconds, doubling up to maxSeconds)'),
  })
  .default({});

export const runView = z.object({
  id: z.string(),
  integrationId: z.string(),
  connectorId: z.string(),
  connectorVersion: z.number().int().nullable(),
  kind: z.enum(INTEGRATION_RUN_KINDS),
  action: z.string(),
  status: z.enum(INTEGRATION_RUN_STATUSES),
  /** The job that executes the run: GET /api/v1/jobs/:id shows its progress; cancelling it cancels the run. */
  jobId: z.string(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  externalId: z.string().nullable(),
  externalState: z.string().nullable(),
  log: z.array(z.string()).nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type RunView = z.infer<typeof runView>;

export function toRunView(row: typeof integrationRuns.$inferSelect): RunView {
  return {
    id: row.id,
    integrationId: row.integrationId,
    connectorId: row.connectorId,
    connectorVersion: row.connectorVersion,
    kind: row.kind,
    action: row.action,
    status: row.status,
    jobId: row.jobId,
    input: row.input ?? null,
    output: row.output ?? null,
    error: row.error,
    externalId: row.externalId,
    externalState: row.externalState,
    log: row.log ?? null,
    createdAt: iso(row.createdAt) as string,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}
