// PUT /api/v1/ai/routes/:name: creates or replaces an AI route — the ordered chain of provider targets
// (model per target, optional weights) for one task type, with its time limits. Admins only; audited.
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit.ts';
import { ApiError } from '../../platform/errors.ts';
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { newId } from '../../platform/ids.ts';
import { routeInput, routeView } from '../contracts.ts';
import { ROUTE_DEFAULTS, saveRoute } from '../router/route-config.ts';
import { aiRuntime } from '../runtime.ts';

export const routeName = z.string().regex(/^[\w.:-]{1,64}$/, 'use 1–64 letters, digits, _ . : -');

export function saveRouteRoute(app: App, hub: HubContext) {
  app.put(
    '/api/v1/ai/routes/:name',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['ai'],
        summary: 'Create or replace an AI route',
        description: 'The name is the task type it serves (`default` serves every task type without its own route).',
        params: z.object({ name: routeName }),
        body: routeInput,
        response: { 200: routeView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const rt = await aiRuntime(hub);
      const body = request.body;
      body.targets.forEach((target, index) => {
        const provider = rt.providers.get(target.provider);
        const field = `body.targets.${index}.provider`;
        if (!provider) throw new ApiError('validation_failed', `"${target.provider}" is not an AI provider (${rt.providers.list().map((p) => p.id).join(', ')}).`, { details: [{ field, message: 'unknown provider' }] });
        if (body.kind !== 'chat' && !provider[body.kind]) throw new ApiError('validation_failed', `${provider.title} has no ${body.kind}.`, { details: [{ field, message: `cannot serve ${body.kind}` }] });
      });
      const saved = await saveRoute(hub.db, {
        id: newId(),
        workspaceId: principal.workspaceId,
        name: request.params.name,
        kind: body.kind,
        targets: body.targets,
        timeoutMs: body.timeoutMs ?? ROUTE_DEFAULTS.timeoutMs,
        attemptTimeoutMs: body.attemptTimeoutMs ?? ROUTE_DEFAULTS.attemptTimeoutMs,
        firstTokenTimeoutMs: body.firstTokenTimeoutMs ?? ROUTE_DEFAULTS.firstTokenTimeoutMs,
        retries: body.retries ?? ROUTE_DEFAULTS.retries,
      });
      rt.routes.invalidate(principal.workspaceId);
      await recordAudit(hub.db, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'ai.route.saved',
        targetType: 'ai_route',
        targetId: saved.name,
        ip: request.ip,
        metadata: { kind: saved.kind, chain: saved.targets.map((target) => `${target.provider}/${target.model}`) },
      });
      return saved;
    },
  );
}
