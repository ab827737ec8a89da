// Where the provider sends the browser back: the hub's public address plus the one callback path.
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../../platform/hub-context.ts';
import { CALLBACK_PATH } from './contracts.ts';

/**
 * SWITCHBOARD_PUBLIC_URL when set (set it behind a proxy: the provider must see the same URL every time);
 * otherwise the address this request reached the hub at.
 */
export function callbackUrl(hub: HubContext, request: FastifyRequest): string {
  const base = hub.config.publicUrl ? hub.config.publicUrl.replace(/\/$/, '') : `${request.protocol}://${request.host}`;
  return `${base}${CALLBACK_PATH}`;
}
