// Integration runs (seed 003's "trigger an integration"): the routes and the job the hub wires in.
export { integrationRunRoutes } from './routes.ts';
export { integrationRunJobs } from './job.ts';
