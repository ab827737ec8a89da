// What a user types to connect, derived from a connector's auth spec: the zod schema that validates it,
// how it is masked when shown, and which connectors take it from an OAuth flow instead.
import { z } from 'zod';
import type { AuthSpec, CredentialField } from './define.ts';

/** The fields of a credential form, in order, for the wizard (and for masking). */
export function credentialFields(auth: AuthSpec): Record<string, CredentialField> {
  switch (auth.kind) {
    case 'apiKey':
      return auth.fields;
    case 'basic':
      return {
        username: { label: auth.usernameLabel ?? 'Username', placement: 'basic-username', secret: false },
        password: { label: auth.passwordLabel ?? 'Password', placement: 'basic-password' },
      };
    case 'oauth2ClientCredentials':
      return {
        clientId: { label: 'Client ID', placement: 'none', secret: false },
        clientSecret: { label: 'Client secret', placement: 'none' },
      };
    case 'none':
    case 'oauth2':
      return {};
  }
}

/** Validates the credential object of a create or update request. OAuth 2.0 code flows take none. */
export function credentialSchema(auth: AuthSpec): z.ZodType<Record<string, string>> {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const [name, field] of Object.entries(credentialFields(auth))) {
    let value = z.string().trim().min(1, `${field.label} is required`).max(8192);
    if (field.pattern) value = value.regex(field.pattern.regex, field.pattern.message);
    shape[name] = field.optional ? value.optional() : value;
  }
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, string>>;
}

/** `••••` + the last 4 characters of each secret field; non-secret fields as they are. */
export function maskCredential(auth: AuthSpec, values: Readonly<Record<string, string>>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, field] of Object.entries(credentialFields(auth))) {
    const value = values[name];
    if (value === undefined) continue;
    masked[name] = field.secret === false ? value : `••••${value.length > 8 ? value.slice(-4) : ''}`;
  }
  return masked;
}

export function isOAuthCodeFlow(auth: AuthSpec): boolean {
  return auth.kind === 'oauth2';
}
