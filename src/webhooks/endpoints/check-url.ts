// Checks an endpoint URL when it is saved: its preset's shape, then the SSRF guard (resolving the host),
// so a refused address is a 400 naming the field now rather than a failed delivery later. Deliveries are
// checked again at connect time (the guard pins the address), so DNS changes cannot get around this.
import { ApiError } from '../../platform/errors.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { createSsrfGuard, type SsrfGuard } from '../../platform/outbound/index.ts';
import type { EndpointPreset } from '../tables.ts';
import { PRESETS } from './presets.ts';

const guards = new WeakMap<HubContext['config'], SsrfGuard>();

function guardFor(hub: HubContext): SsrfGuard {
  let guard = guards.get(hub.config);
  if (!guard) {
    guard = createSsrfGuard({ allowPrivateNetworks: hub.config.allowPrivateNetworks });
    guards.set(hub.config, guard);
  }
  return guard;
}

function invalid(message: string): ApiError {
  return new ApiError('validation_failed', `Invalid request. body.url: ${message}`, { details: [{ field: 'body.url', message }] });
}

/** Throws a validation error naming body.url; returns warnings that do not stop the save. */
export async function checkEndpointUrl(hub: HubContext, url: string, preset: EndpointPreset): Promise<string[]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('must start with https:// (or http://)');
  const shape = PRESETS[preset].checkUrl(parsed);
  if (shape) throw invalid(shape);
  const verdict = await guardFor(hub).checkUrl(parsed);
  if (!verdict.ok && verdict.kind === 'refused') {
    throw invalid(
      `is refused: ${verdict.reason}. Webhooks may not reach private, loopback, link-local or cloud-metadata addresses ` +
        'unless SWITCHBOARD_ALLOW_PRIVATE_NETWORKS lists the range (e.g. for an n8n on your own network).',
    );
  }
  const warnings: string[] = [];
  if (!verdict.ok) warnings.push(`The host does not resolve right now (${verdict.reason}); deliveries will fail until it does.`);
  if (parsed.protocol === 'http:') warnings.push('The URL is not HTTPS: deliveries and their custom headers travel unencrypted.');
  return warnings;
}
