// PUT /api/v1/ai/quota: sets the workspace's hard AI budgets (tokens and USD per day and month) and its
// per-minute limits; null removes a limit. Admins only; recorded in the audit log.
import { principalOf } from '../../platform/http/authenticate.ts';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { quotaSettingsView, quotaView } from '../contracts.ts';
import { readQuotaView as readQuota, saveQuotaSettings } from '../quotas/view.ts';
import { aiRuntime } from '../runtime.ts';

export function updateQuotaRoute(app: App, hub: HubContext) {
  app.put(
    '/api/v1/ai/quota',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['ai'],
        summary: 'Set AI budgets and per-minute limits',
        body: quotaSettingsView.partial().extend({ warnPercent: quotaSettingsView.shape.warnPercent.default(80) }),
        response: { 200: quotaView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const body = request.body;
      const rt = await aiRuntime(hub);
      const settings = {
        dailyTokens: body.dailyTokens ?? null,
        monthlyTokens: body.monthlyTokens ?? null,
        dailyCostUsd: body.dailyCostUsd ?? null,
        monthlyCostUsd: body.monthlyCostUsd ?? null,
        requestsPerMinute: body.requestsPerMinute ?? null,
        tokensPerMinute: body.tokensPerMinute ?? null,
        warnPercent: body.warnPercent,
      };
      await rt.idle();
      await saveQuotaSettings(hub.db, principal.workspaceId, settings, new Date(rt.now()));
      rt.quotas.invalidate(principal.workspaceId);
      await recordAudit(hub.db, { workspaceId: principal.workspaceId, actor: principal, action: 'ai.quota.updated', targetType: 'ai_quota', targetId: principal.workspaceId, ip: request.ip, metadata: settings });
      return readQuota(hub.db, principal.workspaceId, new Date(rt.now()));
    },
  );
}
