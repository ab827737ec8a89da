// The credential of a stored OAuth integration as provider calls see it: renewed before use when it is
// about to expire, and on demand when the provider answers 401 (the runtime then retries once).
import type { HubContext } from '../../platform/hub-context.ts';
import type { CredentialSource } from '../runtime/provider-http.ts';
import { openCredential, type IntegrationRow } from '../service.ts';
import { refreshCredential, type RefreshOutcome } from './refresh.ts';
import { expiresAtOf, forConnector, type StoredCredential } from './tokens.ts';

// A token this close to its expiry is renewed before the call rather than sent to fail: covers clock skew
// and the call's own duration.
const EXPIRY_MARGIN_MS = 60_000;

function credentialOf(outcome: RefreshOutcome): StoredCredential | null {
  return outcome.status === 'refreshed' || outcome.status === 'fresh' ? outcome.credential : null;
}

export function oauthCredentialSource(hub: HubContext, row: IntegrationRow): CredentialSource {
  let credential: StoredCredential | null = null;
  const load = async (): Promise<StoredCredential> => (credential ??= await openCredential(hub, row));

  return {
    async current() {
      const stored = await load();
      const expiresAt = expiresAtOf(stored);
      // No token yet (a client-credentials integration whose token was never obtained) or one about to lapse.
      if (row.credential && (!stored.accessToken || (expiresAt && expiresAt.getTime() <= Date.now() + EXPIRY_MARGIN_MS))) {
        const renewed = credentialOf(await refreshCredential(hub, row.id, { kind: 'due', before: new Date(Date.now() + EXPIRY_MARGIN_MS) }, { wait: true }));
        // On a transient failure the old token is still sent: it may have seconds left, and the provider decides.
        if (renewed) credential = renewed;
      }
      return forConnector(credential ?? stored);
    },
    async refresh() {
      if (!row.credential) return null;
      const rejected = (await load()).accessToken;
      const renewed = credentialOf(await refreshCredential(hub, row.id, { kind: 'rejected', accessToken: rejected }, { wait: true }));
      // The same token again would only be refused again.
      if (!renewed || renewed.accessToken === rejected) return null;
      credential = renewed;
      return forConnector(renewed);
    },
  };
}

/** Whether the hub can get this integration a new token by itself (a refresh token, or client credentials). */
export async function canRenewCredential(hub: HubContext, row: IntegrationRow): Promise<boolean> {
  if (!row.credential) return false;
  const stored = await openCredential(hub, row);
  return Boolean(stored.refreshToken || (stored.clientId && stored.clientSecret));
}
