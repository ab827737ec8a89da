// The integrations capability's routes: the connector catalogue and a workspace's integrations; and the
// loader the webhooks capability's inbound route verifies provider webhooks with.
export { loadInboundTarget } from './inbound-target.ts';
import { oauthRoutes } from './oauth/index.ts';
import { getConnector } from './routes/connectors.get.ts';
import { listConnectors } from './routes/connectors.list.ts';
import { createIntegrationRoute } from './routes/integrations.create.ts';
import { deleteIntegration } from './routes/integrations.delete.ts';
import { getIntegration } from './routes/integrations.get.ts';
import { listIntegrations } from './routes/integrations.list.ts';
import { listOperations } from './routes/integrations.operations.ts';
import { proxyRoute } from './routes/integrations.proxy.ts';
import { runActionRoute } from './routes/integrations.run-action.ts';
import { testIntegration } from './routes/integrations.test-connection.ts';
import { updateIntegrationRoute } from './routes/integrations.update.ts';

export const integrationRoutes = [
  listConnectors,
  getConnector,
  listIntegrations,
  getIntegration,
  createIntegrationRoute,
  updateIntegrationRoute,
  deleteIntegration,
  testIntegration,
  runActionRoute,
  listOperations,
  proxyRoute,
  ...oauthRoutes,
];
