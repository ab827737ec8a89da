// Shapes of the connector and integration routes, shared by server, tests and dashboard.
import { z } from 'zod';
import { CATEGORIES, type ConnectorDefinition } from '../connectors/sdk/define.ts';
import { credentialJsonSchema, toJsonSchema } from '../connectors/sdk/json-schema.ts';
import { iso, isoDate } from '../platform/http/pagination.ts';
import { INTEGRATION_STATUSES } from './tables.ts';
import type { IntegrationRow } from './service.ts';

const jsonSchema = z.record(z.string(), z.unknown());

export const connectorSummary = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(CATEGORIES),
  description: z.string(),
  logo: z.string(),
  docsUrl: z.string(),
  authKind: z.enum(['none', 'apiKey', 'basic', 'oauth2', 'oauth2ClientCredentials']),
  actions: z.array(z.object({ name: z.string(), title: z.string(), description: z.string() })),
  /** What POST /api/v1/integrations/:id/run runs when no action is named. */
  defaultAction: z.string().nullable(),
  inboundWebhooks: z.boolean(),
});

export const connectorDetail = connectorSummary.extend({
  configSchema: jsonSchema,
  credentialSchema: jsonSchema,
  oauth: z
    .object({
      scopes: z.array(z.string()),
      pkce: z.boolean(),
      /** Register exactly this redirect URI in the OAuth app at the provider (the hub's callback). */
      redirectUri: z.string(),
    })
    .nullable(),
  actions: z.array(z.object({ name: z.string(), title: z.string(), description: z.string(), inputSchema: jsonSchema, outputSchema: jsonSchema })),
});

export function toConnectorSummary(connector: ConnectorDefinition): z.infer<typeof connectorSummary> {
  return {
    id: connector.id,
    title: connector.title,
    category: connector.category,
    description: connector.description,
    logo: connector.logo,
    docsUrl: connector.docsUrl,
    authKind: connector.auth.kind,
    actions: connector.actions.map(({ name, title, description }) => ({ name, title, description })),
    defaultAction: connector.defaultAction ?? (connector.actions.length === 1 ? connector.actions[0]!.name : null),
    inboundWebhooks: connector.webhooks !== undefined,
  };
}

/** `redirectUri`: the hub's OAuth callback as the provider must see it (see oauth/urls.ts). */
export function toConnectorDetail(connector: ConnectorDefinition, redirectUri: string): z.infer<typeof connectorDetail> {
  return {
    ...toConnectorSummary(connector),
    configSchema: toJsonSchema(connector.config),
    credentialSchema: credentialJsonSchema(connector.auth),
    oauth: connector.auth.kind === 'oauth2' ? { scopes: connector.auth.scopes, pkce: connector.auth.pkce, redirectUri } : null,
    actions: connector.actions.map((action) => ({
      name: action.name,
      title: action.title,
      description: action.description,
      inputSchema: toJsonSchema(action.input),
      outputSchema: toJsonSchema(action.output),
    })),
  };
}

export const integrationView = z.object({
  id: z.string(),
  connectorId: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  status: z.enum(INTEGRATION_STATUSES),
  statusReason: z.string().nullable(),
  account: z.object({ id: z.string(), name: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
  /** `••••` + last 4 characters per secret field: raw secrets never leave the server. */
  credentials: z.record(z.string(), z.string()),
  lastCheckedAt: isoDate.nullable(),
  tokenExpiresAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export function toIntegrationView(row: IntegrationRow): z.infer<typeof integrationView> {
  return {
    id: row.id,
    connectorId: row.connectorId,
    name: row.name,
    config: row.config,
    status: row.status,
    statusReason: row.statusReason,
    account: row.account ?? null,
    credentials: row.credentialHint,
    lastCheckedAt: iso(row.lastCheckedAt),
    tokenExpiresAt: iso(row.tokenExpiresAt),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

export const operationView = z.object({
  id: z.string(),
  operation: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.number().nullable(),
  latencyMs: z.number(),
  attempts: z.number(),
  errorCode: z.string().nullable(),
  createdAt: isoDate,
});

export const integrationName = z.string().trim().min(1).max(100);
