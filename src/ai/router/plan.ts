// Turns a route into the ordered list of targets to try for one request: weighted targets drawn first,
// then the chain in order; each bound to a connected integration; targets that cannot serve the request
// (tools, images, context length, kind) set aside with the reason.
import type { AiProviders } from '../providers/registry.ts';
import type { AiProviderDefinition, ModelInfo } from '../providers/sdk.ts';
import type { RouteTargetRow } from '../tables.ts';
import type { AiIntegration } from './integrations.ts';
import { ROUTE_DEFAULTS, type AiRoute, type RouteKind } from './route-config.ts';

export interface Needs {
  kind: RouteKind;
  tools?: boolean;
  images?: boolean;
  /** Estimated prompt tokens plus the output asked for, checked against each model's context window. */
  totalTokens?: number;
}

export interface Candidate {
  target: RouteTargetRow;
  provider: AiProviderDefinition;
  integration: AiIntegration;
  model: string;
  info: ModelInfo;
}

export interface Skip {
  provider: string;
  model: string;
  reason: string;
  detail: string;
}

export interface Plan {
  candidates: Candidate[];
  skipped: Skip[];
}

/** Weighted targets in a weighted random order (each draw proportional to weight), then the rest in chain order. */
export function orderTargets(targets: RouteTargetRow[], random: () => number = Math.random): RouteTargetRow[] {
  const weighted = targets.filter((target) => (target.weight ?? 0) > 0);
  if (weighted.length === 0) return targets;
  const pool = [...weighted];
  const ordered: RouteTargetRow[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, target) => sum + target.weight!, 0);
    let pick = random() * total;
    let index = 0;
    while (index < pool.length - 1 && pick >= pool[index]!.weight!) {
      pick -= pool[index]!.weight!;
      index += 1;
    }
    ordered.push(pool.splice(index, 1)[0]!);
  }
  return [...ordered, ...targets.filter((target) => !((target.weight ?? 0) > 0))];
}

function integrationFor(target: RouteTargetRow, integrations: AiIntegration[]): AiIntegration | Skip {
  const skip = (reason: string, detail: string): Skip => ({ provider: target.provider, model: target.model, reason, detail });
  if (target.integrationId) {
    const chosen = integrations.find((integration) => integration.id === target.integrationId);
    if (!chosen || chosen.provider.id !== target.provider) return skip('no_integration', `integration ${target.integrationId} is not a ${target.provider} integration of this workspace`);
    if (chosen.status !== 'connected') return skip('integration_error', `${chosen.name} is ${chosen.status}`);
    return chosen;
  }
  const ofProvider = integrations.filter((integration) => integration.provider.id === target.provider);
  const connected = ofProvider.find((integration) => integration.status === 'connected');
  if (connected) return connected;
  if (ofProvider.length > 0) return skip('integration_error', `${ofProvider[0]!.name} is ${ofProvider[0]!.status}`);
  return skip('no_integration', `no ${target.provider} integration is connected`);
}

export function planRoute(route: AiRoute, providers: AiProviders, integrations: AiIntegration[], needs: Needs, random?: () => number): Plan {
  const candidates: Candidate[] = [];
  const skipped: Skip[] = [];
  for (const target of orderTargets(route.targets, random)) {
    const skip = (reason: string, detail: string) => skipped.push({ provider: target.provider, model: target.model, reason, detail });
    const provider = providers.get(target.provider);
    if (!provider) {
      skip('unknown_provider', `${target.provider} is not an AI provider`);
      continue;
    }
    if (needs.kind !== 'chat' && !provider[needs.kind]) {
      skip('unsupported', `${provider.title} has no ${needs.kind}`);
      continue;
    }
    const info = provider.modelInfo(target.model);
    if (needs.kind === 'chat') {
      if (needs.tools && !info.tools) {
        skip('capability', `${target.model} cannot call tools`);
        continue;
      }
      if (needs.images && !info.vision) {
        skip('capability', `${target.model} cannot read images`);
        continue;
      }
      if (needs.totalTokens !== undefined && needs.totalTokens > info.contextTokens) {
        skip('capability', `${target.model} holds ${info.contextTokens} tokens; the request needs about ${needs.totalTokens}`);
        continue;
      }
    }
    const integration = integrationFor(target, integrations);
    if ('reason' in integration) {
      skipped.push(integration);
      continue;
    }
    candidates.push({ target, provider, integration, model: target.model, info });
  }
  return { candidates, skipped };
}

/** A concrete model instead of a route: `anthropic/claude-…`, or a model id a provider recognises. */
export function routeForModel(providers: AiProviders, kind: RouteKind, model: string): AiRoute | undefined {
  const slash = model.indexOf('/');
  const named = slash > 0 ? providers.get(model.slice(0, slash)) : undefined;
  const provider = named ?? providers.ownerOf(model);
  if (!provider) return undefined;
  const id = named ? model.slice(slash + 1) : model;
  return { name: `model:${provider.id}/${id}`, kind, targets: [{ provider: provider.id, model: id }], ...ROUTE_DEFAULTS, stored: false, updatedAt: null };
}
