// The outbound HTTP module's public surface: the SSRF guard, the guarded dispatcher and the one client.
export { checkAddress, parseAllowedNetworks, type AddressVerdict, type AllowedNetwork } from './address-policy.ts';
export type { BreakerOptions, BreakerState } from './circuit-breakers.ts';
export { createOutboundClient, type OutboundClient, type OutboundClientOptions } from './client.ts';
export { systemClock, type Clock } from './clock.ts';
export {
  OUTBOUND_ERROR_CODES,
  redactUrl,
  type OutboundError,
  type OutboundErrorCode,
  type OutboundOperation,
  type OutboundRequest,
  type OutboundResponse,
  type OutboundResult,
  type OutboundStreamRequest,
  type OutboundStreamResult,
  type ResponseHeaders,
  type RetryOptions,
} from './contracts.ts';
export { createGuardedDispatcher, guardedLookup, SsrfRefusedError, type GuardedDispatcherOptions } from './guarded-dispatcher.ts';
export type { RateBudget } from './rate-budget.ts';
export { followRedirects, type RedirectedResult } from './redirects.ts';
export type { ResponseCacheOptions } from './response-cache.ts';
export { isRetryableStatus, serverRequestedDelayMs } from './retry-timing.ts';
export {
  createSsrfGuard,
  systemResolver,
  type GuardRefusal,
  type HostVerdict,
  type ResolvedAddress,
  type Resolver,
  type SsrfGuard,
  type SsrfGuardOptions,
  type TargetVerdict,
  type UrlVerdict,
} from './ssrf-guard.ts';
