// Amplitude: send events through the HTTP V2 API (API key in the body) and read the project's event types and
// event segmentation through the Dashboard REST API (API key and secret key as HTTP Basic), in the standard or
// the EU data region.
// Docs used:
//   https://amplitude.com/docs/apis/analytics/http-v2                 (POST https://api2.amplitude.com/2/httpapi, EU
//        api.eu.amplitude.com; { api_key, events, options }; answers { code, events_ingested, payload_size_bytes,
//        server_upload_time }; 400 with error / missing_field / events_with_invalid_fields; 413 beyond 2,000
//        events or 1 MB; 429 per user or device with eps_threshold, throttled_users / throttled_devices)
//   https://amplitude.com/docs/apis/analytics/http-api-batching-retries  (insert_id on every event so 429 and 5xx
//        can be retried without duplicates; Amplitude ignores a repeated insert_id for 7 days)
//   https://amplitude.com/docs/apis/analytics/dashboard-rest          (https://amplitude.com/api/2/, EU
//        analytics.eu.amplitude.com; Basic api_key:secret_key; GET /events/list, GET /events/segmentation with
//        e=<JSON>, start/end YYYYMMDD, m, i; 5 concurrent requests, 429 naming the limit)
// The Export API (/api/2/export) answers a zip archive of gzipped JSON lines per hour; it is not offered here.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorContext } from '../../sdk/define.ts';
import { providerErrors } from '../../sdk/provider-errors.ts';
import { ProviderError } from '../../sdk/provider-http.ts';

const TITLE = 'Amplitude';
const HOSTS = {
  standard: { ingest: 'https://api2.amplitude.com', dashboard: 'https://amplitude.com' },
  eu: { ingest: 'https://api.eu.amplitude.com', dashboard: 'https://analytics.eu.amplitude.com' },
} as const;

const config = z.object({ region: z.enum(['standard', 'eu']).default('standard').describe('The data region of the project (EU residency or not)') });
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config>;

/** "Invalid API key: …" / "Too many requests for some devices and users", with the field at fault when named. */
function amplitudeDetail(body: unknown): string | undefined {
  if (typeof body === 'string' && body) return body.slice(0, 300);
  if (!body || typeof body !== 'object') return undefined;
  const { error, missing_field: missing } = body as { error?: unknown; missing_field?: unknown };
  if (typeof error !== 'string') return undefined;
  return typeof missing === 'string' ? `${error} (missing ${missing})` : error;
}

// A refused pair points at the secret key: the API key alone is accepted by ingestion, so the secret is the suspect.
const errors = providerErrors({ title: TITLE, detail: amplitudeDetail, credentialField: 'credentials.secretKey' });
const amplitudeCall = errors.call;

function read<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ProviderError({ code: 'invalid_response', body: data, message: `${TITLE} answered ${what} in an unexpected shape` });
  return parsed.data;
}

// ---- sendEvents -----------------------------------------------------------------------------------------

const event = z
  .looseObject({
    event_type: z.string().trim().min(1).max(1024),
    user_id: z.string().min(5).optional().describe('At least 5 characters unless options.min_id_length says otherwise'),
    device_id: z.string().min(5).optional(),
    time: z.number().int().positive().optional().describe('Milliseconds since the epoch'),
    event_properties: z.record(z.string(), z.unknown()).optional(),
    user_properties: z.record(z.string(), z.unknown()).optional(),
    insert_id: z.string().min(1).max(255).optional().describe('Deduplication id; one is generated when left out'),
  })
  .refine((e) => e.user_id !== undefined || e.device_id !== undefined, { message: 'each event needs user_id or device_id', path: ['user_id'] });
const sendInput = z.object({
  events: z.array(event).min(1).max(2000).describe('Up to 2,000 events (Amplitude’s limit per request)'),
  minIdLength: z.number().int().min(1).max(5).optional().describe('Accept user and device ids shorter than 5 characters'),
});
const sendOutput = z.looseObject({ code: z.number(), events_ingested: z.number(), payload_size_bytes: z.number().optional(), server_upload_time: z.number().optional() });

// ---- dashboard reads ------------------------------------------------------------------------------------

const eventTypes = z.looseObject({ data: z.array(z.looseObject({ name: z.string(), totals: z.number().optional(), value: z.string().optional() })) });
const yyyymmdd = z
  .string()
  .regex(/^\d{8}$/, 'a date as YYYYMMDD, e.g. 20260301')
  .or(z.iso.date().transform((d) => d.replaceAll('-', '')));
