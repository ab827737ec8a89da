// POST /api/v1/integrations/:id/actions/:action: runs a connector action with validated input and returns
// its typed output (seed 001's /third-party/function/:id/:name and sendData). Binary outputs come back raw.
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import type { BinaryOutput } from '../../connectors/sdk/define.ts';
import type { ActionOutcome } from '../runtime/invoke.ts';
import { runAction } from '../runtime/invoke.ts';
import { invocationTargetFor, loadIntegrationForCall, markCredentialRefused, type IntegrationRow } from '../service.ts';

export function runActionRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/integrations/:id/actions/:action',
    {
      schema: {
        tags: ['integrations'],
        summary: "Run one of the connector's actions",
        description: 'The body is the action input (see GET /api/v1/connectors/:id for its JSON Schema). Answers `{ output }`, or the raw bytes for binary outputs.',
        params: z.object({ id: z.uuid(), action: z.string().max(60) }),
        body: z.unknown().optional(),
      },
    },
    async (request, reply) => {
      const row = await loadIntegrationForCall(hub, principalOf(request).workspaceId, request.params.id);
      const controller = new AbortController();
      // A caller that hangs up stops the provider call too.
      request.raw.on('close', () => {
        if (!reply.sent) controller.abort();
      });
      const outcome = await runAction(await invocationTargetFor(hub, row, controller.signal), request.params.action, request.body);
      if (!outcome.ok) throw await actionError(hub, row, outcome);
      if (isBinary(outcome.output)) {
        const binary = outcome.output;
        reply.header('content-type', binary.contentType);
        if (binary.fileName) reply.header('content-disposition', `attachment; filename="${binary.fileName.replace(/"/g, '')}"`);
        return reply.send(Buffer.from(binary.data));
      }
      return { output: outcome.output };
    },
  );
}

function isBinary(value: unknown): value is BinaryOutput {
  return typeof value === 'object' && value !== null && (value as BinaryOutput).data instanceof Uint8Array && typeof (value as BinaryOutput).contentType === 'string';
}

export async function actionError(hub: HubContext, row: IntegrationRow, outcome: Extract<ActionOutcome, { ok: false }>): Promise<ApiError> {
  if (outcome.kind === 'invalid_input') {
    const details = (outcome.issues ?? []).map((issue) => ({ field: ['body', ...issue.path.map(String)].join('.'), message: issue.message }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return new ApiError(details.length ? 'validation_failed' : 'not_found', summary ? `${outcome.message} ${summary}` : outcome.message, details.length ? { details } : {});
  }
  const providerDetails = { providerStatus: outcome.status ?? null, providerBody: outcome.providerBody ?? null };
  if (outcome.status === 429) {
    const seconds = Math.max(1, Math.ceil((outcome.retryAfterMs ?? 1000) / 1000));
    return new ApiError('provider_rate_limited', outcome.message, { details: providerDetails, headers: { 'Retry-After': String(seconds) } });
  }
  if (outcome.status === 401 || outcome.status === 403) {
    await markCredentialRefused(hub, row, outcome.message);
  }
  if (outcome.kind === 'provider_error' && outcome.status !== undefined && outcome.status < 500) {
    return new ApiError('provider_rejected', outcome.message, { details: providerDetails });
  }
  return new ApiError('provider_unavailable', outcome.message, { details: providerDetails });
}
