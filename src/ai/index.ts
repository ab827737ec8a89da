// The AI capability's public surface: its routes (OpenAI-compatible /v1 and /api/v1/ai), its jobs and the
// runtime's shutdown. Other capabilities import only from here.
import { completionRoute } from './routes/ai.completion.ts';
import { estimateRoute } from './routes/ai.estimate.ts';
import { providersRoute } from './routes/ai.providers.ts';
import { getQuotaRoute } from './routes/ai.quota.get.ts';
import { updateQuotaRoute } from './routes/ai.quota.update.ts';
import { deleteRouteRoute } from './routes/ai.routes.delete.ts';
import { listRoutesRoute } from './routes/ai.routes.list.ts';
import { saveRouteRoute } from './routes/ai.routes.save.ts';
import { attemptsRoute } from './routes/ai.usage.attempts.ts';
import { usageRoute } from './routes/ai.usage.ts';
import { chatCompletionsRoute } from './routes/v1.chat-completions.ts';
import { embeddingsRoute } from './routes/v1.embeddings.ts';
import { imagesRoute } from './routes/v1.images-generations.ts';

export { aiJobs } from './jobs.ts';
export { closeAiRuntime } from './runtime.ts';

export const aiHttpRoutes = [
  chatCompletionsRoute,
  embeddingsRoute,
  imagesRoute,
  completionRoute,
  estimateRoute,
  providersRoute,
  getQuotaRoute,
  updateQuotaRoute,
  usageRoute,
  attemptsRoute,
  listRoutesRoute,
  saveRouteRoute,
  deleteRouteRoute,
];