const segmentationInput = z.object({
  event: z.object({ event_type: z.string().min(1), filters: z.array(z.record(z.string(), z.unknown())).optional(), group_by: z.array(z.record(z.string(), z.unknown())).optional() }),
  start: yyyymmdd.describe('First day (YYYYMMDD or YYYY-MM-DD)'),
  end: yyyymmdd.describe('Last day (YYYYMMDD or YYYY-MM-DD)'),
  metric: z.enum(['uniques', 'totals', 'pct_dau', 'average', 'histogram', 'sums', 'value_avg', 'formula']).default('uniques'),
  interval: z.union([z.literal(-300000), z.literal(-3600000), z.literal(1), z.literal(7), z.literal(30)]).default(1).describe('Real-time (-300000), hourly (-3600000), daily (1), weekly (7) or monthly (30)'),
  limit: z.number().int().min(1).max(1000).optional().describe('Group-by values returned (at most 1,000)'),
});
const segmentationOutput = z.looseObject({ data: z.looseObject({ series: z.array(z.unknown()), xValues: z.array(z.string()).optional(), seriesLabels: z.array(z.unknown()).optional() }) });

/** A stable, non-secret id for the project behind a key (the key itself is a credential). */
function keyFingerprint(apiKey: string): string {
  return `amplitude-${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`;
}

export default defineConnector<Config>({
  id: 'amplitude',
  title: TITLE,
  category: 'analytics',
  description: 'Send events to Amplitude (HTTP V2 API) and read event types and event segmentation from the Dashboard REST API.',
  logo: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="12" fill="#1e61f0"/><path d="M5 16.5h2.2c1.2 0 1.8-1 2.4-3.3.7-2.7 1.3-6.7 2.4-6.7s1.8 4 2.5 6.7c.5 2.2 1.1 3.3 2.3 3.3H19" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/></svg>',
  docsUrl: 'https://amplitude.com/docs/apis/analytics/http-v2',
  baseUrl: (c) => `${HOSTS[c.region].dashboard}/api/2`,
  auth: {
    kind: 'apiKey',
    fields: {
      apiKey: { label: 'API key', description: 'Project settings → General: the project’s API key.', placement: 'none' },
      secretKey: { label: 'Secret key', description: 'Project settings → General: the secret key (for the Dashboard REST API and the connection check).', placement: 'none' },
    },
  },
  authenticate({ headers, url }, c, credential) {
    // Basic key:secret for the Dashboard REST API only; ingestion takes the API key in the body and never
    // needs the secret.
    if (url.origin === HOSTS[c.region].dashboard && url.pathname.startsWith('/api/2/')) {
      headers.authorization = `Basic ${Buffer.from(`${credential.apiKey ?? ''}:${credential.secretKey ?? ''}`).toString('base64')}`;
    }
  },
  config,
  // No rateLimit: ingestion is limited per user or device (30 events/s each), the Dashboard REST API by
  // concurrency and query cost; both answer 429, which is passed on.
  async checkConnection(ctx) {
    try {
      const types = read(eventTypes, (await ctx.http.get('events/list')).data, 'GET /events/list');
      return { ok: true, account: { id: keyFingerprint(ctx.credentials.apiKey ?? ''), name: `Amplitude project (${ctx.config.region})`, details: { eventTypes: types.data.length, region: ctx.config.region } } };
    } catch (error) {
      return errors.checkFailure(error);
    }
  },
  actions: [
    defineAction<Config, z.output<typeof sendInput>, z.infer<typeof sendOutput>>({
      name: 'sendEvents',
      title: 'Send events',
      description: 'Uploads up to 2,000 events (POST /2/httpapi); every event gets an insert_id, so a 429 or 5xx is retried without duplicates.',
      input: sendInput,
      output: sendOutput,
      async run(ctx: Ctx, input) {
        const body = {
          api_key: ctx.credentials.apiKey,
          events: input.events.map((e) => ({ ...e, insert_id: e.insert_id ?? randomUUID() })),
          ...(input.minIdLength !== undefined ? { options: { min_id_length: input.minIdLength } } : {}),
        };
        const answer = await amplitudeCall(() => ctx.http.post(`${HOSTS[ctx.config.region].ingest}/2/httpapi`, body, { retry: {} }));
        return read(sendOutput, answer.data, 'the upload');
      },
    }),
    defineAction<Config, Record<string, never>, z.infer<typeof eventTypes>>({
      name: 'listEventTypes',
      title: 'List event types',
      description: 'The project’s event types with this week’s totals (GET /api/2/events/list).',
      input: z.object({}),
      output: eventTypes,
      async run(ctx: Ctx) {
        return read(eventTypes, (await amplitudeCall(() => ctx.http.get('events/list'))).data, 'GET /events/list');
      },
    }),
    defineAction<Config, z.output<typeof segmentationInput>, z.infer<typeof segmentationOutput>>({
      name: 'eventSegmentation',
      title: 'Event segmentation',
      description: 'The numbers behind an event segmentation chart: an event’s uniques, totals or averages per day, week or month (GET /api/2/events/segmentation).',
      input: segmentationInput,
      output: segmentationOutput,
      async run(ctx: Ctx, input) {
        const answer = await amplitudeCall(() =>
          ctx.http.get('events/segmentation', { query: { e: JSON.stringify(input.event), start: input.start, end: input.end, m: input.metric, i: input.interval, limit: input.limit } }),
        );
        return read(segmentationOutput, answer.data, 'GET /events/segmentation');
      },
    }),
  ],
});
