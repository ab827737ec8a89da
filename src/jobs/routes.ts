// The jobs capability's routes: inspect, retry and cancel background jobs of the caller's workspace.
import { jobCommands } from './routes/jobs.commands.ts';
import { getJob } from './routes/jobs.get.ts';
import { listJobs } from './routes/jobs.list.ts';

export const jobRoutes = [listJobs, getJob, jobCommands];
