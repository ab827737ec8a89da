// Everything an AI call settles before its first attempt: which route serves it, the targets that can, the
// per-minute limits, and the budget reservation of its worst case. Refusals are ApiErrors the caller sees.
import { ApiError } from '../../platform/errors.ts';
import { hasBudget, reserve, settle, type Reservation } from '../quotas/budget.ts';
import type { QuotaSettings } from '../quotas/settings.ts';
import type { CallInfo } from '../router/execute.ts';
import { planRoute, routeForModel, type Candidate, type Needs, type Plan } from '../router/plan.ts';
import type { AiRoute, RouteKind } from '../router/route-config.ts';
import type { AiRuntime } from '../runtime.ts';
import { findPrice, priceVersionAt } from '../usage/prices.ts';

export interface CallInput {
  workspaceId: string;
  requestId: string;
  kind: RouteKind;
  /** `route:<name>`, a concrete model (`gpt-4o-mini`, `anthropic/claude-…`), or nothing (the task type's route). */
  model?: string | undefined;
  taskType?: string | undefined;
  streamed: boolean;
  needs: Needs;
  /** Prompt (or input) tokens, estimated. */
  promptTokens: number;
  /**
   * Output tokens each candidate may produce at most: the request's max_tokens, else the model's cap — or, when
   * the workspace has a budget, at most BUDGETED_OUTPUT_CAP, which the call then sends as its max_tokens.
   */
  maxOutputTokens(candidate: Candidate, budgeted: boolean): number;
  /** Images asked for (image generation). */
  images?: number;
}

// A budget needs a bound on every answer; a request that sets none gets this one (capped by the model).
export const BUDGETED_OUTPUT_CAP = 4_096;

export interface PreparedCall {
  call: CallInfo;
  /** The workspace has a budget: requests without max_tokens are sent with the bound that was reserved. */
  budgeted: boolean;
  plan: Plan;
  deadline: number;
  settings: QuotaSettings;
  /** Turns the reservation into the actual use (in the background) once the call is over. */
  finish(actual: { tokens: number; costMicros: number }): void;
}

/** What `model` names: a route (with its task type) or a one-target route for a concrete model. */
export async function resolveRoute(rt: AiRuntime, input: Pick<CallInput, 'workspaceId' | 'kind' | 'model' | 'taskType'>): Promise<{ route: AiRoute; taskType: string }> {
  const model = input.model?.trim();
  if (!model || model.startsWith('route:')) {
    const name = model ? model.slice('route:'.length) : input.taskType;
    const route = await rt.routes.resolve(input.workspaceId, input.kind, name || undefined);
    return { route, taskType: input.taskType ?? name ?? route.name };
  }
  const route = routeForModel(rt.providers, input.kind, model);
  if (!route) {
    throw new ApiError('validation_failed', `No AI provider serves the model "${model}". Name a route (route:default), or a model as provider/model (openai/gpt-4o-mini).`, {
      details: [{ field: 'body.model', message: 'unknown model' }],
    });
  }
  return { route, taskType: input.taskType ?? 'default' };
}

/** Worst-case cost in micro-USD of one candidate, or undefined when its model has no price. */
function worstCaseMicros(candidate: Candidate, input: CallInput, at: Date, budgeted: boolean): number | undefined {
  const version = priceVersionAt(at);
  const price = findPrice(version, candidate.provider.id, candidate.model);
  if (!price) return undefined;
  const amount = (input.promptTokens * price.input + input.maxOutputTokens(candidate, budgeted) * price.output) / 1_000_000 + (input.images ?? 0) * (price.perImage ?? 0);
  return Math.ceil(amount * version.usdPer[price.currency] * 1_000_000);
}

export async function prepareCall(rt: AiRuntime, input: CallInput): Promise<PreparedCall> {
  const [{ route, taskType }, integrations, settings] = await Promise.all([
    resolveRoute(rt, input),
    rt.integrations.forWorkspace(input.workspaceId),
    rt.quotas.get(input.workspaceId),
  ]);
  const plan = planRoute(route, rt.providers, integrations, input.needs);
  const at = new Date(rt.now());
  const budgeted = hasBudget(settings);
  const costs = new Map<Candidate, number | undefined>(plan.candidates.map((candidate) => [candidate, worstCaseMicros(candidate, input, at, budgeted)]));
  if (hasBudget(settings) && (settings.dailyCostMicros !== null || settings.monthlyCostMicros !== null)) {
    // A cost budget cannot hold a target whose cost is unknown: such targets are left out, never priced at zero.
    for (const candidate of [...plan.candidates]) {
      if (costs.get(candidate) !== undefined) continue;
      plan.candidates.splice(plan.candidates.indexOf(candidate), 1);
      plan.skipped.push({ provider: candidate.provider.id, model: candidate.model, reason: 'no_price', detail: `${candidate.provider.id}/${candidate.model} has no price, and the workspace has a cost budget` });
    }
  }
  const worstTokens = Math.max(0, ...plan.candidates.map((candidate) => input.promptTokens + input.maxOutputTokens(candidate, budgeted)));

  const rate = await rt.rates.take(input.workspaceId, settings, worstTokens || input.promptTokens);
  if (!rate.ok) {
    const seconds = Math.max(1, Math.ceil(rate.retryAfterMs / 1000));
    throw new ApiError('ai_rate_limited', `The workspace's AI limit of ${rate.allowed} ${rate.limit === 'requests_per_minute' ? 'requests' : 'tokens'} per minute is used up; retry in ${seconds} s.`, {
      headers: { 'Retry-After': String(seconds) },
      details: { limit: rate.limit, allowed: rate.allowed },
    });
  }

  let reservation: Reservation | null = null;
  if (hasBudget(settings) && plan.candidates.length > 0) {
    const costMicros = Math.max(0, ...plan.candidates.map((candidate) => costs.get(candidate) ?? 0));
    const reserved = await reserve(rt.hub.db, settings, input.workspaceId, at, { tokens: worstTokens, costMicros });
    if (!reserved.ok) {
      const { refusal } = reserved;
      const unit = refusal.unit === 'usd' ? ' USD' : ' tokens';
      const seconds = Math.max(1, Math.ceil((refusal.resetsAt.getTime() - rt.now()) / 1000));
      throw new ApiError(
        'budget_exceeded',
        `The ${refusal.quota} budget of ${refusal.limit}${unit} has no room for this request (used ${round(refusal.used)}, reserved ${round(refusal.reserved)}, this request needs up to ${round(refusal.requested)}); it resets at ${refusal.resetsAt.toISOString()}.`,
        { details: { ...refusal, resetsAt: refusal.resetsAt.toISOString() }, headers: { 'Retry-After': String(seconds) } },
      );
    }
    reservation = reserved.reservation;
  }

  const call: CallInfo = { workspaceId: input.workspaceId, requestId: input.requestId, route, taskType, kind: input.kind, streamed: input.streamed };
  let finished = false;
  return {
    call,
    budgeted,
    plan,
    deadline: rt.now() + route.timeoutMs,
    settings,
    finish(actual) {
      if (finished || !reservation) return;
      finished = true;
      rt.background(settle(rt.hub.db, rt.hub.jobs, settings, reservation, actual));
    },
  };
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;
