// How a routed call reports itself: response headers naming the provider and model that answered, the
// attempts and the fallback reason, and the API error for a call no target could answer.
import { ApiError } from '../../platform/errors.ts';
import type { Executed } from '../router/execute.ts';

export const ROUTING_HEADERS = {
  provider: 'x-switchboard-provider',
  model: 'x-switchboard-model',
  attempts: 'x-switchboard-attempts',
  fallbackReason: 'x-switchboard-fallback-reason',
  route: 'x-switchboard-route',
} as const;

// Header values must stay printable ASCII and reasonably short.
const headerText = (value: string) => value.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);

export function routingHeaders(executed: Executed<unknown>, route: string): Record<string, string> {
  const headers: Record<string, string> = {
    [ROUTING_HEADERS.route]: headerText(route),
    [ROUTING_HEADERS.attempts]: String(executed.attempts),
  };
  if (executed.ok) {
    headers[ROUTING_HEADERS.provider] = executed.candidate.provider.id;
    headers[ROUTING_HEADERS.model] = headerText(executed.candidate.model);
    if (executed.fallbackReason) headers[ROUTING_HEADERS.fallbackReason] = headerText(executed.fallbackReason);
  } else if (executed.trail.length > 0) {
    headers[ROUTING_HEADERS.fallbackReason] = headerText(executed.trail.join(', '));
  }
  return headers;
}

export function routeError(executed: Extract<Executed<unknown>, { ok: false }>, route: string): ApiError {
  const headers = routingHeaders(executed, route);
  const details = { attempts: executed.failures, skipped: executed.skipped };
  const retryAfter: Record<string, string> = executed.retryAfterMs !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(executed.retryAfterMs / 1000))) } : {};
  switch (executed.reason) {
    case 'bad_request': {
      const last = executed.failures.at(-1);
      return new ApiError('ai_bad_request', last?.message ?? 'The provider refused the request.', { details, headers });
    }
    case 'unavailable':
      return new ApiError(
        'ai_unavailable',
        executed.skipped.length === 0
          ? `The route "${route}" has no target; add one, or connect an AI provider.`
          : `No target of the route "${route}" could be tried: ${executed.skipped.map((skip) => `${skip.provider}/${skip.model} (${skip.detail})`).join('; ')}.`,
        { details, headers: { ...headers, ...retryAfter } },
      );
    case 'timeout':
      return new ApiError('ai_timeout', `The route "${route}" ran out of time after ${executed.attempts} attempt(s).`, { details, headers });
    case 'cancelled':
      return new ApiError('ai_unavailable', 'The call was cancelled by the caller.', { details, headers });
    case 'exhausted': {
      // Every provider asked us to slow down: that is a rate limit for the caller, with the earliest retry.
      if (executed.failures.length > 0 && executed.failures.every((failure) => failure.class === 'rate_limited')) {
        return new ApiError('provider_rate_limited', `Every provider of the route "${route}" is rate limited.`, { details, headers: { ...headers, ...retryAfter } });
      }
      const summary = executed.failures.map((failure) => `${failure.provider}/${failure.model}: ${failure.class}`).join('; ');
      return new ApiError('ai_route_exhausted', `Every target of the route "${route}" failed (${summary}).`, { details, headers: { ...headers, ...retryAfter } });
    }
  }
}
