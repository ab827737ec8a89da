// What Google API connectors share: Google's error body, the signed-in account from OpenID Connect userinfo,
// and the service-account grant (RFC 7523 JWT bearer), signed with jose and exchanged through the connector's
// own ProviderHttp so it gets the outbound client's SSRF guard, retries and operation log. jose (pinned) signs: a
// well-kept JOSE library without dependencies; google-auth-library would make its own HTTP calls outside that client.
// Docs used:
//   https://cloud.google.com/apis/design/errors                  ({ error: { code, message, status, details } })
//   https://developers.google.com/identity/openid-connect/openid-connect  (userinfo endpoint: sub, email, name)
//   https://developers.google.com/identity/protocols/oauth2/service-account  (JWT claims iss, scope, aud, iat, exp,
//        optional sub for domain-wide delegation; RS256 with the key's private_key_id as kid; POST to
//        https://oauth2.googleapis.com/token with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer; the
//        token lives an hour; invalid_grant when the key is wrong, revoked or the clock is off)
import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { rejectedBy, type CheckResult } from './define.ts';
import { providerErrors } from './provider-errors.ts';
import { ProviderError, type ProviderHttp } from './provider-http.ts';

export const GOOGLE_AUTHORIZATION_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_REVOCATION_URL = 'https://oauth2.googleapis.com/revoke';
export const GOOGLE_USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';

/** "PERMISSION_DENIED: The caller does not have permission", or the token endpoint's "invalid_grant: Invalid JWT Signature." */
export function googleDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error === 'string') return typeof description === 'string' ? `${error}: ${description}` : error;
  if (!error || typeof error !== 'object') return undefined;
  const { status, message } = error as { status?: unknown; message?: unknown };
  const parts = [typeof status === 'string' ? status : undefined, typeof message === 'string' ? message : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** Runs a provider call and rethrows its failure in Google's own terms ("Google Sheets answered 403 PERMISSION_DENIED: …"). */
export function googleCall<T>(title: string, work: () => Promise<T>): Promise<T> {
  // OAuth connectors have no credential field to point at; the field is not used by `call`.
  return providerErrors({ title, detail: googleDetail, credentialField: 'credentials' }).call(work);
}

const userinfo = z.looseObject({ sub: z.string(), email: z.string().optional(), name: z.string().optional(), hd: z.string().optional() });

/** The check of a Google OAuth connector: who granted the token (needs the `openid email` scopes). */
export async function googleUserCheck(http: ProviderHttp, title: string): Promise<CheckResult> {
  try {
    const parsed = userinfo.safeParse((await http.get(GOOGLE_USERINFO_URL)).data);
    if (!parsed.success) return { ok: false, reason: 'unavailable', message: `${title}: Google answered userinfo in an unexpected shape` };
    const user = parsed.data;
    return { ok: true, account: { id: user.sub, name: user.name || user.email || user.sub, details: { email: user.email ?? null, domain: user.hd ?? null } } };
  } catch (error) {
    if (error instanceof ProviderError && (error.status === 401 || error.status === 403)) return rejectedBy(title, error.status, googleDetail(error.body) ?? error.message);
    throw error;
  }
}

// ---- service accounts ----------------------------------------------------------------------------------

export const serviceAccountKey = z.looseObject({
  type: z.literal('service_account', { message: 'the JSON key must be of "type": "service_account"' }),
  client_email: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'client_email must be the service account’s address'),
  private_key: z.string().includes('PRIVATE KEY', { message: 'private_key must be the PEM private key from the JSON key file' }),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  // Only Google's own token endpoint: a key file must not send the signed assertion anywhere else.
  token_uri: z.literal(GOOGLE_TOKEN_URL, { message: `token_uri must be ${GOOGLE_TOKEN_URL}` }).optional(),
});
export type ServiceAccountKey = z.infer<typeof serviceAccountKey>;

/** The parsed key, or a sentence saying what is wrong with the text pasted as the key. */
export function parseServiceAccountKey(text: string | undefined): ServiceAccountKey | string {
  if (!text) return 'paste the service account’s JSON key (IAM → Service accounts → Keys → Add key → JSON)';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'the service account key must be the JSON key file’s content';
  }
  const parsed = serviceAccountKey.safeParse(json);
  return parsed.success ? parsed.data : (parsed.error.issues[0]?.message ?? 'not a service account key');
}

export const PRIVATE_KEY_UNREADABLE = 'The service account’s private_key is not a PKCS#8 RSA key; create a new JSON key.';

const tokenAnswer = z.object({ access_token: z.string(), expires_in: z.number().optional(), token_type: z.string().optional() });
/** Renew this long before Google's expiry, so a token never runs out mid-call. */
const EARLY_RENEWAL_MS = 5 * 60 * 1000;
const tokens = new Map<string, { token: string; expiresAt: number }>();

function cacheKey(key: ServiceAccountKey, scopes: readonly string[], subject: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([key.client_email, key.private_key_id ?? '', key.private_key, [...scopes].sort(), subject ?? ''])).digest('hex');
}

export interface ServiceAccountGrant {
  key: ServiceAccountKey;
  scopes: readonly string[];
  /** Domain-wide delegation: the Workspace user to act as. */
  subject?: string | undefined;
}

/**
 * An access token for the service account, minted with the JWT bearer grant and kept in memory until five
 * minutes before it expires. Tokens are per process: each node mints its own, which Google allows.
 */
export async function serviceAccountToken(http: ProviderHttp, grant: ServiceAccountGrant, now = Date.now()): Promise<string> {
  const id = cacheKey(grant.key, grant.scopes, grant.subject);
  const cached = tokens.get(id);
  if (cached && cached.expiresAt - EARLY_RENEWAL_MS > now) return cached.token;
  const issuedAt = Math.floor(now / 1000);
  let signer: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    signer = await importPKCS8(grant.key.private_key, 'RS256');
  } catch {
    throw new ProviderError({ code: 'invalid_response', message: PRIVATE_KEY_UNREADABLE });
  }
  const jwt = new SignJWT({ scope: grant.scopes.join(' ') })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(grant.key.private_key_id ? { kid: grant.key.private_key_id } : {}) })
    .setIssuer(grant.key.client_email)
    .setAudience(GOOGLE_TOKEN_URL)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600);
  if (grant.subject) jwt.setSubject(grant.subject);
  const assertion = await jwt.sign(signer);
  // Minting has no side effect: safe to retry on 429 and 5xx.
  const answer = await http.request({ method: 'POST', path: GOOGLE_TOKEN_URL, form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, retry: {} });
  const parsed = tokenAnswer.safeParse(answer.data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', message: 'Google’s token endpoint answered without an access_token' });
  tokens.set(id, { token: parsed.data.access_token, expiresAt: now + (parsed.data.expires_in ?? 3600) * 1000 });
  return parsed.data.access_token;
}

/** Drops a cached token Google refused (revoked key, removed permission), so the next call mints a new one. */
export function forgetServiceAccountToken(grant: ServiceAccountGrant): void {
  tokens.delete(cacheKey(grant.key, grant.scopes, grant.subject));
}
