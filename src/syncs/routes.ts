// The sync capability's routes: an integration's syncs and records, runs, and KPIs.
import { getKpisRoute } from './routes/kpis.get.ts';
import { listIntegrationSyncsRoute } from './routes/integrations.syncs.list.ts';
import { runIntegrationSyncRoute } from './routes/integrations.syncs.run.ts';
import { updateIntegrationSyncRoute } from './routes/integrations.syncs.update.ts';
import { recordHistoryRoute } from './routes/records.history.ts';
import { listRecordsRoute } from './routes/records.list.ts';
import { cancelSyncRunRoute } from './routes/sync-runs.cancel.ts';
import { getSyncRunRoute } from './routes/sync-runs.get.ts';
import { listSyncRunsRoute } from './routes/sync-runs.list.ts';
import { retrySyncRunRoute } from './routes/sync-runs.retry.ts';

export const syncRoutes = [
  listIntegrationSyncsRoute,
  updateIntegrationSyncRoute,
  runIntegrationSyncRoute,
  listSyncRunsRoute,
  getSyncRunRoute,
  cancelSyncRunRoute,
  retrySyncRunRoute,
  listRecordsRoute,
  recordHistoryRoute,
  getKpisRoute,
];
