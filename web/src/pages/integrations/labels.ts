// How connector categories, auth kinds and integration statuses read in the dashboard.
import type { ConnectorCategory, ConnectorSummary, IntegrationStatus } from '../../api.ts';
import { capitalize } from '../../format.ts';

export function categoryLabel(category: ConnectorCategory): string {
  return category === 'ai' ? 'AI' : capitalize(category);
}

const AUTH_LABELS: Record<ConnectorSummary['authKind'], string> = {
  none: 'No credentials',
  apiKey: 'API key',
  basic: 'Username & password',
  oauth2: 'OAuth 2.0',
  oauth2ClientCredentials: 'Client credentials',
};

export function authKindLabel(kind: ConnectorSummary['authKind']): string {
  return AUTH_LABELS[kind];
}

export const STATUS_LABELS: Record<IntegrationStatus, string> = {
  connected: 'Connected',
  error: 'Error',
  expired: 'Expired',
  disconnected: 'Disconnected',
};

export const STATUS_COLORS: Record<IntegrationStatus, string> = {
  connected: 'green',
  error: 'red',
  expired: 'orange',
  disconnected: 'gray',
};
