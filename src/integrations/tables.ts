// Integrations (a workspace's configured instances of connectors), their OAuth apps and pending OAuth
// flows, and the operation log of provider calls. Secrets are stored only as vault ciphertexts.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { apiKeys, users, workspaces } from '../platform/db/schema.ts';

export const INTEGRATION_STATUSES = ['connected', 'error', 'expired', 'disconnected'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id').notNull(),
    name: text('name').notNull(),
    /** The connector's non-secret settings, validated by its config schema. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** Vault ciphertext of the credential (field values, or OAuth tokens), bound to this integration's id. */
    credential: text('credential'),
    /** Per credential field, `••••` + the last 4 characters: what the API may show. */
    credentialHint: jsonb('credential_hint').$type<Record<string, string>>().notNull().default({}),
    status: text('status', { enum: INTEGRATION_STATUSES }).notNull(),
    statusReason: text('status_reason'),
    /** The provider account the credential belongs to (seed 001's internal_id and display name). */
    account: jsonb('account').$type<{ id: string; name: string; details?: Record<string, unknown> } | null>(),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    /** For OAuth credentials: when the access token expires (the refresh job looks at this). */
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    /**
     * The token-refresh lease (see oauth/README.md): who is refreshing this credential right now and until
     * when. Claimed with the row locked, held across the provider call, cleared when the result is stored.
     */
    refreshLeaseId: text('refresh_lease_id'),
    refreshLeaseUntil: timestamp('refresh_lease_until', { withTimezone: true }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Soft delete: a disconnected integration keeps its history (operations, events, records). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('integrations_workspace_idx').on(t.workspaceId, t.connectorId),
    uniqueIndex('integrations_workspace_name_idx')
      .on(t.workspaceId, t.name)
      .where(sql`${t.deletedAt} is null`),
    index('integrations_token_expiry_idx')
      .on(t.tokenExpiresAt)
      .where(sql`${t.deletedAt} is null and ${t.tokenExpiresAt} is not null`),
  ],
);

/** A workspace's own OAuth client for a connector ("bring your own OAuth app"). */
export const oauthApps = pgTable(
  'oauth_apps',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id').notNull(),
    clientId: text('client_id').notNull(),
    /** Vault ciphertext of the client secret (absent for public clients using PKCE alone). */
    clientSecret: text('client_secret'),
    /** `••••` + the secret's last 4 characters: what the API shows instead of it. */
    clientSecretHint: text('client_secret_hint'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.connectorId] })],
);

/** An authorization-code flow between /oauth/:connectorId/start and /oauth/callback (minutes long). */
export const oauthFlows = pgTable(
  'oauth_flows',
  {
    /** The `state` parameter: random, single use. */
    state: text('state').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id').notNull(),
    /** Vault ciphertext of the PKCE code verifier. */
    codeVerifier: text('code_verifier'),
    redirectUri: text('redirect_uri').notNull(),
    /** Where to send the browser afterwards (the dashboard page that started the flow). */
    returnTo: text('return_to'),
    integrationName: text('integration_name').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** Set when the flow re-authorises an existing integration instead of creating one. */
    integrationId: uuid('integration_id'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Set instead of the user when an API key started the flow: the callback acts as that key. */
    createdByApiKeyId: uuid('created_by_api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oauth_flows_expiry_idx').on(t.expiresAt)],
);

/** One row per provider call made for an integration (action, proxy, check, sync), for health and the dashboard. */
export const integrationOperations = pgTable(
  'integration_operations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    integrationId: uuid('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    /** `action:<name>`, `proxy`, `check`, `refresh`, `sync:<name>`. */
    operation: text('operation').notNull(),
    method: text('method').notNull(),
    /** Without query values (they can hold keys). */
    url: text('url').notNull(),
    status: integer('status'),
    latencyMs: integer('latency_ms').notNull(),
    attempts: integer('attempts').notNull(),
    errorCode: text('error_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('integration_operations_integration_idx').on(t.integrationId, t.id), index('integration_operations_created_idx').on(t.createdAt)],
);
