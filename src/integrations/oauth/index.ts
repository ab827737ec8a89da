// The OAuth part of integrations, as the rest of the hub uses it: routes, the refresh job, the refreshing
// credential source, client-credentials tokens at connect time and revocation at disconnect.
export { withClientCredentialsToken } from './client-credentials.ts';
export { canRenewCredential, oauthCredentialSource } from './credential-source.ts';
export { refreshDueTokens, oauthJobs, type RefreshRunSummary } from './refresh-job.ts';
export { revokeIntegrationTokens, type RevocationReport } from './revoke.ts';
export { oauthRoutes } from './routes.ts';
export { usesOAuthTokens, type OAuthCredential } from './tokens.ts';
