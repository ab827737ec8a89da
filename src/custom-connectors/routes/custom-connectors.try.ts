// POST /api/v1/connectors/custom/try: the builder's "try it": checks an unsaved definition with a credential and
// optionally runs one of its actions, through the same outbound client as any integration; nothing is stored.
import { checkConnection, runAction } from '../../integrations/runtime/invoke.ts';
import { parseConfig, parseCredentials } from '../../integrations/service.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { compileDefinition } from '../compile.ts';
import { tryBody, tryResult } from '../contracts.ts';
import { validateDefinition } from '../service.ts';

export function tryCustomConnectorRoute(app: App, hub: HubContext) {
  app.post(
    '/api/v1/connectors/custom/try',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['connectors'],
        summary: 'Try an unsaved definition: check it, and run one action',
        body: tryBody,
        response: { 200: tryResult },
      },
    },
    async (request) => {
      const { workspaceId } = principalOf(request);
      const definition = await validateDefinition(hub, workspaceId, request.body.definition).catch((error: { details?: { field: string }[] }) => {
        // The definition sits under body.definition here.
        for (const detail of error.details ?? []) detail.field = detail.field.replace(/^body/, 'body.definition');
        throw error;
      });
      const connector = compileDefinition(hub, { customId: 'try', version: 0, definition });
      const config = parseConfig(connector, request.body.config);
      const credentials = parseCredentials(connector, request.body.credentials);
      const calls: { method: string; url: string; status: number | null; latencyMs: number }[] = [];
      const controller = new AbortController();
      request.raw.on('close', () => controller.abort());
      const target = {
        outbound: hub.outbound,
        connector,
        config,
        credentials: { current: async () => credentials },
        workspaceId,
        integrationId: null,
        signal: controller.signal,
        onOperation: (operation: { method: string; url: string; status: number | null; latencyMs: number }) =>
          void calls.push({ method: operation.method, url: operation.url, status: operation.status, latencyMs: Math.round(operation.latencyMs) }),
      };
      const check = await checkConnection(target);
      let action = null;
      if (request.body.action !== undefined) {
        const outcome = await runAction(target, request.body.action, request.body.input);
        action = outcome.ok
          ? { ok: true, output: outcome.output }
          : { ok: false, message: outcome.message, ...(outcome.status !== undefined ? { status: outcome.status } : {}), ...(outcome.providerBody !== undefined ? { providerBody: outcome.providerBody } : {}) };
      }
      return {
        check: check.ok ? { ok: true, account: check.account as unknown as Record<string, unknown> } : { ok: false, message: check.message, ...(check.field ? { field: check.field } : {}) },
        action,
        calls,
      };
    },
  );
}
