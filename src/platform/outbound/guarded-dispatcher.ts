// An undici dispatcher whose sockets connect only to addresses the SSRF guard has just approved: DNS is
// resolved once, at connect time, by the guard itself, so no second lookup can swap in 127.0.0.1.
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { SsrfGuard } from './ssrf-guard.ts';

/**
 * Raised inside the connector when the guard refuses the destination. A class because the client must
 * recognise it through undici's error wrapping: it means "refused by policy, never retry".
 */
export class SsrfRefusedError extends Error {
  override name = 'SsrfRefusedError';
  readonly code = 'ERR_SSRF_REFUSED';
}

export interface GuardedDispatcherOptions {
  /** Milliseconds to establish TCP (and TLS). Default 10,000; the client's per-attempt timeout still applies. */
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this many milliseconds. Default 4,000 (undici's). */
  keepAliveTimeoutMs?: number;
}

export function createGuardedDispatcher(guard: SsrfGuard, options: GuardedDispatcherOptions = {}): Agent {
  const connect = buildConnector({ lookup: guardedLookup(guard), timeout: options.connectTimeoutMs ?? 10_000 });
  // net.connect skips `lookup` for IP literals, so those are judged here before any socket exists.
  const guardedConnect: buildConnector.connector = (target, callback) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) {
      const verdict = guard.checkAddress(host);
      if (!verdict.ok) {
        callback(new SsrfRefusedError(verdict.reason), null);
        return;
      }
    }
    connect(target, callback);
  };
  return new Agent({ connect: guardedConnect, keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000 });
}

/** A net.connect `lookup` that resolves through the guard and hands back only the approved addresses. */
export function guardedLookup(guard: SsrfGuard): LookupFunction {
  return (hostname, options, callback) => {
    guard.resolveHost(hostname).then(
      (verdict) => {
        if (!verdict.ok) {
          const error =
            verdict.kind === 'refused'
              ? new SsrfRefusedError(verdict.reason)
              : Object.assign(new Error(verdict.reason), { code: 'ENOTFOUND', hostname });
          callback(error, '', 0);
          return;
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family === 4 || family === 6 ? verdict.addresses.filter((a) => a.family === family) : verdict.addresses;
        const first = addresses[0];
        if (!first) {
          callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND', hostname }), '', 0);
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}
