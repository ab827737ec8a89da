// The sync capability's public surface: routes and jobs for the hub, and the records store for other capabilities.
export { syncRoutes } from './routes.ts';
export { syncJobs } from './jobs.ts';
export { scheduleDueSyncs } from './schedule.ts';
export { contentHash, upsertRecords, type RecordScope } from './store.ts';
