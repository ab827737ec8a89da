// The stored shape of an OAuth credential and how a token endpoint's answer becomes (or renews) one.
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { AuthSpec } from '../../connectors/sdk/define.ts';

/**
 * What the vault holds for an OAuth integration (all strings, so it fits the credential record every
 * integration has). Client-credentials integrations also keep the `clientId` and `clientSecret` the user
 * typed, since renewing the token needs them.
 */
export interface OAuthCredential {
  accessToken: string;
  refreshToken?: string;
  /** Lower-cased, as oauth4webapi normalises it (`bearer`). */
  tokenType: string;
  scope?: string;
  /** ISO 8601; absent when the provider did not say (the token is used until it is refused). */
  expiresAt?: string;
}

export type StoredCredential = Readonly<Record<string, string>>;

/** Connectors whose credential is an OAuth access token the hub obtains and renews. */
export function usesOAuthTokens(auth: AuthSpec): auth is Extract<AuthSpec, { kind: 'oauth2' | 'oauth2ClientCredentials' }> {
  return auth.kind === 'oauth2' || auth.kind === 'oauth2ClientCredentials';
}

/**
 * The credential after a token answer. A refresh answer without a `refresh_token` keeps the old one (most
 * providers only send it when they rotate it); one without `scope` keeps the granted scope.
 */
export function withTokens(previous: StoredCredential, tokens: TokenEndpointResponse, nowMs: number): Record<string, string> {
  const next: Record<string, string> = { ...previous, accessToken: tokens.access_token, tokenType: tokens.token_type };
  if (tokens.refresh_token) next.refreshToken = tokens.refresh_token;
  if (tokens.scope) next.scope = tokens.scope;
  if (typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in) && tokens.expires_in > 0) {
    next.expiresAt = new Date(nowMs + tokens.expires_in * 1000).toISOString();
  } else {
    delete next.expiresAt;
  }
  return next;
}

export function expiresAtOf(credential: StoredCredential): Date | null {
  if (!credential.expiresAt) return null;
  const at = new Date(credential.expiresAt);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** What connector code gets: the refresh token stays with the hub (connectors never need it). */
export function forConnector(credential: StoredCredential): StoredCredential {
  const { refreshToken: _refreshToken, ...rest } = credential;
  return rest;
}
