// The custom-connector capability's routes (under /api/v1/connectors/custom).
import { createCustomConnectorRoute } from './routes/custom-connectors.create.ts';
import { deleteCustomConnectorRoute } from './routes/custom-connectors.delete.ts';
import { getCustomConnectorRoute } from './routes/custom-connectors.get.ts';
import { listCustomConnectorsRoute } from './routes/custom-connectors.list.ts';
import { tryCustomConnectorRoute } from './routes/custom-connectors.try.ts';
import { updateCustomConnectorRoute } from './routes/custom-connectors.update.ts';
import { listVersionsRoute } from './routes/custom-connectors.versions.ts';

export const customConnectorRoutes = [
  listCustomConnectorsRoute,
  createCustomConnectorRoute,
  tryCustomConnectorRoute,
  getCustomConnectorRoute,
  updateCustomConnectorRoute,
  deleteCustomConnectorRoute,
  listVersionsRoute,
];
