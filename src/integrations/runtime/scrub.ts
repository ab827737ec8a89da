// Keeps an integration's own secrets out of what a provider sends back: some APIs echo the key they were
// given (in profile answers or error messages), and that answer must not hand it to the hub's caller.
import type { AuthSpec } from '../../connectors/sdk/define.ts';
import { credentialFields } from '../../connectors/sdk/credentials.ts';

const REDACTED = '[redacted]';
// Shorter values are not worth scrubbing (and would mangle ordinary words).
const MIN_SECRET_LENGTH = 6;
const TOKEN_FIELDS = ['accessToken', 'refreshToken', 'clientSecret', 'idToken'];

/** The secret values of a credential: fields not marked `secret: false`, and OAuth tokens. */
export function secretValues(auth: AuthSpec, credential: Readonly<Record<string, string>>): string[] {
  const fields = credentialFields(auth);
  const names = [...Object.keys(fields).filter((name) => fields[name]!.secret !== false), ...TOKEN_FIELDS];
  return [...new Set(names.map((name) => credential[name]).filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH))];
}

/** Replaces every occurrence of a secret in strings, arrays and plain objects (bytes are left alone). */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const visit = (item: unknown): unknown => {
    if (typeof item === 'string') return secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text), item);
    if (Array.isArray(item)) return item.map(visit);
    if (item && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, visit(inner)]));
    }
    return item;
  };
  return visit(value) as T;
}

/** Scrubs a text body (JSON, HTML, plain text); other content types pass unchanged. */
export function scrubBody(body: Buffer, contentType: string | undefined, secrets: readonly string[]): Buffer {
  if (secrets.length === 0 || !/json|text|xml|html|javascript/i.test(contentType ?? 'text/plain')) return body;
  const text = body.toString('utf8');
  const cleaned = scrub(text, secrets);
  return cleaned === text ? body : Buffer.from(cleaned, 'utf8');
}
