// Addresses of the integrations pages.
export const INTEGRATIONS_PATH = '/integrations';
export const CATALOG_PATH = '/integrations/catalog';
export const CUSTOM_CONNECTORS_PATH = '/integrations/custom';

export const integrationPath = (integrationId: string) => `${INTEGRATIONS_PATH}/${encodeURIComponent(integrationId)}`;
export const connectPath = (connectorId: string) => `${CATALOG_PATH}/${encodeURIComponent(connectorId)}`;
