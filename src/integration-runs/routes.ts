// The integration-runs capability's routes (under /api/v1/integrations/:id/run[s]).
import { startRunRoute } from './routes/integrations.run.ts';
import { cancelRunRoute } from './routes/integrations.runs.cancel.ts';
import { getRunRoute } from './routes/integrations.runs.get.ts';
import { listRunsRoute } from './routes/integrations.runs.list.ts';

export const integrationRunRoutes = [startRunRoute, listRunsRoute, getRunRoute, cancelRunRoute];
