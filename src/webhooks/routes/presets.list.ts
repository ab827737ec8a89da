// GET /api/v1/webhooks/presets: the endpoint presets (n8n, Zapier, Make …) with their URL shape and defaults.
import { z } from 'zod';
import type { App } from '../../platform/http/server.ts';
import type { HubContext } from '../../platform/hub-context.ts';
import { presetView } from '../contracts.ts';
import { PRESETS } from '../endpoints/presets.ts';

export function listPresets(app: App, _hub: HubContext) {
  const items = Object.values(PRESETS).map(({ id, label, description, urlExample, rateLimitPerSecond, headerHint }) => ({
    id,
    label,
    description,
    urlExample,
    rateLimitPerSecond,
    headerHint,
  }));
  app.get(
    '/api/v1/webhooks/presets',
    { schema: { tags: ['webhooks'], summary: 'List endpoint presets', response: { 200: z.object({ items: z.array(presetView) }) } } },
    async () => ({ items }),
  );
}
