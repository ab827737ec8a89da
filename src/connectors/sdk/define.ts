// The connector SDK: how a catalogue entry declares its metadata, auth, settings, connection check and
// actions. Object arguments and zod schemas throughout; the schemas also drive the dashboard's forms.
import { z } from 'zod';
import type { ProviderHttp } from './provider-http.ts';
import type { SyncDefinition } from './sync.ts';

export const CATEGORIES = [
  'video',
  'audio',
  'ai',
  'automation',
  'content',
  'analytics',
  'social',
  'commerce',
  'marketing',
  'email',
  'data',
  'custom',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One secret (or non-secret) value the user types when connecting, and where the runtime puts it. */
export interface CredentialField {
  label: string;
  description?: string;
  /** Shown masked in forms and never returned by the API. Default true. */
  secret?: boolean;
  /**
   * header: sent as `name: prefix + value`; query: `?name=value`; basic-username / basic-password: the
   * two halves of HTTP Basic; none: only the connector's own code reads it (ctx.credentials).
   */
  placement: 'header' | 'query' | 'basic-username' | 'basic-password' | 'none';
  /** Header or query parameter name (for header and query placements). */
  name?: string;
  /** Put before the value in a header, e.g. `Bearer `. */
  prefix?: string;
  /** Extra validation of the value, e.g. a documented key format. */
  pattern?: { regex: RegExp; message: string };
  optional?: boolean;
}

export type AuthSpec =
  | { kind: 'none' }
  | { kind: 'apiKey'; fields: Record<string, CredentialField> }
  | { kind: 'basic'; usernameLabel?: string; passwordLabel?: string }
  | {
      kind: 'oauth2';
      authorizationUrl: string;
      tokenUrl: string;
      /** Token revocation (RFC 7009), used when an integration is disconnected. */
      revocationUrl?: string;
      scopes: string[];
      scopeSeparator?: string;
      pkce: boolean;
      /** Added to the authorization request, e.g. `{ access_type: 'offline', prompt: 'consent' }`. */
      extraAuthorizationParams?: Record<string, string>;
    }
  | { kind: 'oauth2ClientCredentials'; tokenUrl: string; scopes: string[]; scopeSeparator?: string };

/** What checkConnection learned about the provider account the credential belongs to (seed 001's internal_id). */
export interface AccountIdentity {
  id: string;
  name: string;
  /** Non-secret extras worth showing (plan, email, region). */
  details?: Record<string, string | number | boolean | null>;
}

export type CheckResult =
  | { ok: true; account: AccountIdentity }
  | {
      ok: false;
      /** A sentence a person can act on: "the key was rejected by ElevenLabs: 401 invalid_api_key". */
      message: string;
      /** The credential or config field at fault, when the provider says which (e.g. `credentials.apiKey`). */
      field?: string;
      /** 'auth' failures mark an integration `expired`/`error`; 'unavailable' ones are worth retrying. */
      reason: 'auth' | 'config' | 'unavailable';
    };

export interface ConnectorContext<Config> {
  config: Config;
  /** The decrypted credential values (apiKey fields, basic, or OAuth tokens); for special placements only. */
  credentials: Readonly<Record<string, string>>;
  /** The provider's base URL with auth injected, through the shared outbound client. */
  http: ProviderHttp;
  signal: AbortSignal;
  /** Null while a new integration is being checked, before it is stored. */
  integrationId: string | null;
  workspaceId: string;
}

/** An action's binary answer (audio, video, files): returned as-is with its content type. */
export interface BinaryOutput {
  contentType: string;
  data: Uint8Array;
  fileName?: string;
}
export const binaryOutput = z.custom<BinaryOutput>(
  (value) => typeof value === 'object' && value !== null && 'data' in value && (value as BinaryOutput).data instanceof Uint8Array,
  'expected binary output',
);

export interface ActionDefinition<Config = any, Input = any, Output = any> {
  /** camelCase, stable: it is part of the URL (`/actions/:name`). */
  name: string;
  title: string;
  description: string;
  input: z.ZodType<Input>;
  /** Use `binaryOutput` for bytes. The answer is validated against it before it reaches the caller. */
  output: z.ZodType<Output>;
  run(ctx: ConnectorContext<Config>, input: Input): Promise<Output>;
}

/**
 * How a provider signs the webhooks it sends to `POST /api/v1/hooks/:integrationId`. The secret is a
 * credential field of the integration (`secretField`), so it lives in the vault like any other secret.
 */
export type InboundVerification =
  | {
      kind: 'hmac-sha256';
      /** Header carrying the signature of the raw body, e.g. `x-signature`. */
      header: string;
      encoding: 'hex' | 'base64';
      /** Text before the signature in the header, e.g. `sha256=`. */
      prefix?: string;
      secretField: string;
      /** Header carrying a unix timestamp, checked within the tolerance when present. */
      timestampHeader?: string;
    }
  | {
      /** Meta (Facebook, Instagram, WhatsApp): `X-Hub-Signature-256: sha256=<hex>` and the GET challenge. */
      kind: 'meta';
      appSecretField: string;
      verifyTokenField: string;
    }
  | {
      /** Standard Webhooks / Svix headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`); Resend signs this way. */
      kind: 'standard-webhooks';
      secretField: string;
    };

export interface InboundWebhookSpec {
  verification: InboundVerification;
  /** The provider's event type, from the payload or headers: becomes `inbound.<connector>.<type>`. */
  eventType(payload: unknown, headers: Readonly<Record<string, string | undefined>>): string;
  /** A provider-independent shape of the payload, stored beside the raw body. Default: the payload. */
  normalize?(payload: unknown): unknown;
  /** A stable id of the delivery (for replay de-duplication) when the provider sends one. */
  deliveryId?(payload: unknown, headers: Readonly<Record<string, string | undefined>>): string | undefined;
}

export interface ConnectorDefinition<Config = any> {
  /** kebab-case, unique, stable: integrations refer to it. */
  id: string;
  title: string;
  category: Category;
  description: string;
  /** Inline SVG markup (small, no external references). */
  logo: string;
  docsUrl: string;
  /** Where provider calls go; a function when it depends on the settings (a store URL, a region). */
  baseUrl: string | ((config: Config) => string);
  auth: AuthSpec;
  /**
   * Places the credential on a request when where it goes depends on the settings (the generic REST
   * connector); runs instead of the auth spec's own placement. Edit `headers` and `url` in place.
   */
  authenticate?: (request: { headers: Record<string, string>; url: URL }, config: Config, credential: Readonly<Record<string, string>>) => void;
  /** Non-secret settings, shown in the connect form. */
  config: z.ZodType<Config>;
  checkConnection(ctx: ConnectorContext<Config>): Promise<CheckResult>;
  actions: ActionDefinition<Config>[];
  /** What `POST /api/v1/integrations/:id/run` runs when the caller names no action (seed 003's "trigger"). */
  defaultAction?: string;
  /** The provider's documented rate limit, applied per integration across actions, proxy and syncs. */
  rateLimit?: { perSecond?: number; perMinute?: number };
  /** Safe GET answers may be cached this long when an action opts in (seed 001: one hour). */
  cacheTtlMs?: number;
  /** Present when the provider can send webhooks to the hub. */
  webhooks?: InboundWebhookSpec;
  /** Background data syncs into the records store and KPI metrics (src/syncs/ runs them). */
  syncs?: SyncDefinition<Config>[];
}

const ID = /^[a-z][a-z0-9-]{1,40}$/;
const ACTION_NAME = /^[a-z][A-Za-z0-9]{1,60}$/;

export function defineAction<Config, Input, Output>(action: ActionDefinition<Config, Input, Output>): ActionDefinition<Config, Input, Output> {
  if (!ACTION_NAME.test(action.name)) throw new Error(`Action name "${action.name}" must be camelCase (${ACTION_NAME})`);
  return action;
}

export function defineConnector<Config>(connector: ConnectorDefinition<Config>): ConnectorDefinition<Config> {
  if (!ID.test(connector.id)) throw new Error(`Connector id "${connector.id}" must be kebab-case (${ID})`);
  const names = new Set<string>();
  for (const action of connector.actions) {
    if (names.has(action.name)) throw new Error(`Connector ${connector.id} defines action ${action.name} twice`);
    names.add(action.name);
  }
  if (connector.defaultAction !== undefined && !names.has(connector.defaultAction)) {
    throw new Error(`Connector ${connector.id} names ${connector.defaultAction} as its default action, but has no such action`);
  }
  const syncNames = new Set<string>();
  for (const sync of connector.syncs ?? []) {
    if (syncNames.has(sync.name)) throw new Error(`Connector ${connector.id} defines sync ${sync.name} twice`);
    syncNames.add(sync.name);
  }
  return connector;
}

/** The failure value for a credential the provider refused, worded the same way for every connector. */
export function rejectedBy(title: string, status: number | undefined, detail: string, field?: string): CheckResult {
  const where = status ? `${status} ${detail}` : detail;
  return { ok: false, reason: 'auth', message: `The credential was rejected by ${title}: ${where}`, ...(field ? { field } : {}) };
}
