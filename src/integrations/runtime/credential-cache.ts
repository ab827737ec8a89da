// Opened (decrypted) integration credentials, kept briefly per hub process so the action and proxy paths
// do not open the same ciphertext on every call. An entry is keyed by integration id and only answers for
// the exact ciphertext it was opened from: the row is read on every request, so a replaced, refreshed or
// deleted credential can never be served from here. Master-key rotation re-wraps data keys, not
// credentials, so it leaves entries valid; a data-key rotation writes new ciphertexts, which miss.
// Plaintexts stay in this process's memory, where the unwrapped data keys that open them already are.
import { LRUCache } from 'lru-cache';

/** Longest an opened credential is kept without use of its ciphertext being re-checked. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

type Credential = Readonly<Record<string, string>>;

export interface CredentialCache {
  /** The plaintext of `ciphertext`, opened once and shared by concurrent callers. */
  open(integrationId: string, ciphertext: string, decrypt: () => Promise<Record<string, string>>): Promise<Credential>;
}

export function createCredentialCache(options: { ttlMs?: number; max?: number } = {}): CredentialCache {
  const entries = new LRUCache<string, { ciphertext: string; value: Promise<Credential> }>({ max: options.max ?? MAX_ENTRIES, ttl: options.ttlMs ?? TTL_MS });
  return {
    open(integrationId, ciphertext, decrypt) {
      const hit = entries.get(integrationId);
      if (hit && hit.ciphertext === ciphertext) return hit.value;
      const value = decrypt().then((plain) => Object.freeze(plain));
      // A failure (tampered ciphertext, missing key) is reported every time, never cached.
      value.catch(() => {
        if (entries.get(integrationId)?.value === value) entries.delete(integrationId);
      });
      entries.set(integrationId, { ciphertext, value });
      return value;
    },
  };
}

const caches = new WeakMap<object, CredentialCache>();

/** This hub's cache (keyed by its database handle, which exists once per hub). */
export function credentialCacheOf(hub: { db: object }): CredentialCache {
  let cache = caches.get(hub.db);
  if (!cache) {
    cache = createCredentialCache();
    caches.set(hub.db, cache);
  }
  return cache;
}
