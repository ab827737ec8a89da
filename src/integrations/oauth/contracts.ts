// Shapes of the OAuth routes (apps, flow start), shared by server, tests and dashboard.
import { z } from 'zod';
import { isoDate, iso } from '../../platform/http/pagination.ts';
import { integrationName } from '../contracts.ts';
import type { OAuthAppRow } from './oauth-apps.ts';

export const CALLBACK_PATH = '/api/v1/oauth/callback';

export const oauthAppView = z.object({
  connectorId: z.string(),
  clientId: z.string(),
  /** `••••` + the last 4 characters, or null for a public client: the secret itself is never returned. */
  clientSecret: z.string().nullable(),
  /** Register exactly this redirect URI in the provider's app settings. */
  redirectUri: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export function toOAuthAppView(row: OAuthAppRow, redirectUri: string): z.infer<typeof oauthAppView> {
  return {
    connectorId: row.connectorId,
    clientId: row.clientId,
    clientSecret: row.clientSecret ? (row.clientSecretHint ?? '••••') : null,
    redirectUri,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

export const saveOAuthAppBody = z.object({
  clientId: z.string().trim().min(1).max(500),
  /** A string sets the secret; null removes it (public client, PKCE alone); absent keeps the stored one. */
  clientSecret: z.string().trim().min(1).max(8192).nullable().optional(),
});

/** What starting a flow takes, whether from the query string (GET) or a JSON body (POST). */
export const startFlowFields = {
  /** Name of the new integration; not used when re-authorising (`integrationId`). */
  name: integrationName.optional(),
  /** A path on this hub to send the browser back to (default `/`); `?integration=` or `?oauthError=` is added. */
  returnTo: z.string().max(2000).optional(),
  /** Re-authorise this integration (new tokens, same id, name and settings) instead of creating one. */
  integrationId: z.uuid().optional(),
};

export const startFlowBody = z.object({ ...startFlowFields, config: z.record(z.string(), z.unknown()).optional() });

export const startFlowResponse = z.object({
  /** Send the user's browser here. */
  authorizationUrl: z.string(),
  /** The flow must come back to the callback before this. */
  expiresAt: isoDate,
});
